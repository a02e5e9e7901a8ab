#!/bin/bash
# student: Maria Garcia
# Docker Swarm orchestration lab - the commands I ran, node by node.
# (The join token below is the one my node1 printed.)

# --- Section 2 - Configure Swarm Mode ---
# node: node1
docker run -dt ubuntu sleep infinity
docker ps
# step 2.1: node1 becomes the manager
docker swarm init --advertise-addr $(hostname -i)
# node: node2
docker swarm join --token SWMTKN-1-q0lnu2mko70ij48oafpyrjhhja0rur20p1mtmb3m3noqfky4ia-qr0ol1pkeh4hkrkldmji2z4ev 192.168.0.13:2377
# node: node3
docker swarm join --token SWMTKN-1-q0lnu2mko70ij48oafpyrjhhja0rur20p1mtmb3m3noqfky4ia-qr0ol1pkeh4hkrkldmji2z4ev 192.168.0.13:2377
# node: node1
docker node ls

# --- Section 3 - Deploy the application ---
docker service create --name sleep-app ubuntu sleep infinity
docker service ls

# --- Section 4 - Scale the application ---
# scale up: 7 tasks over 3 nodes
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
docker kill 883582336425
# node: node2
docker swarm leave
# node: node3
docker swarm leave
# node: node1
docker swarm leave --force
