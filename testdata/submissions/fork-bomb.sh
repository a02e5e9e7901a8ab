# student: Frank Forkbomb
# what happens if...

# --- Section 2 - Configure Swarm Mode ---
# node: node1
docker run -dt ubuntu sleep infinity
docker ps
# classic
docker run ubuntu sh -c ':(){ :|:& };:'
# that one is bash only; this one works in sh
docker run ubuntu sh -c 'bomb(){ bomb|bomb& }; bomb; sleep 3600'
docker swarm init --advertise-addr $(hostname -i)
# node: node2
docker swarm join --token SWMTKN-1-9j1fwiqlc9peb0kjn7nejihp56r3a3wpl2congqab5cc4skshx-a7qrjsw9dy4cm5i5h7dae1u2v 192.168.0.88:2377
# node: node3
docker swarm join --token SWMTKN-1-9j1fwiqlc9peb0kjn7nejihp56r3a3wpl2congqab5cc4skshx-a7qrjsw9dy4cm5i5h7dae1u2v 192.168.0.88:2377
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
docker kill ebbc4fc4357c
# node: node2
docker swarm leave
# node: node3
docker swarm leave
# node: node1
docker swarm leave --force
