package harness

import (
	"archive/tar"
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeededTag(t *testing.T) {
	const node = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	ubuntu := seedInput{Name: "ubuntu:latest", HostID: "sha256:aaaa"}
	alpine := seedInput{Name: "alpine:latest", HostID: "sha256:bbbb"}
	base := seededTag(node, []seedInput{ubuntu, alpine})
	assert.Regexp(t, regexp.MustCompile(`^labcheck/node-seeded:[0-9a-f]{12}$`), base)

	assert.Equal(t, base, seededTag(node, []seedInput{ubuntu, alpine}), "same inputs, same tag")
	assert.Equal(t, base, seededTag(node, []seedInput{alpine, ubuntu}), "the order a lab names its images in does not matter")

	for _, tt := range []struct {
		name string
		node string
		imgs []seedInput
	}{
		{name: "node image rebuilt", node: "sha256:2222222222222222222222222222222222222222222222222222222222222222", imgs: []seedInput{ubuntu, alpine}},
		{name: "host image changed (a real ubuntu pulled)", node: node, imgs: []seedInput{{Name: "ubuntu:latest", HostID: "sha256:cccc"}, alpine}},
		{name: "lab name changed, same host image", node: node, imgs: []seedInput{{Name: "ubuntu:22.04", HostID: "sha256:aaaa"}, alpine}},
		{name: "an image fewer", node: node, imgs: []seedInput{ubuntu}},
		{name: "an image more", node: node, imgs: []seedInput{ubuntu, alpine, {Name: "busybox:latest", HostID: "sha256:dddd"}}},
		{name: "fields do not run into each other", node: node, imgs: []seedInput{{Name: "ubuntu:latest" + "sha256:aaaa"}, alpine}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotEqual(t, base, seededTag(tt.node, tt.imgs))
		})
	}
}

// The format version is part of the hash: bumping it retires every cached
// seeded image.
func TestSeededTagCoversFormat(t *testing.T) {
	in := []seedInput{{Name: "ubuntu:latest", HostID: "sha256:aaaa"}}
	assert.NotEqual(t, seededTagFor(seedFormat, "sha256:1", in), seededTagFor(seedFormat+"x", "sha256:1", in))
	assert.Equal(t, seededTag("sha256:1", in), seededTagFor(seedFormat, "sha256:1", in))
}

// seedTar writes a tar of a build daemon's data root as GNU tar --xattrs
// does: entries with PAX SCHILY.xattr records.
type seedTar struct {
	t  *testing.T
	tw *tar.Writer
	b  bytes.Buffer
}

func newSeedTar(t *testing.T) *seedTar {
	s := &seedTar{t: t}
	s.tw = tar.NewWriter(&s.b)
	return s
}

func (s *seedTar) add(h tar.Header) *seedTar {
	if h.Mode == 0 {
		h.Mode = 0o755
	}
	if h.Typeflag == tar.TypeReg {
		h.Size = 1
	}
	require.NoError(s.t, s.tw.WriteHeader(&h))
	if h.Typeflag == tar.TypeReg {
		_, err := s.tw.Write([]byte{'x'})
		require.NoError(s.t, err)
	}
	return s
}

func (s *seedTar) dir(name string) *seedTar {
	return s.add(tar.Header{Typeflag: tar.TypeDir, Name: name + "/"})
}
func (s *seedTar) file(name string) *seedTar {
	return s.add(tar.Header{Typeflag: tar.TypeReg, Name: name})
}

func (s *seedTar) bytes() []byte {
	require.NoError(s.t, s.tw.Close())
	return s.b.Bytes()
}

const layerID = "9f5490a320d5ddd513451ef5186f3a8c91df473f706ae7dfe52e0cb3f65c6091"

