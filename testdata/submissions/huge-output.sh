# student: Olga Output
# node: node1

# --- Section 2 - Configure Swarm Mode ---
# node: node1
docker run -dt ubuntu sleep infinity
docker ps
docker swarm init --advertise-addr $(hostname -i)
# node: node2
docker swarm join --token SWMTKN-1-y5ax15m5jzyhfde74x4tlrjunroleeq0yuawm7rddbpxj9psha-905qejnd27km4kynvfviqk28k 192.168.0.108:2377
# node: node3
docker swarm join --token SWMTKN-1-y5ax15m5jzyhfde74x4tlrjunroleeq0yuawm7rddbpxj9psha-905qejnd27km4kynvfviqk28k 192.168.0.108:2377
# node: node1
docker node ls

# --- Section 3 - Deploy the application ---
docker service create --name sleep-app ubuntu sleep infinity
docker service ls

# --- Section 4 - Scale the application ---
docker service scale sleep-app=7
docker service ps sleep-app
docker service scale sleep-app=4
docker service ps sleep-app
docker run --rm ubuntu sh -c 'yes | head -c 50000000'

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
docker kill a7d109ecd54d
# node: node2
docker swarm leave
# node: node3
docker swarm leave
# node: node1
docker swarm leave --force
