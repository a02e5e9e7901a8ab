package main

import (
	"fmt"
	"strings"
)

// cluster is one invented Play-with-Docker-like run of the lab: the IDs,
// addresses and token its outputs show.
type cluster struct {
	ids       [3]string // swarm node IDs of node1..node3
	ips       [3]string
	token     string
	container string // the standalone container's full ID
	name      string // its generated name
	service   string // the service's full ID
	tasks     [8]string
}

func (c cluster) joinCmd() string {
	return fmt.Sprintf("docker swarm join --token %s %s:2377", c.token, c.ips[0])
}

var pull = `Unable to find image 'ubuntu:latest' locally
latest: Pulling from library/ubuntu
d51af753c3d3: Pull complete
fc878cd0a91c: Pull complete
6154df8ff988: Pull complete
fee5db0ff82f: Pull complete
Digest: sha256:747d2dbbaaee995098c9792d99bd333c6783ce56150d1b11e333bbceed5c54d7
Status: Downloaded newer image for ubuntu:latest
`

const psHeader = "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES\n"

func (c cluster) initOut() string {
	return fmt.Sprintf(`Swarm initialized: current node (%s) is now a manager.

To add a worker to this swarm, run the following command:

    %s

To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.

`, c.ids[0], c.joinCmd())
}

func (c cluster) nodeLs(avail2 string) string {
	return fmt.Sprintf(`ID                            HOSTNAME            STATUS              AVAILABILITY        MANAGER STATUS      ENGINE VERSION
%s *   node1               Ready               Active              Leader              19.03.11
%s     node2               Ready               %-20s                    19.03.11
%s     node3               Ready               Active                                  19.03.11
`, c.ids[0], c.ids[1], avail2, c.ids[2])
}

func converge(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "overall progress: %d out of %d tasks \n", n, n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d/%d: running   [==================================================>] \n", i, n)
	}
	b.WriteString("verify: Service converged \n")
	return b.String()
}

const servicePsHeader = "ID                  NAME                IMAGE               NODE                DESIRED STATE       CURRENT STATE            ERROR               PORTS\n"

func (c cluster) task(i, slot int, node, state, age string) string {
	return fmt.Sprintf("%s        sleep-app.%d         ubuntu:latest       %-20s%-20s%s %s\n", c.tasks[i], slot, node, strings.Fields(state)[0], state, age)
}

func (c cluster) servicePs(replicas int) string {
	nodes := []string{"node1", "node2", "node3", "node1", "node2", "node3", "node1"}
	var b strings.Builder
	b.WriteString(servicePsHeader)
	for i := range replicas {
		b.WriteString(c.task(i, i+1, nodes[i], "Running", "2 minutes ago"))
	}
	return b.String()
}

func (c cluster) servicePsDrained() string {
	var b strings.Builder
	b.WriteString(servicePsHeader)
	b.WriteString(c.task(0, 1, "node1", "Running", "3 minutes ago"))
	b.WriteString(c.task(7, 2, "node3", "Running", "40 seconds ago"))
	b.WriteString(fmt.Sprintf("%s         \\_ sleep-app.2     ubuntu:latest       node2               Shutdown            Shutdown 42 seconds ago\n", c.tasks[1]))
	b.WriteString(c.task(2, 3, "node3", "Running", "3 minutes ago"))
	b.WriteString(c.task(3, 4, "node1", "Running", "3 minutes ago"))
	return b.String()
}

// typ types text key by key.
func typ(text string) key { return key{text: text} }

// rub rubs out the last n characters with Backspace.
func rub(n int) key { return key{rubout: n} }

// tab completes; adds is what the completion writes.
func tab(adds string) key { return key{tab: adds} }

// paste pastes text in bracketed-paste mode.
func paste(text string) key { return key{text: text, paste: true} }

func on(node string, out string, keys ...key) step {
	return step{node: node, keys: keys, out: out}
}

// flavour is how a student's session differs from the lab's script.
type flavour struct {
	// scaleTo is the replicas of the scale-up (the lab's is 7).
	scaleTo int
	// stopAfterDrain leaves out the cleanup.
	stopAfterDrain bool
	// workersInline joins and leaves the workers by ssh from node1's
	// terminal; otherwise node1's terminal has only node1's commands.
	workersInline bool
}

