package similarity

// pwdBanner is what Play with Docker prints atop every terminal: every
// student of a PWD class pastes it.
const pwdBanner = `###############################################################
#                          WARNING!!!!                        #
# This is a sandbox environment. Using personal credentials   #
# is HIGHLY! discouraged. Any consequences of doing so are    #
# completely the user's responsibilities.                     #
#                                                             #
# The PWD team.                                               #
###############################################################
`

// dockerMessages are docker's own fixed outputs for the lab's commands,
// the same in every session whatever the IDs in them.
const dockerMessages = `Unable to find image 'ubuntu:latest' locally
latest: Pulling from library/ubuntu
Status: Downloaded newer image for ubuntu:latest
CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES
Swarm initialized: current node (<id>) is now a manager.
To add a worker to this swarm, run the following command:
    docker swarm join --token <token> <ip>
To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.
This node joined a swarm as a worker.
ID                            HOSTNAME            STATUS              AVAILABILITY        MANAGER STATUS      ENGINE VERSION
ID                  NAME                MODE                REPLICAS            IMAGE               PORTS
ID                  NAME                IMAGE               NODE                DESIRED STATE       CURRENT STATE                ERROR               PORTS
overall progress: 1 out of 1 tasks
1/1: running   [==================================================>]
verify: Service converged
Node left the swarm.
`
