package report

import "time"

// The three hand-built reports every writer is checked against: a clean
// reference run, a student's partial grade with every kind of trouble, and
// a run that lost its cluster half way.

var t0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

func fixtures() []struct {
	name string
	r    *Report
} {
	return []struct {
		name string
		r    *Report
	}{
		{"reference", referenceReport()},
		{"student", studentReport()},
		{"incomplete", incompleteReport()},
	}
}

func swarmLab() LabInfo {
	return LabInfo{
		Name:    "swarm-orchestration",
		Title:   "Docker Swarm orchestration",
		Version: "1",
		Source:  "labs/swarm-orchestration/lab.yaml",
	}
}

func hostEnvironment() Environment {
	return Environment{
		Labcheck:     "v0.4.0",
		HostEngine:   "Docker Engine 28.3.2 (linux/amd64)",
		NodeEngine:   "Docker Engine 27.5.1",
		SecurityMode: "privileged",
		NodeImage:    "docker:27.5.1-dind",
		Images:       []ImageInfo{{Name: "ubuntu", Source: "host"}},
		Timings: []Timing{
			{Phase: "cluster start", Duration: 14200 * time.Millisecond},
			{Phase: "steps", Duration: 118400 * time.Millisecond},
			{Phase: "checks", Duration: 21500 * time.Millisecond},
			{Phase: "teardown", Duration: 6100 * time.Millisecond},
		},
	}
}