// node1Session is node1's terminal, with the workers' commands typed over
// ssh when f.workersInline.
func (c cluster) node1Session(f flavour) []step {
	if f.scaleTo == 0 {
		f.scaleTo = 7
	}
	s := []step{
		on("node1", pull+c.container+"\n", typ("dock"), tab("er"), typ(" run -dt ubuntu sleep infinity")),
		on("node1", psHeader+fmt.Sprintf("%s        ubuntu              \"sleep infinity\"    8 seconds ago       Up 7 seconds                            %s\n", c.container[:12], c.name), typ("docker ps")),
		on("node1", c.initOut(), typ("docker swarm init --advertise-addr $(hostname -i)")),
		on("node1", "", typ("clear")),
	}
	if f.workersInline {
		for _, n := range []string{"node2", "node3"} {
			s = append(s,
				on("node1", "", typ("ssh "+n)),
				on(n, "This node joined a swarm as a worker.\n", paste(c.joinCmd())),
				on(n, "", typ("exit")),
			)
		}
	}
	replicas := f.scaleTo
	s = append(s,
		on("node1", c.nodeLs("Active"), typ("docker node ls")),
		on("node1", c.service+"\n"+converge(1), typ("docker servce"), rub(2), typ("ice create --name sleep-app ubuntu sleep infinity")),
		on("node1", "ID                  NAME                MODE                REPLICAS            IMAGE               PORTS\n"+c.service[:12]+"        sleep-app           replicated          1/1                 ubuntu:latest\n", typ("docker service ls")),
		on("node1", "sleep-app\n"+converge(replicas), typ(fmt.Sprintf("docker service update --replicas %d sleep-app", replicas))),
		on("node1", c.servicePs(replicas), typ("docker service ps sleep-app")),
		on("node1", "sleep-app\n"+converge(4), typ("docker service update --replicas 4 sleep-app")),
		on("node1", c.servicePs(4), typ("docker service ps sleep-app")),
		on("node1", c.nodeLs("Active"), typ("docker node ls")),
	)
	if f.workersInline {
		s = append(s,
			on("node1", "", typ("ssh node2")),
			on("node2", psHeader+fmt.Sprintf("ba212ec97865        ubuntu:latest       \"sleep infinity\"    About a minute ago  Up About a minute                       sleep-app.2.%s8d3rwyke9o860\n", c.tasks[1]), typ("docker ps")),
			on("node2", "", typ("exit")),
		)
	}
	s = append(s,
		on("node1", c.ids[1]+"\n", typ("docker node update --availability drain "), paste(c.ids[1])),
		on("node1", c.nodeLs("Drain"), typ("docker node ls")),
		on("node1", c.servicePsDrained(), typ("docker service ps sleep-app")),
	)
	if f.stopAfterDrain {
		return s
	}
	s = append(s,
		on("node1", "sleep-app\n", typ("docker service rm sleep-app")),
		on("node1", psHeader+fmt.Sprintf("%s        ubuntu              \"sleep infinity\"    12 minutes ago      Up 12 minutes                           %s\n", c.container[:12], c.name), typ("docker ps")),
		on("node1", c.container[:12]+"\n", typ("docker kill "+c.container[:12])),
	)
	if f.workersInline {
		for _, n := range []string{"node2", "node3"} {
			s = append(s,
				on("node1", "", typ("ssh "+n)),
				on(n, "Node left the swarm.\n", typ("docker swarm leave")),
				on(n, "", typ("exit")),
			)
		}
	}
	return append(s, on("node1", "Node left the swarm.\n", typ("docker swarm leave --force")))
}

