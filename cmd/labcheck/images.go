package main

import (
	"fmt"
	"time"

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
minute, once), for every image a lab names, the host's own image or
labcheck's stand-in (busybox + tini, from Debian packages), and for each
lab the seeded node image: the node image with the lab's images already
in its /var/lib/docker, so nodes start with them (labcheck/node-seeded,
tagged by a hash of what it holds), and the volume holding the node
image's /usr that nodes mount read-only. Images are cached by tag: a second
run builds nothing. labcheck run and grade do
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
			vol, err := b.EnsureUsrVolume(ctx, nodeImage)
			if err != nil {
				return err
			}
			if vol != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "shared /usr: volume %s (every node mounts it read-only)\n", vol)
			}
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
				if len(imgs) == 0 {
					continue
				}
				s, err := b.EnsureSeededImage(ctx, nodeImage, imgs, "")
				if err != nil {
					// run and grade fall back to loading the images into
					// each node; say so rather than fail the build.
					fmt.Fprintf(cmd.OutOrStdout(), "seeded node image for lab %s: none, the images will be loaded into each node: %v\n", name, err)
					continue
				}
				how := "cached"
				if s.Built {
					how = "built in " + s.BuildTime.Round(time.Millisecond).String()
				}
				fmt.Fprintf(cmd.OutOrStdout(), "seeded node image for lab %s: %s (%s)\n", name, s.Ref, how)
			}
			return nil
		},
	}
	build.Flags().StringVar(&nodeImage, "node-image", harness.DefaultNodeImage, "node image to build or check")
	build.Flags().StringSliceVar(&labs, "lab", lab.Embedded(), "labs whose images to prepare")
	cmd.AddCommand(build)
	return cmd
}
