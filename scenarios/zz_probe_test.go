package scenarios

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/labcheck/labcheck/harness"
)

func TestZZProbeLook(t *testing.T) {
	ctx := context.Background()
	c, err := harness.Start(ctx, harness.WithImages("ubuntu"))
	defer c.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sh := func(n, l string) { r, err := c.Shell(ctx, n, l, harness.ExecOptions{}); fmt.Println(l, r.ExitCode, err) }
	sh("node1", "docker swarm init --advertise-addr $(hostname -i) >/dev/null && docker service create -d --no-resolve-image --name s --replicas 3 ubuntu sleep infinity")
	c.Settle(ctx, time.Minute)
	cli, _ := c.Client("node1")
	tm := func(name string, f func()) {
		f()
		s := time.Now()
		for i := 0; i < 10; i++ {
			f()
		}
		fmt.Printf("%-12s %.1f ms\n", name, float64(time.Since(s).Microseconds())/10000)
	}
	tm("ping", func() { cli.Ping(ctx, client.PingOptions{}) })
	tm("info", func() { cli.Info(ctx, client.InfoOptions{}) })
	tm("containers", func() { cli.ContainerList(ctx, client.ContainerListOptions{All: true}) })
	tm("nodes", func() { cli.NodeList(ctx, client.NodeListOptions{}) })
	tm("services", func() { cli.ServiceList(ctx, client.ServiceListOptions{}) })
	tm("tasks", func() { cli.TaskList(ctx, client.TaskListOptions{}) })
	tm("observe", func() { c.Observe(ctx) })
}
