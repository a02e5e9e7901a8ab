# student: Jonas Schmidt

# --- Section 2 - Configure Swarm Mode ---
# node: node1
docker run -dt ubuntu sleep infinity
docker ps
docker swarm init --advertise-addr $(hostname -i)
# node: node2
docker swarm join --token SWMTKN-1-hfpcqwjwkrjq13625ogq1edecmi52gglazjhjkhkh4ykvbqoid-eudj0n8bororqqduoo5edixpy 192.168.0.63:2377
# node: node3
docker swarm join --token SWMTKN-1-hfpcqwjwkrjq13625ogq1edecmi52gglazjhjkhkh4ykvbqoid-eudj0n8bororqqduoo5edixpy 192.168.0.63:2377
# node: node1
docker node ls

# --- Section 3 - Deploy the application ---
docker service create --name sleep-app ubuntu sleep infinity
docker service ls

# --- Section 4 - Scale the application ---
docker service update --replicas 6 sleep-app
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
docker kill 00576ab23e10
# node: node2
docker swarm leave
# node: node3
docker swarm leave
# node: node1
docker swarm leave --force
