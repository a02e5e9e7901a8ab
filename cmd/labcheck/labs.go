package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader/lab"
)

func newLabsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "labs",
		Short: "List the labs shipped with labcheck",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tNODES\tSTEPS\tPOINTS\tTITLE")
			for _, name := range lab.Embedded() {
				l, err := lab.Get(name)
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", l.Name, len(l.Nodes), len(l.Steps), l.MaxScore(), l.Title)
			}
			return tw.Flush()
		},
	}
}

func newLabCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Show a lab's steps or check a lab YAML file",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a lab's student-facing steps and rubric",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lab.Get(args[0])
			if err != nil {
				return &exitError{code: 2, msg: err.Error()}
			}
			showLab(cmd, l)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "check FILE",
		Short: "Validate a lab YAML file without running it",
		Long: `Check loads and validates a lab file: every error names the file, line,
column and field, and says what was expected. Nothing is started.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lab.Load(args[0])
			if err != nil {
				return &exitError{code: 1, msg: err.Error()}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok — lab %q, %d nodes, %d steps, %d rubric items, %d points\n",
				args[0], l.Name, len(l.Nodes), len(l.Steps), len(l.Rubric), l.MaxScore())
			return nil
		},
	})
	return cmd
}

func showLab(cmd *cobra.Command, l *lab.Lab) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "# %s (%s, version %s)\n\n", l.Title, l.Name, l.Version)
	if d := strings.TrimSpace(l.Description); d != "" {
		fmt.Fprintf(w, "%s\n\n", d)
	}
	fmt.Fprintf(w, "Nodes: %s (swarm manager: %s)\n\n", strings.Join(l.NodeNames(), ", "), l.InitNode())
	for i, s := range l.Steps {
		fmt.Fprintf(w, "## %d. %s\n\n", i+1, s.Title)
		if ins := strings.TrimSpace(s.Instructions); ins != "" {
			fmt.Fprintf(w, "%s\n\n", ins)
		}
		for _, a := range s.Run {
			if a.Fault != "" {
				fmt.Fprintf(w, "    (labcheck: %s %s)\n", a.Fault, a.Node)
				continue
			}
			fmt.Fprintf(w, "    %s$ %s\n", a.Node, lab.StudentCommand(a.Command))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "## Rubric (%d points)\n\n", l.MaxScore())
	for _, it := range l.Rubric {
		when := ""
		if it.When == lab.Final {
			when = " (judged on the final state)"
		}
		fmt.Fprintf(w, "- %s: %s — %d points%s\n", it.ID, it.Title, it.Points, when)
	}
}
