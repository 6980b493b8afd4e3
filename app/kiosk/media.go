package kiosk

import (
	"os"
	"path/filepath"
)

// RemovableMediaDir is the folder the administrator's file dialogs open in: where the desktop
// mounts USB sticks (/media/$USER, /run/media/$USER, /media), else the home folder, else "".
// Only folders with something in them count: an empty one is a mount point with nothing
// mounted. When the folder holds exactly one stick, it is the stick itself.
func RemovableMediaDir() string {
	home, _ := os.UserHomeDir()
	return removableMediaDir("/", os.Getenv("USER"), home)
}

// removableMediaDir is RemovableMediaDir under root, for tests.
func removableMediaDir(root, user, home string) string {
	var places []string
	if user != "" {
		places = append(places, filepath.Join(root, "media", user), filepath.Join(root, "run", "media", user))
	}
	places = append(places, filepath.Join(root, "media"))
	for _, dir := range places {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		var sticks []string
		for _, e := range entries {
			// A mount point with nothing mounted on it is an empty folder.
			if path := filepath.Join(dir, e.Name()); e.Name()[0] != '.' && isDir(path) && !isEmpty(path) {
				sticks = append(sticks, path)
			}
		}
		switch len(sticks) {
		case 0:
			continue // nothing mounted here
		case 1:
			return sticks[0]
		}
		return dir
	}
	if isDir(home) {
		return home
	}
	return ""
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

func isEmpty(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return true
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}
