//go:build memprofile

package main

import (
	"os"

	"ispit/internal/memdump"
)

// A kiosk built with `-tags memprofile` (scripts/memory.sh) writes its memory figures on
// SIGUSR1 into the folder $MEMDUMP_DIR, when that is set. The kiosk of the package has no such
// hook.
func init() {
	if dir := os.Getenv("MEMDUMP_DIR"); dir != "" {
		memdump.OnSignal(dir, "kiosk")
	}
}
