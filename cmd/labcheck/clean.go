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
cluster, including those of runs still going. Every start also sweeps
stale clusters by itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cli, err := harness.OuterClient(cmd.Context())
			if err != nil {
				return err
			}
			defer cli.Close()
			rep, err := harness.Clean(cmd.Context(), cli, all)
			if len(rep.Clusters) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing to clean")
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "removed %d cluster(s) (%d containers, %d networks): %s\n",
					len(rep.Clusters), rep.Containers, rep.Networks, strings.Join(rep.Clusters, ", "))
			}
			for _, s := range rep.Skipped {
				fmt.Fprintf(cmd.OutOrStdout(), "left running: %s (use --all to remove)\n", s)
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "remove every labcheck cluster, not only stale ones")
	return cmd
}
