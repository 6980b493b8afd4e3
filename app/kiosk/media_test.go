package kiosk

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRemovableMediaDir(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home", "exam")
	mkdir := func(parts ...string) string {
		p := filepath.Join(append([]string{root}, parts...)...)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mount := func(parts ...string) string { // a stick with a file on it
		p := mkdir(parts...)
		write(t, p, "exam.bank", []byte("x"))
		return p
	}
	mkdir("home", "exam")
	steps := []struct {
		do   func()
		want string
	}{
		{func() {}, home},
		{func() { mkdir("media", "exam"); mkdir("media", "usb0"); mkdir("media", "usb1") }, home}, // mount points, nothing mounted
		{func() { mount("media", "usb1") }, filepath.Join(root, "media", "usb1")},
		{func() { mount("run", "media", "exam", "STICK") }, filepath.Join(root, "run", "media", "exam", "STICK")},
		{func() { mount("run", "media", "exam", "OTHER") }, filepath.Join(root, "run", "media", "exam")},
		{func() { mount("media", "exam", "KINGSTON") }, filepath.Join(root, "media", "exam", "KINGSTON")},
		{func() { mkdir("media", "exam", ".hidden", "x") }, filepath.Join(root, "media", "exam", "KINGSTON")},
	}
	for i, s := range steps {
		s.do()
		if got := removableMediaDir(root, "exam", home); got != s.want {
			t.Errorf("step %d: %q, want %q", i, got, s.want)
		}
	}
	if got := removableMediaDir(root, "", filepath.Join(root, "nowhere")); got != filepath.Join(root, "media") {
		t.Errorf("with no user: %q", got)
	}
	if got := removableMediaDir(t.TempDir(), "exam", filepath.Join(root, "nowhere")); got != "" {
		t.Errorf("with nothing at all: %q", got)
	}
	if RemovableMediaDir() == "" {
		t.Log("no removable media folder and no home folder on this machine")
	}
}
