package kiosk

import "runtime/debug"

// GCPercent is the garbage collector's target for the kiosk, unless GOGC says otherwise:
// collect when the heap has grown by half of what was live, not by all of it. The kiosk's live
// heap is small (some 16 MB: fonts, the catalogue, the screen's widgets) and its garbage comes
// from redrawing the clock and sending checkpoints, so collecting twice as often costs well
// under 1% of one processor and keeps some 8 MB less resident during an attempt (docs/kiosk.md,
// Memory). No memory limit is set: the PIN check's Argon2id needs 64 MiB at once, and a limit
// below that would make the collector run without end while the proctor waits.
const GCPercent = 50

// TuneGC sets the kiosk's garbage collector target, unless the environment sets GOGC.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}
