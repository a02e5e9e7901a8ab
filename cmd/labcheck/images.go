package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/labcheck/labcheck/grader/lab"
	"github.com/labcheck/labcheck/harness"
)

func newImagesCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "images",
		Short: "Build the images labcheck's clusters need",
	}
	var nodeImage string
	var labs []string
	build := &cobra.Command{
		Use:   "build",
		Short: "Build (or find) the node image and every lab's workload images",
		Long: `Build makes sure the host engine has what clusters need, offline: the
dind node image (built from Debian packages with mmdebstrap, about a
minute, once) and, for every image a lab names, the host's own image or
labcheck's stand-in (busybox + tini, from Debian packages). Images are
cached by tag: a second run builds nothing. labcheck run and grade do
this themselves when an image is missing.

Missing host tools (mmdebstrap, busybox-static, tini) are installed with
apt-get when labcheck runs as root, and it says so.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cli, err := harness.OuterClient(ctx)
			if err != nil {
				return err
			}
			defer cli.Close()
			logf := func(format string, args ...any) { fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...) }
			b := harness.NewBuilder(cli, logf)
			if err := b.EnsureNodeImage(ctx, nodeImage); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "node image: %s\n", nodeImage)
			seen := map[string]bool{}
			for _, name := range labs {
				l, err := lab.Get(name)
				if err != nil {
					return &exitError{code: 2, msg: err.Error()}
				}
				imgs, err := b.EnsureWorkloadImages(ctx, l.Images)
				if err != nil {
					return err
				}
				for _, im := range imgs {
					if seen[im.Name] {
						continue
					}
					seen[im.Name] = true
					src := "from the host engine"
					if im.StandIn() {
						src = "stand-in " + im.HostRef + " (busybox + tini), not the real image"
					}
					fmt.Fprintf(cmd.OutOrStdout(), "lab image %s: %s\n", im.Name, src)
				}
			}
			return nil
		},
	}
	build.Flags().StringVar(&nodeImage, "node-image", harness.DefaultNodeImage, "node image to build or check")
	build.Flags().StringSliceVar(&labs, "lab", lab.Embedded(), "labs whose images to prepare")
	cmd.AddCommand(build)
	return cmd
}
