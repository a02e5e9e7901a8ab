package hostpkg

import (
	"context"
	"strings"
	"testing"
)

func TestEnsure(t *testing.T) {
	if err := Ensure(context.Background(), Need{"sh": "dash"}, false, "a test", nil); err != nil {
		t.Fatalf("sh is on every host: %v", err)
	}
	err := Ensure(context.Background(), Need{"labcheck-no-such-tool": "labcheck-no-such-package"}, false, "reading screenshots", nil)
	if err == nil {
		t.Fatal("a missing tool with install off is an error")
	}
	for _, want := range []string{"labcheck-no-such-tool not found", "reading screenshots needs Debian's labcheck-no-such-package", "apt-get install labcheck-no-such-package"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestMissingAndPackages(t *testing.T) {
	need := Need{"sh": "dash", "zz-missing-a": "pkg-a", "zz-missing-b": "pkg-a"}
	got := Missing(need)
	if strings.Join(got, ",") != "zz-missing-a,zz-missing-b" {
		t.Errorf("Missing = %v", got)
	}
	if p := packages(need, got); strings.Join(p, ",") != "pkg-a" {
		t.Errorf("packages = %v: one package for two programs", p)
	}
}

func TestEnsureInstallsCompanionPackagesTogether(t *testing.T) {
	err := Ensure(context.Background(), Need{"labcheck-no-such-tool": "tool-pkg"}, false, "building images", nil, "busybox-static", "tool-pkg")
	if err == nil || !strings.Contains(err.Error(), "apt-get install busybox-static tool-pkg") {
		t.Fatalf("err = %v: the companion packages are named once, sorted", err)
	}
	if err := Ensure(context.Background(), Need{"sh": "dash"}, false, "x", nil, "busybox-static"); err != nil {
		t.Fatalf("nothing missing, nothing to install: %v", err)
	}
}
