// Command memhello is a Fyne hello-world window, fullscreen like the kiosk: the baseline that
// scripts/memory.sh measures the kiosk's memory against, in the same run on the same display.
// Like the kiosk built with `-tags memprofile`, it writes its memory figures on SIGUSR1 (package
// internal/memdump) into the folder $MEMDUMP_DIR, when that is set.
package main

import (
	"os"

	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"ispit/internal/memdump"
)

func main() {
	if dir := os.Getenv("MEMDUMP_DIR"); dir != "" {
		memdump.OnSignal(dir, "hello")
	}
	a := fyneapp.New()
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello, world"))
	w.SetFullScreen(true)
	w.ShowAndRun()
}
