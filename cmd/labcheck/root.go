package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "labcheck",
		Short: "Run and grade Docker Swarm labs on real Docker-in-Docker clusters",
		Long: `labcheck starts a fresh cluster of Docker-in-Docker nodes, forms a real
swarm across them, runs a lab's steps (or replays a student's commands),
checks the cluster's state after every step and writes a grade report
that explains itself.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: 2, msg: err.Error() + "\n(see `" + c.CommandPath() + " --help`)"}
	})
	root.AddCommand(
		newRunCommand(),
		newGradeCommand(),
		newMergeCommand(),
		newVerifyCommand(),
		newLabsCommand(),
		newLabCommand(),
		newImagesCommand(),
		newCleanCommand(),
		newVersionCommand(),
	)
	return root
}

// buildVersion is set by release builds (make dist: -X main.buildVersion).
var buildVersion string

// version is the release version when the build set one, else the module
// version from build info ("(devel)" in a checkout build) with the VCS
// revision when the build recorded one.
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print labcheck's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "labcheck", version())
			return nil
		},
	}
}
