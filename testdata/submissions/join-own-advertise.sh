#!/bin/bash
# student: Diego Herrera
# Orchestration lab, the commands I typed on each PWD node, in order.
# node1 was 192.168.0.13, node2 192.168.0.12, node3 192.168.0.11.

# node: node1
docker run -dt ubuntu sleep infinity
docker ps
docker swarm init --advertise-addr 192.168.0.13

# node: node2
docker swarm join --token SWMTKN-1-xrmm4pkl4vmd0817nskoy5jc8sbqfyq3ran6k7o2szxxvqcfzt-0rnh1tid9a1kqquk8u94xh1ew 192.168.0.13:2377

# node: node3
# (node3 advertises its own address)
docker swarm join --token SWMTKN-1-xrmm4pkl4vmd0817nskoy5jc8sbqfyq3ran6k7o2szxxvqcfzt-0rnh1tid9a1kqquk8u94xh1ew --advertise-addr 192.168.0.11 192.168.0.11:2377

# node: node1
docker node ls
docker service create --name sleep-app ubuntu sleep infinity
docker service ls
docker service update --replicas 7 sleep-app
docker service ps sleep-app
docker service update --replicas 4 sleep-app
docker service ps sleep-app
docker node update --availability drain node2
docker node ls
docker service ps sleep-app

# cleanup
docker service rm sleep-app
docker kill 57e85a678e9f

# node: node2
docker swarm leave

# node: node1
docker swarm leave --force
