package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/harness"
)

func newCleanCommand() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "clean",
		Short: "Remove clusters left behind by labcheck runs that were killed",
		Long: `Clean finds labcheck's containers and networks on the host engine by
label and removes those whose owner process is gone (a run killed with
SIGKILL, a CI job cancelled hard). With --all it removes every labcheck
cluster, including those of runs still going, and the images labcheck
remakes in seconds: seeded node images (labcheck/node-seeded, the node
image with a lab's images baked in) and temporary images of interrupted
builds (labcheck/node-build), and the volumes holding the node image's
/usr that nodes mount read-only (labcheck-node-usr-*, copied again in a
few seconds). The node image and the stand-in, which take
a build from Debian packages, are kept. Every start also sweeps stale
clusters by itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cli, err := harness.OuterClient(cmd.Context())
			if err != nil {
				return err
			}
			defer cli.Close()
			rep, err := harness.Clean(cmd.Context(), cli, all)
			switch {
			case len(rep.Clusters) == 0 && len(rep.Images) == 0 && len(rep.Volumes) == 0:
				fmt.Fprintln(cmd.OutOrStdout(), "nothing to clean")
			case len(rep.Clusters) > 0:
				fmt.Fprintf(cmd.OutOrStdout(), "removed %d cluster(s) (%d containers, %d networks): %s\n",
					len(rep.Clusters), rep.Containers, rep.Networks, strings.Join(rep.Clusters, ", "))
			}
			for _, s := range rep.Skipped {
				fmt.Fprintf(cmd.OutOrStdout(), "left running: %s (use --all to remove)\n", s)
			}
			if len(rep.Images) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "removed %d image(s): %s\n", len(rep.Images), strings.Join(rep.Images, ", "))
			}
			if len(rep.Volumes) > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "removed %d volume(s): %s\n", len(rep.Volumes), strings.Join(rep.Volumes, ", "))
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "remove every labcheck cluster, not only stale ones, seeded node images and the shared /usr volumes")
	return cmd
}