// goodDataRoot is what labcheck's build daemon holds after loading the
// stand-in: the image store and one layer with its short link.
func goodDataRoot(t *testing.T) *seedTar {
	return newSeedTar(t).
		dir("image").dir("image/overlay2").file("image/overlay2/repositories.json").
		dir("image/overlay2/imagedb/content/sha256").
		dir("overlay2").dir("overlay2/" + layerID).file("overlay2/" + layerID + "/link").
		dir("overlay2/" + layerID + "/diff").dir("overlay2/" + layerID + "/diff/bin").
		file("overlay2/" + layerID + "/diff/bin/busybox").
		add(tar.Header{Typeflag: tar.TypeSymlink, Name: "overlay2/" + layerID + "/diff/bin/sh", Linkname: "busybox"}).
		dir("overlay2/l").
		add(tar.Header{Typeflag: tar.TypeSymlink, Name: "overlay2/l/R5JM3NOBTY65PXYCAM2IBFWLLN", Linkname: "../" + layerID + "/diff"})
}

func TestCheckSeedArchive(t *testing.T) {
	diff := "overlay2/" + layerID + "/diff/"
	for _, tt := range []struct {
		name    string
		archive func(t *testing.T) []byte
		wantErr string
	}{
		{name: "image store and layers", archive: func(t *testing.T) []byte { return goodDataRoot(t).bytes() }},
		{name: "file capabilities are kept", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).add(tar.Header{Typeflag: tar.TypeReg, Name: diff + "bin/ping",
				PAXRecords: map[string]string{"SCHILY.xattr.security.capability": "\x01\x00\x00\x02"}}).bytes()
		}},
		{name: "a whiteout", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).add(tar.Header{Typeflag: tar.TypeChar, Name: diff + "etc/motd"}).bytes()
		}, wantErr: diff + "etc/motd is a whiteout (a file a later layer deletes)"},
		{name: "an opaque directory", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).add(tar.Header{Typeflag: tar.TypeDir, Name: diff + "var/cache/",
				PAXRecords: map[string]string{"SCHILY.xattr.trusted.overlay.opaque": "y"}}).bytes()
		}, wantErr: diff + "var/cache has the overlay attribute trusted.overlay.opaque"},
		{name: "a swarm identity", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).dir("swarm").file("swarm/state.json").bytes()
		}, wantErr: "the build data root copy holds swarm, outside [image overlay2]"},
		{name: "no image store", archive: func(t *testing.T) []byte {
			return newSeedTar(t).dir("overlay2").dir("overlay2/" + layerID).bytes()
		}, wantErr: "no image/overlay2/repositories.json"},
		{name: "a link to no layer", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).add(tar.Header{Typeflag: tar.TypeSymlink, Name: "overlay2/l/ZZZZ", Linkname: "../0000/diff"}).bytes()
		}, wantErr: "overlay2/l/ZZZZ points to ../0000/diff, not to a layer in the copy"},
		{name: "a layer without its link", archive: func(t *testing.T) []byte {
			return goodDataRoot(t).dir("overlay2/abcdef").dir("overlay2/abcdef/diff").bytes()
		}, wantErr: "overlay2/l has 1 links for 2 layers"},
		{name: "cut short", archive: func(t *testing.T) []byte {
			b := goodDataRoot(t).bytes()
			return b[:700]
		}, wantErr: "read the build data root"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkSeedArchive(bytes.NewReader(tt.archive(t)))
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestStrayChanges(t *testing.T) {
	add := func(p string) container.FilesystemChange {
		return container.FilesystemChange{Kind: container.ChangeAdd, Path: p}
	}
	mod := func(p string) container.FilesystemChange {
		return container.FilesystemChange{Kind: container.ChangeModify, Path: p}
	}
	del := func(p string) container.FilesystemChange {
		return container.FilesystemChange{Kind: container.ChangeDelete, Path: p}
	}
	for _, tt := range []struct {
		name    string
		changes []container.FilesystemChange
		want    []string
		wantErr string
	}{
		{
			// What labcheck's node image shows after a build (docker diff).
			name: "the daemon's key and containerd's directory go, the data root stays",
			changes: []container.FilesystemChange{
				mod("/etc"), mod("/etc/docker"), add("/etc/docker/key.json"),
				mod("/opt"), add("/opt/containerd"), add("/opt/containerd/lib"), add("/opt/containerd/bin"),
				mod("/var"), mod("/var/lib"), add("/var/lib/docker"), add("/var/lib/docker/image"),
			},
			want: []string{"/etc/docker/key.json", "/opt/containerd"},
		},
		{name: "only the data root", changes: []container.FilesystemChange{mod("/var"), mod("/var/lib"), add("/var/lib/docker"), add("/var/lib/docker/overlay2")}},
		{name: "a file of the node image changed", changes: []container.FilesystemChange{mod("/etc"), mod("/etc/hosts.allow")},
			wantErr: "the build changed /etc, changed /etc/hosts.allow in the node image's file system"},
		{name: "a file of the node image deleted", changes: []container.FilesystemChange{mod("/usr/bin"), del("/usr/bin/tar")},
			wantErr: "the build changed /usr/bin, deleted /usr/bin/tar"},
		{name: "a sibling of the data root is not inside it", changes: []container.FilesystemChange{add("/var/lib/docker-old")},
			want: []string{"/var/lib/docker-old"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := strayChanges(tt.changes, dataRoot)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// `labcheck clean --all` removes seeded node images and the temporary tags
// of interrupted builds, by tag, and leaves the node image and the
// stand-in, which share the build-of label or are labcheck's own.
func TestCleanAllRemovesRemakeableImages(t *testing.T) {
	deleted := map[string]bool{}
	var mu sync.Mutex
	del := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		deleted[strings.TrimPrefix(versionPrefix.ReplaceAllString(r.URL.Path, ""), "/images/")] = true
		mu.Unlock()
		writeJSON(w, http.StatusOK, []map[string]string{{"Untagged": "x"}})
	}
	eng := &routeEngine{routes: map[string]http.HandlerFunc{
		"GET /containers/json": reply(http.StatusOK, []any{}),
		"GET /networks":        reply(http.StatusOK, []any{}),
		"GET /images/json": func(w http.ResponseWriter, r *http.Request) {
			f := r.URL.Query().Get("filters")
			switch {
			case strings.Contains(f, LabelImage+"="+seededImageKind):
				writeJSON(w, http.StatusOK, []map[string]any{
					{"Id": "sha256:s1", "RepoTags": []string{"labcheck/node-seeded:aaaaaaaaaaaa"}},
					{"Id": "sha256:s2", "RepoTags": []string{"labcheck/node-seeded:bbbbbbbbbbbb", "labcheck/node-build:0123456789ab"}},
				})
			case strings.Contains(f, LabelBuildOf):
				writeJSON(w, http.StatusOK, []map[string]any{
					// A finished node image build whose temporary tag a
					// SIGKILL left: only that tag goes.
					{"Id": "sha256:n1", "RepoTags": []string{DefaultNodeImage, "labcheck/node-build:fedcba987654"}},
					{"Id": "sha256:s2", "RepoTags": []string{"labcheck/node-seeded:bbbbbbbbbbbb", "labcheck/node-build:0123456789ab"}},
				})
			default:
				writeJSON(w, http.StatusBadRequest, map[string]string{"message": "unexpected filters " + f})
			}
		},
	}}
	eng.routes["GET /volumes"] = reply(http.StatusOK, map[string]any{"Volumes": []map[string]any{
		{"Name": "labcheck-node-usr-e12fe0b52b25", "Labels": map[string]string{LabelVolume: usrVolumeKind}},
		{"Name": "labcheck-node-usr-e12fe0b52b25-ready", "Labels": map[string]string{LabelVolume: usrReadyVolumeKind}},
	}})
	for _, v := range []string{"labcheck-node-usr-e12fe0b52b25", "labcheck-node-usr-e12fe0b52b25-ready"} {
		eng.routes["DELETE /volumes/"+v] = func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	}
	for _, tag := range []string{"labcheck/node-seeded:aaaaaaaaaaaa", "labcheck/node-seeded:bbbbbbbbbbbb", "labcheck/node-build:0123456789ab", "labcheck/node-build:fedcba987654"} {
		eng.routes["DELETE /images/"+tag] = del
	}
	rep, err := Clean(context.Background(), eng.client(t), true)
	require.NoError(t, err)
	want := []string{"labcheck/node-build:0123456789ab", "labcheck/node-build:fedcba987654", "labcheck/node-seeded:aaaaaaaaaaaa", "labcheck/node-seeded:bbbbbbbbbbbb"}
	assert.Equal(t, want, rep.Images)
	assert.Len(t, deleted, 4)
	assert.NotContains(t, deleted, DefaultNodeImage)
	assert.Equal(t, []string{"labcheck-node-usr-e12fe0b52b25-ready", "labcheck-node-usr-e12fe0b52b25"}, rep.Volumes,
		"the shared /usr copies go too, the ready mark first")
	assert.Equal(t, []string{"DELETE /volumes/labcheck-node-usr-e12fe0b52b25-ready", "DELETE /volumes/labcheck-node-usr-e12fe0b52b25"},
		eng.requests("DELETE /volumes/"))

	// Plain clean keeps every cached image: it does not even list them.
	listed := len(eng.requests("GET /images/json"))
	rep, err = Clean(context.Background(), eng.client(t), false)
	require.NoError(t, err)
	assert.Empty(t, rep.Images)
	assert.Empty(t, rep.Volumes)
	assert.Len(t, eng.requests("GET /images/json"), listed, "plain clean lists no images")
}

// The manifest of a data root copy holds what a layer must keep and not
// what a copy may change (times), so the proof compares the node's copy
// with the build's on what matters.
func TestSeedManifest(t *testing.T) {
	archive := func(mtime int64, xattrs map[string]string, mode int64) seedManifest {
		m, err := checkSeedArchive(bytes.NewReader(goodDataRoot(t).add(tar.Header{
			Typeflag: tar.TypeReg, Name: "overlay2/" + layerID + "/diff/bin/ping", Mode: mode,
			ModTime: time.Unix(mtime, 0), PAXRecords: xattrs,
		}).bytes()))
		require.NoError(t, err)
		return m
	}
	caps := map[string]string{"SCHILY.xattr.security.capability": "\x01\x00\x00\x02", "SCHILY.xattr.user.note": "a"}
	built := archive(100, caps, 0o4755)
	assert.Empty(t, manifestDiff(built, archive(200, caps, 0o4755), 5), "times do not matter")

	ping := "overlay2/" + layerID + "/diff/bin/ping"
	lost := archive(100, map[string]string{"SCHILY.xattr.security.capability": "\x01\x00\x00\x02"}, 0o4755)
	diffs := manifestDiff(built, lost, 5)
	require.Len(t, diffs, 1)
	assert.Contains(t, diffs[0], ping+": ")
	assert.Contains(t, diffs[0], "user.note=", "the lost attribute is named")

	assert.Equal(t, []string{ping + ": type 0 mode 755 owner 0:0 size 1 link \"\" xattrs [], want type 0 mode 4755 owner 0:0 size 1 link \"\" xattrs []"},
		manifestDiff(archive(1, nil, 0o4755), archive(1, nil, 0o755), 5), "a mode that changed")

	missing := seedManifest{}
	for k, v := range built {
		if k != ping {
			missing[k] = v
		}
	}
	assert.Equal(t, []string{ping + ": missing"}, manifestDiff(built, missing, 5))
	assert.Equal(t, []string{ping + ": not in the build"}, manifestDiff(missing, built, 5))
	assert.Len(t, manifestDiff(built, seedManifest{}, 2), 3, "two differences and how many more")
}