// workerTerminals are node2's and node3's terminals, pasted as text after
// a recording of node1's.
func (c cluster) workerTerminals() []plainTerminal {
	node2 := fmt.Sprintf("[node2] (local) root@%s ~\n$", c.ips[1])
	node3 := fmt.Sprintf("[node3] (local) root@%s ~\n$", c.ips[2])
	return []plainTerminal{
		{prompt: node2, steps: []step{
			on("node2", "This node joined a swarm as a worker.\n", typ(c.joinCmd())),
			on("node2", psHeader+fmt.Sprintf("ba212ec97865        ubuntu:latest       \"sleep infinity\"    About a minute ago  Up About a minute                       sleep-app.2.%s8d3rwyke9o860\n", c.tasks[1]), typ("docker ps")),
			on("node2", psHeader, typ("docker ps")),
			on("node2", "Node left the swarm.\n", typ("docker swarm leave")),
		}},
		{prompt: node3, steps: []step{
			on("node3", "This node joined a swarm as a worker.\n", typ(c.joinCmd())),
			on("node3", "Node left the swarm.\n", typ("docker swarm leave")),
		}},
	}
}

var (
	clusterA = cluster{
		ids:       [3]string{"k3v9w2xq7m1p0a8s5d4f6g2hj", "t6y1u8i3o0p5a2s7d9f4g1h6j", "c5v2b7n4m1q8w3e6r0t9y2u5i"},
		ips:       [3]string{"192.168.0.21", "192.168.0.22", "192.168.0.23"},
		token:     "SWMTKN-1-4ndq6b0x8r3e7w2k9m5p1t6y0u4i8o2a6s3d7f1g5h9j3kz7xc-2v8b4n6m0q1w5e9r3t7y2u6i0",
		container: "9f1c2e3d4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
		name:      "eager_hopper",
		service:   "q8zr2m6xk4w9n1v5b3c7d0f2g",
		tasks:     [8]string{"a1b2c3d4e5f6", "b2c3d4e5f6a1", "c3d4e5f6a1b2", "d4e5f6a1b2c3", "e5f6a1b2c3d4", "f6a1b2c3d4e5", "a6b5c4d3e2f1", "b6c5d4e3f2a1"},
	}
	clusterB = cluster{
		ids:       [3]string{"p2o9i8u7y6t5r4e3w2q1a0s9d", "l8k7j6h5g4f3d2s1a0q9w8e7r", "m1n2b3v4c5x6z7a8s9d0f1g2h"},
		ips:       [3]string{"192.168.0.41", "192.168.0.42", "192.168.0.43"},
		token:     "SWMTKN-1-1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p1qaz2wsx3edc4r-5tgb6yhn7ujm8ik9ol0pmnbv",
		container: "4d3c2b1a0f9e8d7c6b5a4d3c2b1a0f9e8d7c6b5a4d3c2b1a0f9e8d7c6b5a4d3c",
		name:      "brave_turing",
		service:   "w3e4r5t6y7u8i9o0p1a2s3d4f",
		tasks:     [8]string{"g1h2j3k4l5m6", "h2j3k4l5m6n7", "j3k4l5m6n7p8", "k4l5m6n7p8q9", "l5m6n7p8q9r0", "m6n7p8q9r0s1", "n7p8q9r0s1t2", "p8q9r0s1t2u3"},
	}
	clusterC = cluster{
		ids:       [3]string{"z9x8c7v6b5n4m3l2k1j0h9g8f", "r5t4y3u2i1o0p9a8s7d6f5g4h", "e1w2q3a4s5d6f7g8h9j0k1l2z"},
		ips:       [3]string{"192.168.0.61", "192.168.0.62", "192.168.0.63"},
		token:     "SWMTKN-1-0okm9ijn8uhb7ygv6tfc5rdx4esz3wa2q1plo9ikm8ujn7yhb6t-gv5rfc4edx3wsz2qa1plokmn",
		container: "7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b",
		name:      "quirky_noether",
		service:   "x1c2v3b4n5m6a7s8d9f0g1h2j",
		tasks:     [8]string{"s1d2f3g4h5j6", "d2f3g4h5j6k7", "f3g4h5j6k7l8", "g4h5j6k7l8z9", "h5j6k7l8z9x0", "j6k7l8z9x0c1", "k7l8z9x0c1v2", "l8z9x0c1v2b3"},
	}
)

