package main

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestReadGCTrace reads a gctrace log: the heap figures of the last collection, the largest
// heap, and the collector's CPU share over a window without idle-time marking and without the
// collections the memdump hook forced.
func TestReadGCTrace(t *testing.T) {
	log := `some other line
gc 1 @0.100s 3%: 0.02+1.0+0.01 ms clock, 0.04+0.5/1.0/2.0+0.02 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 2 @5.000s 1%: 0.03+2.0+0.01 ms clock, 1+2/3/100+4 ms cpu, 92->93->85 MB, 93 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 3 @9.000s 0%: 0.03+2.0+0.01 ms clock, 1+0/2/50+1 ms cpu, 40->41->16 MB, 24 MB goal, 0 MB stacks, 0 MB globals, 2 P
gc 4 @9.500s 0%: 0.03+2.0+0.01 ms clock, 9+9/9/9+9 ms cpu, 20->20->15 MB, 22 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
`
	path := filepath.Join(t.TempDir(), "gc.log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	g := readGCTrace(path)
	if g.peak != 93 || g.live != 16 || g.goal != 24 || len(g.at) != 3 {
		t.Errorf("peak %d, live %d, goal %d, %d collections; want 93, 16, 24, 3", g.peak, g.live, g.goal, len(g.at))
	}
	// Over 4.0 s to 10.0 s: collections 2 and 3, 1+2+3+4 + 1+0+2+1 = 14 ms of 6 s.
	share, n := g.share(4, 10)
	if want := 14.0 / 10 / 6; n != 2 || math.Abs(share-want) > 1e-9 {
		t.Errorf("share %v over %d collections, want %v over 2", share, n, want)
	}
}

// TestReadCounts reads the kB lines of a /proc status file and the runtime's classes of a
// memdump summary, each skipping the lines of another form; a missing file gives nil.
func TestReadCounts(t *testing.T) {
	dir := t.TempDir()
	status := filepath.Join(dir, "status")
	os.WriteFile(status, []byte("Name:\tkiosk\nVmHWM:\t  206848 kB\nVmRSS:\t  165632 kB\nThreads:\t12\n"), 0o600)
	if got := procKB(status); len(got) != 2 || got["VmHWM"] != 206848 || got["VmRSS"] != 165632 {
		t.Errorf("procKB: %v", got)
	}
	summary := filepath.Join(dir, "summary.txt")
	os.WriteFile(summary, []byte("heap profile\ngo/memory/classes/heap/objects:bytes 15728640\ngo/gc/cycles 21 extra\nother 5\n"), 0o600)
	if got := goClasses(summary); len(got) != 1 || got["/memory/classes/heap/objects:bytes"] != 15728640 {
		t.Errorf("goClasses: %v", got)
	}
	if procKB(filepath.Join(dir, "none")) != nil || goClasses(filepath.Join(dir, "none")) != nil {
		t.Error("a missing file gave counts")
	}
}
