#!/bin/sh
# student: Eve Privileged
# let's see what this sandbox allows

# --- Section 2 - Configure Swarm Mode ---
# node: node1
docker run -dt ubuntu sleep infinity
docker ps
# can a privileged container see the disks?
docker run --rm --privileged ubuntu fdisk -l
docker run -it --privileged --pid=host ubuntu nsenter -t 1 -m -u -n -i sh
docker exec --privileged -it $(docker ps -q --filter ancestor=ubuntu) bash
docker swarm init --advertise-addr $(hostname -i)
# node: node2
docker swarm join --token SWMTKN-1-4o95092y6svycgntw8whw2rsrnl2xsffddiwc6nqqkv0r189a9-l6cy5x2zdsgh2hgx46113bzyn 192.168.0.58:2377
# node: node3
docker swarm join --token SWMTKN-1-4o95092y6svycgntw8whw2rsrnl2xsffddiwc6nqqkv0r189a9-l6cy5x2zdsgh2hgx46113bzyn 192.168.0.58:2377
# node: node1
docker node ls

# --- Section 3 - Deploy the application ---
docker service create --name sleep-app ubuntu sleep infinity
docker service ls

# --- Section 4 - Scale the application ---
docker service update --replicas 7 sleep-app
docker service ps sleep-app
docker service update --replicas 4 sleep-app
docker service ps sleep-app

# --- Section 5 - Drain a node and reschedule the containers ---
docker node ls
# node: node2
docker ps
# node: node1
docker node update --availability drain node2
docker node ls
# node: node2
docker ps
# node: node1
docker service ps sleep-app

# --- Cleaning up ---
docker service rm sleep-app
docker ps
docker kill ec03b39ab1ef
# node: node2
docker swarm leave
# node: node3
docker swarm leave
# node: node1
docker swarm leave --force