var recordings = []recording{
	{
		file: "typescript-ssh.log", kind: "typescript", cols: 80, rows: 24,
		lead:    "student: Lars Eriksen\n",
		session: clusterA.node1Session(flavour{workersInline: true}),
	},
	{
		file: "typescript-appended.log", kind: "typescript", cols: 100, rows: 30,
		lead:     "student: Siti Rahayu\nLab: Docker Orchestration (node1 direkam dengan script, node2 dan node3 disalin)\n\n",
		session:  clusterB.node1Session(flavour{}),
		appended: clusterB.workerTerminals(),
	},
	{
		file: "typescript-no-cleanup.log", kind: "typescript", cols: 80, rows: 24,
		lead:    "student: Tomasz Nowak\n",
		session: clusterC.node1Session(flavour{workersInline: true, stopAfterDrain: true}),
	},
	{
		file: "cast-ssh.cast", kind: "cast", cols: 120, rows: 30, title: "Swarm lab - Mei Chen", input: true,
		session: clusterB.node1Session(flavour{workersInline: true}),
	},
	{
		file: "cast-scaled-to-6.cast", kind: "cast", cols: 100, rows: 28, title: "orchestration lab (Kofi Mensah)",
		session: clusterC.node1Session(flavour{workersInline: true, scaleTo: 6}),
	},
	{
		file: "cast-docker-machine.cast", kind: "cast", cols: 110, rows: 30, title: "Docker Swarm lab on VirtualBox (docker-machine) - Ana Souza",
		laptop: "ana@thinkpad", session: laptopSession(),
	},
}

// ttyOutput is what docker draws on a terminal for out: a service's
// progress is drawn unfinished, then redrawn in place with cursor moves.
func ttyOutput(out string) string {
	start := strings.Index(out, "overall progress: ")
	end := strings.Index(out, "verify: Service converged \n")
	if start < 0 || end < 0 {
		return out
	}
	lines := strings.Split(strings.TrimSuffix(out[start:end], "\n"), "\n")
	var b strings.Builder
	b.WriteString(out[:start])
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(&b, "overall progress: 0 out of %d tasks \n", len(lines)-1)
			continue
		}
		slot, _, _ := strings.Cut(l, ":")
		b.WriteString(slot + ": preparing [=================================>                 ] \n")
	}
	fmt.Fprintf(&b, "\x1b[%dA", len(lines))
	for _, l := range lines {
		b.WriteString("\x1b[2K" + l + "\n")
	}
	b.WriteString("verify: Waiting 5 seconds to verify that tasks are stable... ")
	b.WriteString("\r\x1b[2Kverify: Service converged \n")
	b.WriteString(out[end+len("verify: Service converged \n"):])
	return b.String()
}

// plainOutput is out as a student copies it from the screen.
func plainOutput(out string) string { return out }

var machineIPs = map[string]string{"manager1": "192.168.99.100", "worker1": "192.168.99.101", "worker2": "192.168.99.102"}

const machineLs = `NAME       ACTIVE   DRIVER       STATE     URL                         SWARM   DOCKER     ERRORS
manager1   -        virtualbox   Running   tcp://192.168.99.100:2376           v19.03.12
worker1    -        virtualbox   Running   tcp://192.168.99.101:2376           v19.03.12
worker2    -        virtualbox   Running   tcp://192.168.99.102:2376           v19.03.12
`

