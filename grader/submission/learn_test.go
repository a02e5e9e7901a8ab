package submission

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTables(t *testing.T) {
	nodes := `ID                            HOSTNAME            STATUS              AVAILABILITY        MANAGER STATUS      ENGINE VERSION
r75x6w2f1bq4zsmjcgy1b2cgw *   node1               Ready               Active              Leader              19.03.11
k2j9d8f7g6h5j4k3l2m1n0b9v     node2               Ready               Drain                                   19.03.11`
	assert.Equal(t, []tableRow{{id: "r75x6w2f1bq4zsmjcgy1b2cgw", name: "node1"}, {id: "k2j9d8f7g6h5j4k3l2m1n0b9v", name: "node2"}}, nodeTable(nodes))

	ps := `CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES
99f7fce042e8        ubuntu              "sleep infinity"    5 seconds ago       Up 4 seconds                            festive_sammet`
	assert.Equal(t, []tableRow{{id: "99f7fce042e8", image: "ubuntu", name: "festive_sammet"}}, containerTable(ps))

	svcs := "ID                  NAME                MODE                REPLICAS            IMAGE               PORTS\nptyp4pm0jk52        sleep-app           replicated          1/1                 ubuntu:latest"
	assert.Equal(t, []tableRow{{id: "ptyp4pm0jk52", name: "sleep-app"}}, serviceTable(svcs))

	assert.Empty(t, nodeTable("Error response from daemon: This node is not a swarm manager."))
}

func TestInspectedNodes(t *testing.T) {
	ids, hosts, addrs := inspectedNodes("ID:\t\t\tk2j9d8f7g6h5j4k3l2m1n0b9v\nHostname:\t\tnode2\nStatus:\n State:\t\t\tReady\n Availability:\t\tActive\n Address:\t\t192.168.0.17\n")
	assert.Equal(t, []string{"k2j9d8f7g6h5j4k3l2m1n0b9v"}, ids)
	assert.Equal(t, []string{"node2"}, hosts)
	assert.Equal(t, []string{"192.168.0.17"}, addrs)
}

func TestPairRows(t *testing.T) {
	student := []tableRow{
		{id: "s1", image: "ubuntu", name: "zealous_lovelace"},
		{id: "s2", image: "ubuntu:latest", name: "sleep-app.3.x8k2j4l6m9n1b3v5c7x9z1a2s"},
		{id: "s3", image: "nginx", name: "web"},
	}
	replay := []tableRow{
		{id: "r3", image: "nginx", name: "web"},
		{id: "r2", image: "ubuntu:latest", name: "sleep-app.3.q1w2e3r4t5y6u7i8o9p0a1s2d"},
		{id: "r1", image: "ubuntu", name: "amazing_turing"},
	}
	assert.Equal(t, [][2]tableRow{{student[2], replay[0]}, {student[1], replay[1]}, {student[0], replay[2]}}, pairRows(student, replay))
}