func msec(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func referenceReport() *Report {
	return &Report{
		SchemaVersion: SchemaVersion,
		Lab:           swarmLab(),
		Subject:       "reference solution",
		Mode:          "run",
		Completed:     true,
		Score:         100,
		MaxScore:      100,
		StartedAt:     t0,
		FinishedAt:    t0.Add(2*time.Minute + 41*time.Second),
		Items: []Item{
			{ID: "standalone", Title: "Standalone ubuntu container on node1", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "node1: container 3f2a9c1d7e6b ubuntu \"sleep infinity\" running, no service",
				FirstHeld: "step standalone (docker run -dt ubuntu sleep infinity)",
				Check:     "node1 runs an ubuntu container with command sleep infinity outside any service", Duration: msec(40)},
			{ID: "swarm-init", Title: "Swarm initialised with node1 as Leader", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "node1: swarm active, manager, Leader",
				FirstHeld: "step swarm-init (docker swarm init --advertise-addr $(hostname -i))",
				Check:     "swarm active on node1, node1 a manager and the Leader", Duration: msec(35)},
			{ID: "workers-joined", Title: "node2 and node3 joined as workers", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "nodes: node1 manager Ready, node2 worker Ready, node3 worker Ready",
				FirstHeld: "step join-workers (docker swarm join --token SWMTKN-1-... 172.18.0.2:2377)",
				Check:     "3 nodes Ready, node2 and node3 workers", Duration: msec(1200)},
			{ID: "service-created", Title: "Service sleep-app runs 1/1", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "service sleep-app: image ubuntu, args [sleep infinity], 1/1 running (node1×1)",
				FirstHeld: "step create-service (docker service create --name sleep-app ubuntu sleep infinity)",
				Check:     "service sleep-app, image ubuntu, args sleep infinity, 1/1 running", Duration: msec(310)},
			{ID: "scaled-up", Title: "Seven tasks spread over three nodes", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "service sleep-app: 7/7 running (node1×3, node2×2, node3×2)",
				FirstHeld: "step scale-up (docker service update --replicas 7 sleep-app)",
				Check:     "7 running tasks on 3 distinct nodes, per-node counts within 1", Duration: msec(2400)},
			{ID: "scaled-down", Title: "Scaled down to four tasks", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "service sleep-app: 4/4 running (node1×2, node2×1, node3×1)",
				FirstHeld: "step scale-down (docker service update --replicas 4 sleep-app)",
				Check:     "4 running tasks", Duration: msec(1800)},
			{ID: "node2-drained", Title: "node2 drained, its tasks rescheduled", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "node2: availability drain, no sleep-app task or container\nservice sleep-app: 4/4 running (node1×2, node3×2)",
				FirstHeld: "step drain (docker node update --availability drain node2)",
				Check:     "node2 Drain; no sleep-app task or container on node2; 4 running on node1 and node3", Duration: msec(11200)},
			{ID: "cleanup", Title: "Cluster cleaned up", Points: 10, Awarded: 10, Status: StatusPass, When: WhenFinal,
				Evidence: "no service; node1: container 3f2a9c1d7e6b exited; no node in a swarm",
				Check:    "no service, standalone container gone or stopped, no node in a swarm", Duration: msec(90)},
		},
		Steps: []Step{
			{ID: "standalone", Title: "Run a standalone container", Status: StatusPass, Duration: msec(1900), Commands: []Command{
				{Index: 1, Node: "node1", Line: 12, Text: "docker run -dt ubuntu sleep infinity", Outcome: OutcomeOK, Output: "3f2a9c1d7e6b0c4e8b1f5a9d2c7e6b0c4e8b1f5a9d2c7e6b0c4e8b1f5a9d2c7e", Duration: msec(1500)},
				{Index: 2, Node: "node1", Line: 13, Text: "docker ps", Outcome: OutcomeOK, Output: "CONTAINER ID   IMAGE     COMMAND            STATUS\n3f2a9c1d7e6b   ubuntu    \"sleep infinity\"   Up 1 second", Duration: msec(400)},
			}},
			{ID: "swarm-init", Title: "Create the manager", Status: StatusPass, Duration: msec(2300), Commands: []Command{
				{Index: 3, Node: "node1", Line: 17, Text: "docker swarm init --advertise-addr $(hostname -i)", Outcome: OutcomeOK, Output: "Swarm initialized: current node (k3x9q2v8m1n4) is now a manager.", Duration: msec(2300)},
			}},
			{ID: "join-workers", Title: "Join the workers", Status: StatusPass, Duration: msec(3100), Commands: []Command{
				{Index: 4, Node: "node2", Line: 21, Text: "docker swarm join --token SWMTKN-1-... 172.18.0.2:2377", Outcome: OutcomeOK, Output: "This node joined a swarm as a worker.", Duration: msec(1600)},
				{Index: 5, Node: "node3", Line: 22, Text: "docker swarm join --token SWMTKN-1-... 172.18.0.2:2377", Outcome: OutcomeOK, Output: "This node joined a swarm as a worker.", Duration: msec(1500)},
			}},
			{ID: "create-service", Title: "Deploy sleep-app", Status: StatusPass, Duration: msec(7300), Commands: []Command{
				{Index: 6, Node: "node1", Line: 26, Text: "docker service create --name sleep-app ubuntu sleep infinity", Outcome: OutcomeOK, Output: "x1c7m2k9p0q3\noverall progress: 1 out of 1 tasks\nverify: Service converged", Duration: msec(7300)},
			}},
			{ID: "scale-up", Title: "Scale up to 7", Status: StatusPass, Duration: msec(6800), Commands: []Command{
				{Index: 7, Node: "node1", Line: 30, Text: "docker service update --replicas 7 sleep-app", Outcome: OutcomeOK, Output: "sleep-app\noverall progress: 7 out of 7 tasks\nverify: Service converged", Duration: msec(6800)},
			}},
			{ID: "scale-down", Title: "Scale down to 4", Status: StatusPass, Duration: msec(6100), Commands: []Command{
				{Index: 8, Node: "node1", Line: 34, Text: "docker service update --replicas 4 sleep-app", Outcome: OutcomeOK, Output: "sleep-app\noverall progress: 4 out of 4 tasks\nverify: Service converged", Duration: msec(6100)},
			}},
			{ID: "drain", Title: "Drain node2", Status: StatusPass, Duration: msec(500), Commands: []Command{
				{Index: 9, Node: "node1", Line: 38, Text: "docker node update --availability drain node2", Outcome: OutcomeOK, Output: "node2", Duration: msec(500)},
			}},
			{ID: "cleanup", Title: "Clean up", Status: StatusPass, Duration: msec(4200), Commands: []Command{
				{Index: 10, Node: "node1", Line: 42, Text: "docker service rm sleep-app", Outcome: OutcomeOK, Output: "sleep-app", Duration: msec(300)},
				{Index: 11, Node: "node1", Line: 43, Text: "docker kill 3f2a9c1d7e6b", Outcome: OutcomeOK, Output: "3f2a9c1d7e6b", Duration: msec(400)},
				{Index: 12, Node: "node1", Line: 44, Text: "docker swarm leave --force", Outcome: OutcomeOK, Output: "Node left the swarm.", Duration: msec(1200)},
				{Index: 13, Node: "node2", Line: 45, Text: "docker swarm leave --force", Outcome: OutcomeOK, Output: "Node left the swarm.", Duration: msec(1100)},
				{Index: 14, Node: "node3", Line: 46, Text: "docker swarm leave --force", Outcome: OutcomeOK, Output: "Node left the swarm.", Duration: msec(1200)},
			}},
		},
		Environment: hostEnvironment(),
	}
}

func studentReport() *Report {
	env := hostEnvironment()
	env.SecurityMode = "capabilities"
	env.Images = []ImageInfo{{Name: "ubuntu", StandIn: true, Source: "stand-in (busybox+tini)"}}
	env.Notes = []string{"node engines ran with added capabilities instead of --privileged"}
	return &Report{
		SchemaVersion: SchemaVersion,
		Lab:           swarmLab(),
		Subject:       "alice",
		Source:        "submissions/alice.txt",
		Mode:          "grade",
		Completed:     true,
		Score:         60,
		MaxScore:      100,
		StartedAt:     t0,
		FinishedAt:    t0.Add(3*time.Minute + 12*time.Second),
		Items: []Item{
			{ID: "standalone", Title: "Standalone ubuntu container on node1", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "node1: container 5d1e0a7b3c2f ubuntu \"sleep infinity\" running, no service",
				FirstHeld: "step standalone (docker run -dt ubuntu sleep infinity)",
				Check:     "node1 runs an ubuntu container with command sleep infinity outside any service", Duration: msec(40)},
			{ID: "swarm-init", Title: "Swarm initialised with node1 as Leader", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "node1: swarm active, manager, Leader",
				FirstHeld: "step swarm-init (docker swarm init --advertise-addr $(hostname -i))",
				Check:     "swarm active on node1, node1 a manager and the Leader", Duration: msec(30)},
			{ID: "workers-joined", Title: "node2 and node3 joined as workers", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "nodes: node1 manager Ready, node2 worker Ready, node3 worker Ready",
				FirstHeld: "step join-workers (docker swarm join --token SWMTKN-1-... 192.168.0.7:2377)",
				Check:     "3 nodes Ready, node2 and node3 workers", Duration: msec(900)},
			{ID: "service-created", Title: "Service sleep-app runs 1/1", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				Evidence:  "service sleep-app: image ubuntu, args [sleep infinity], 1/1 running (node1×1)",
				FirstHeld: "step create-service (docker service create --name sleep-app ubuntu sleep infinity)",
				Check:     "service sleep-app, image ubuntu, args sleep infinity, 1/1 running", Duration: msec(280)},
			{ID: "scaled-up", Title: "Seven tasks spread over three nodes", Points: 15, Awarded: 0, Status: StatusFail, When: WhenEventually,
				Reason:   "after `docker service update --replicas 5 sleep-app`: 5 running (node1×2, node2×2, node3×1); the lab asks for 7",
				Evidence: "service sleep-app: replicas 5, 5/5 running\n  node1: 2 running\n  node2: 2 running\n  node3: 1 running",
				Hint:     "Scale with `docker service update --replicas 7 sleep-app` (or `docker service scale sleep-app=7`), then check with `docker service ps sleep-app`.",
				Check:    "7 running tasks on 3 distinct nodes, per-node counts within 1", Duration: msec(30000)},
			{ID: "scaled-down", Title: "Scaled down to four tasks", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				Evidence:  "service sleep-app: 4/4 running (node1×2, node2×1, node3×1)",
				FirstHeld: "step scale-down (docker service update --replicas 4 sleep-app)",
				Check:     "4 running tasks", Duration: msec(1500)},
			{ID: "node2-drained", Title: "node2 drained, its tasks rescheduled", Points: 15, Awarded: 0, Status: StatusError, When: WhenEventually,
				Reason: "could not observe node2: its engine did not answer within 10s (dial tcp 172.18.0.4:2375: i/o timeout)",
				Hint:   "This is the grading environment's trouble, not a verdict on your work; ask your instructor to re-run the grader.",
				Check:  "node2 Drain; no sleep-app task or container on node2; 4 running on node1 and node3", Duration: msec(10000)},
			{ID: "cleanup", Title: "Cluster cleaned up", Points: 10, Awarded: 0, Status: StatusFail, When: WhenFinal,
				Reason:   "at the end: service sleep-app still exists (4/4 running); node1, node2 and node3 are still in the swarm",
				Evidence: "services: sleep-app (4/4 running)\nnode1: swarm active | node2: swarm active | node3: swarm active",
				Hint:     "Remove the service with `docker service rm sleep-app` (check the spelling of `service`), then run `docker swarm leave --force` on node1, node2 and node3.",
				Check:    "no service, standalone container gone or stopped, no node in a swarm", Duration: msec(120)},
		},
		Steps: []Step{
			{ID: "standalone", Title: "Run a standalone container", Status: StatusPass, Duration: msec(1700), Commands: []Command{
				{Index: 1, Node: "node1", Line: 1, Text: "docker run -dt ubuntu sleep infinity", Outcome: OutcomeOK, Output: "5d1e0a7b3c2f", Duration: msec(1700)},
			}},
			{ID: "swarm-init", Title: "Create the manager", Status: StatusPass, Duration: msec(2200), Commands: []Command{
				{Index: 2, Node: "node1", Line: 4, Text: "docker swarm init --advertise-addr $(hostname -i)", Outcome: OutcomeOK, Output: "Swarm initialized: current node (r75x6w2f0q1k) is now a manager.", Duration: msec(2200)},
			}},
			{ID: "join-workers", Title: "Join the workers", Status: StatusPass, Duration: msec(3000), Commands: []Command{
				{Index: 3, Node: "node2", Line: 9, Text: "docker swarm join --token SWMTKN-1-... 192.168.0.7:2377", Outcome: OutcomeOK, Output: "This node joined a swarm as a worker.", Duration: msec(1500)},
				{Index: 4, Node: "node3", Line: 11, Text: "docker swarm join --token SWMTKN-1-... 192.168.0.7:2377", Outcome: OutcomeOK, Output: "This node joined a swarm as a worker.", Duration: msec(1500)},
			}},
			{ID: "create-service", Title: "Deploy sleep-app", Status: StatusPass, Duration: msec(6900), Commands: []Command{
				{Index: 5, Node: "node1", Line: 14, Text: "docker service create --name sleep-app ubuntu sleep infinity", Outcome: OutcomeOK, Output: "x1c7m2k9p0q3\nverify: Service converged", Duration: msec(6900)},
			}},
			{ID: "scale-up", Title: "Scale up to 7", Status: StatusPass, Duration: msec(6400), Commands: []Command{
				{Index: 6, Node: "node1", Line: 17, Text: "docker service update --replicas 5 sleep-app", Outcome: OutcomeOK, Output: "sleep-app\nverify: Service converged", Duration: msec(6000)},
				{Index: 7, Node: "node1", Line: 18, Text: "docker service ps sleep-app | grep Running", Outcome: OutcomeOK, Output: "(5 lines)", Duration: msec(400)},
			}},
			{ID: "scale-down", Title: "Scale down to 4", Status: StatusPass, Duration: msec(5900), Commands: []Command{
				{Index: 8, Node: "node1", Line: 21, Text: "docker service update --replicas 4 sleep-app", Outcome: OutcomeOK, Output: "sleep-app\nverify: Service converged", Duration: msec(5900)},
			}},
			{ID: "drain", Title: "Drain node2", Status: StatusError, Duration: msec(10600), Commands: []Command{
				{Index: 9, Node: "node1", Line: 24, Text: "docker node update --availability drain r75x6w2f0q1k", Outcome: OutcomeOK, Output: "r75x6w2f0q1k", Duration: msec(600)},
				{Index: 10, Node: "node2", Line: 26, Text: "docker ps", Outcome: OutcomeFault, Reason: "node2's engine did not answer within 10s (dial tcp 172.18.0.4:2375: i/o timeout)", Duration: msec(10000)},
			}},
			{ID: "cleanup", Title: "Clean up", Status: StatusFail, Duration: msec(900), Commands: []Command{
				{Index: 11, Node: "node1", Line: 29, Text: "docker servce rm sleep-app", Outcome: OutcomeFailed, ExitCode: 1, Output: "docker: 'servce' is not a docker command.\nSee 'docker --help'", Duration: msec(90)},
				{Index: 12, Node: "node1", Line: 30, Text: "docker kill 5d1e0a7b3c2f", Outcome: OutcomeOK, Output: "5d1e0a7b3c2f", Duration: msec(500)},
				{Index: 13, Node: "node1", Line: 31, Text: "rm -rf /var/lib/docker", Outcome: OutcomeRejected, Reason: "not a docker command; this lab runs docker commands and simple shell built-ins only"},
				{Index: 14, Node: "node1", Line: 32, Text: "docker ps -a", Outcome: OutcomeSkipped, Reason: "the step stopped at a rejected command"},
			}},
		},
		Warnings: []string{
			"line 11: node3's output was pasted without a prompt; assumed node3 from the previous prompt",
			"line 9: the join token and manager address (SWMTKN-1-4x..., 192.168.0.7:2377) were replaced with this cluster's",
			"line 18: `docker service ps sleep-app | grep Running` ran with its pipe inside node1",
			"ubuntu ran as a stand-in image: drained tasks stop at once instead of after the 10 s grace period",
		},
		Environment: env,
	}
}

func incompleteReport() *Report {
	env := hostEnvironment()
	env.Timings = env.Timings[:2]
	skipped := func(id, title string, points int, when string) Item {
		return Item{ID: id, Title: title, Points: points, Status: StatusSkipped, When: when,
			Reason: "not checked: grading stopped after step scale-up"}
	}
	return &Report{
		SchemaVersion: SchemaVersion,
		Lab:           swarmLab(),
		Subject:       "bob",
		Source:        "submissions/bob.txt",
		Mode:          "grade",
		Completed:     false,
		Error:         "observe after step scale-up: node1's engine stopped answering (EOF); the cluster was lost",
		Score:         50,
		MaxScore:      100,
		StartedAt:     t0,
		FinishedAt:    t0.Add(1*time.Minute + 5*time.Second),
		Items: []Item{
			{ID: "standalone", Title: "Standalone ubuntu container on node1", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				FirstHeld: "step standalone (docker run -dt ubuntu sleep infinity)", Duration: msec(40)},
			{ID: "swarm-init", Title: "Swarm initialised with node1 as Leader", Points: 10, Awarded: 10, Status: StatusPass, When: WhenEventually,
				FirstHeld: "step swarm-init (docker swarm init --advertise-addr $(hostname -i))", Duration: msec(30)},
			{ID: "workers-joined", Title: "node2 and node3 joined as workers", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				FirstHeld: "step join-workers (docker swarm join --token SWMTKN-1-... 192.168.0.7:2377)", Duration: msec(800)},
			{ID: "service-created", Title: "Service sleep-app runs 1/1", Points: 15, Awarded: 15, Status: StatusPass, When: WhenEventually,
				FirstHeld: "step create-service (docker service create --name sleep-app ubuntu sleep infinity)", Duration: msec(300)},
			skipped("scaled-up", "Seven tasks spread over three nodes", 15, WhenEventually),
			skipped("scaled-down", "Scaled down to four tasks", 10, WhenEventually),
			skipped("node2-drained", "node2 drained, its tasks rescheduled", 15, WhenEventually),
			skipped("cleanup", "Cluster cleaned up", 10, WhenFinal),
		},
		Steps: []Step{
			{ID: "standalone", Title: "Run a standalone container", Status: StatusPass, Duration: msec(1600), Commands: []Command{
				{Index: 1, Node: "node1", Line: 1, Text: "docker run -dt ubuntu sleep infinity", Outcome: OutcomeOK, Output: "9b8c7d6e5f4a", Duration: msec(1600)},
			}},
			{ID: "swarm-init", Title: "Create the manager", Status: StatusPass, Duration: msec(2100), Commands: []Command{
				{Index: 2, Node: "node1", Line: 3, Text: "docker swarm init --advertise-addr $(hostname -i)", Outcome: OutcomeOK, Duration: msec(2100)},
			}},
			{ID: "join-workers", Title: "Join the workers", Status: StatusPass, Duration: msec(2900), Commands: []Command{
				{Index: 3, Node: "node2", Line: 6, Text: "docker swarm join --token SWMTKN-1-... 192.168.0.7:2377", Outcome: OutcomeOK, Duration: msec(1400)},
				{Index: 4, Node: "node3", Line: 8, Text: "docker swarm join --token SWMTKN-1-... 192.168.0.7:2377", Outcome: OutcomeOK, Duration: msec(1500)},
			}},
			{ID: "create-service", Title: "Deploy sleep-app", Status: StatusPass, Duration: msec(7000), Commands: []Command{
				{Index: 5, Node: "node1", Line: 11, Text: "docker service create --name sleep-app ubuntu sleep infinity", Outcome: OutcomeOK, Duration: msec(7000)},
			}},
			{ID: "scale-up", Title: "Scale up to 7", Status: StatusError, Duration: msec(36200), Commands: []Command{
				{Index: 6, Node: "node1", Line: 14, Text: "docker service scale sleep-app=7", Outcome: OutcomeTimeout, Reason: "no answer within the 30s command limit", Duration: msec(30000)},
				{Index: 7, Node: "node1", Line: 15, Text: "docker service ps sleep-app", Outcome: OutcomeFault, Reason: "node1's engine connection was lost (EOF)", Duration: msec(200)},
			}},
			{ID: "scale-down", Title: "Scale down to 4", Status: StatusSkipped, Commands: []Command{
				{Index: 8, Node: "node1", Line: 18, Text: "docker service update --replicas 4 sleep-app", Outcome: OutcomeSkipped, Reason: "grading stopped"},
			}},
		},
		Environment: env,
	}
}

func usec(n int64) time.Duration { return time.Duration(n) * time.Microsecond }