// laptopSession is the lab on three docker-machine VMs driven from a
// laptop: docker pointed at manager1 with `docker-machine env`, the
// workers reached with `docker-machine ssh`.
func laptopSession() []step {
	const token = "SWMTKN-1-5yq0b2o8n4k1x7w3v9u6t2s0r8q4p1o7n3m9l5k2j8i4h0g6f3-8e2d5c1b7a4z0y6x3w9v5u2t8"
	ids := [3]string{"ot9f3k2m1x8w7v6u5t4s3r2q1", "n8e2d5c1b7a4z0y6x3w9v5u2t", "h4g6f3e1d9c7b5a3z1y9x7w5v"}
	nodeLs := func(avail string) string {
		return fmt.Sprintf(`ID                            HOSTNAME            STATUS              AVAILABILITY        MANAGER STATUS      ENGINE VERSION
%s *   manager1            Ready               Active              Leader              19.03.12
%s     worker1             Ready               %-20s                    19.03.12
%s     worker2             Ready               Active                                  19.03.12
`, ids[0], ids[1], avail, ids[2])
	}
	tasks := []string{"u1i2o3p4a5s6", "i2o3p4a5s6d7", "o3p4a5s6d7f8", "p4a5s6d7f8g9", "a5s6d7f8g9h0", "s6d7f8g9h0j1", "d7f8g9h0j1k2", "f8g9h0j1k2l3"}
	nodes := []string{"manager1", "worker1", "worker2", "manager1", "worker1", "worker2", "manager1"}
	ps := func(n int) string {
		var b strings.Builder
		b.WriteString(servicePsHeader)
		for i := range n {
			fmt.Fprintf(&b, "%s        sleep-app.%d         ubuntu:latest       %-20sRunning             Running 2 minutes ago\n", tasks[i], i+1, nodes[i])
		}
		return b.String()
	}
	drained := servicePsHeader +
		fmt.Sprintf("%s        sleep-app.1         ubuntu:latest       manager1            Running             Running 3 minutes ago\n", tasks[0]) +
		fmt.Sprintf("%s        sleep-app.2         ubuntu:latest       worker2             Running             Running 30 seconds ago\n", tasks[7]) +
		fmt.Sprintf("%s         \\_ sleep-app.2     ubuntu:latest       worker1             Shutdown            Shutdown 32 seconds ago\n", tasks[1]) +
		fmt.Sprintf("%s        sleep-app.3         ubuntu:latest       worker2             Running             Running 3 minutes ago\n", tasks[2]) +
		fmt.Sprintf("%s        sleep-app.4         ubuntu:latest       manager1            Running             Running 3 minutes ago\n", tasks[3])
	container := "5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a29180f7e"
	join := func(addr string) string { return fmt.Sprintf("docker swarm join --token %s %s", token, addr) }
	return []step{
		on("laptop", "", typ("docker-machine ls")),
		on("laptop", "", typ("eval $(docker-machine env manager1)")),
		on("manager1", pull+container+"\n", typ("docker run -dt ubuntu sleep infinity")),
		on("manager1", psHeader+container[:12]+"        ubuntu              \"sleep infinity\"    9 seconds ago       Up 8 seconds                            gifted_kare\n", typ("docker ps")),
		on("manager1", fmt.Sprintf(`Swarm initialized: current node (%s) is now a manager.

To add a worker to this swarm, run the following command:

    %s

To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.

`, ids[0], join("192.168.99.100:2377")), typ("docker swarm init --advertise-addr 192.168.99.100")),
		on("worker1", "This node joined a swarm as a worker.\n", typ(`docker-machine ssh worker1 "`), paste(join("192.168.99.100:2377")), typ(`"`)),
		on("worker2", "This node joined a swarm as a worker.\n", typ(`docker-machine ssh worker2 "docker swarm join --token `+token+` $(docker-machine ip manager1):2377"`)),
		on("manager1", nodeLs("Active"), typ("docker node ls")),
		on("manager1", "q2w3e4r5t6y7u8i9o0p1a2s3d\n"+converge(1), typ("docker service create --name sleep-app ubuntu sleep infinity")),
		on("manager1", "sleep-app\n"+converge(7), typ("docker service update --replicas 7 sleep-app")),
		on("manager1", ps(7), typ("docker service ps sleep-app")),
		on("manager1", "sleep-app\n"+converge(4), typ("docker service update --replicas 4 sleep-app")),
		on("manager1", ps(4), typ("docker service ps sleep-app")),
		on("manager1", "worker1\n", typ("docker node update --availability drain wor"), typ("ker1")),
		on("manager1", nodeLs("Drain"), typ("docker node ls")),
		on("worker1", psHeader, typ(`docker-machine ssh worker1 "docker ps"`)),
		on("manager1", drained, typ("docker service ps sleep-app")),
		on("manager1", "sleep-app\n", typ("docker service rm sleep-app")),
		on("manager1", container[:12]+"\n", typ("docker kill "+container[:12])),
		on("worker1", "Node left the swarm.\n", typ(`docker-machine ssh worker1 "docker swarm leave"`)),
		on("worker2", "Node left the swarm.\n", typ(`docker-machine ssh worker2 "docker swarm leave"`)),
		on("manager1", "Node left the swarm.\n", typ("docker swarm leave --force")),
		on("laptop", "", typ("eval $(docker-machine env -u)")),
	}
}
