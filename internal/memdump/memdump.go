// Package memdump writes a running program's memory figures on a signal, for
// scripts/memory.sh: on SIGUSR1 it writes a Go heap profile (runtime/pprof, after a garbage
// collection, so that it shows the live heap) and a text summary of the runtime's memory
// classes (runtime/metrics) with the process's resident set (/proc/self/status and
// /proc/self/smaps_rollup). The kiosk links it only when built with `-tags memprofile`; the
// kiosk shipped in the package does not have it.
package memdump

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
)

// init sets the heap profile's sampling rate from $MEMDUMP_RATE (bytes; the runtime's default
// is 512 KiB) as early as this package can: a finer rate names more allocation sites, but its
// buckets take memory of their own, so the resident figures are taken without it.
func init() {
	if rate, err := strconv.Atoi(os.Getenv("MEMDUMP_RATE")); err == nil && rate > 0 {
		runtime.MemProfileRate = rate
	}
}

// OnSignal writes prefix-N.pprof and prefix-N.txt (N = 1, 2, … for each SIGUSR1) into dir
// from now on. Errors go to stderr: a measurement that fails must not stop the program.
func OnSignal(dir, prefix string) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	go func() {
		for n := 1; ; n++ {
			<-c
			base := filepath.Join(dir, fmt.Sprintf("%s-%d", prefix, n))
			if err := Write(base); err != nil {
				fmt.Fprintln(os.Stderr, "memdump:", err)
			}
		}
	}()
}

// Write writes base.txt (the summary, read before the collection) and base.pprof (the heap
// profile, after it).
func Write(base string) error {
	summary, err := os.Create(base + ".txt")
	if err != nil {
		return err
	}
	werr := Summary(summary)
	if err := summary.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return werr
	}
	runtime.GC()
	profile, err := os.Create(base + ".pprof")
	if err != nil {
		return err
	}
	werr = pprof.Lookup("heap").WriteTo(profile, 0)
	if err := profile.Close(); werr == nil {
		werr = err
	}
	return werr
}

// memoryClasses are the runtime's own account of the memory it has mapped; together they add
// up to /memory/classes/total:bytes.
var memoryClasses = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/metadata/other:bytes",
	"/memory/classes/metadata/mspan/inuse:bytes",
	"/memory/classes/metadata/mcache/inuse:bytes",
	"/memory/classes/os-stacks:bytes",
	"/memory/classes/profiling/buckets:bytes",
	"/memory/classes/other:bytes",
	"/memory/classes/total:bytes",
	"/gc/heap/goal:bytes",
	"/gc/gogc:percent",
	"/gc/gomemlimit:bytes",
	"/gc/cycles/total:gc-cycles",
}

// Summary writes the runtime's memory classes, then the process's lines of /proc/self/status
// (Vm*, Rss*) and /proc/self/smaps_rollup, as "name value" lines.
func Summary(w io.Writer) error {
	samples := make([]metrics.Sample, len(memoryClasses))
	for i, name := range memoryClasses {
		samples[i].Name = name
	}
	metrics.Read(samples)
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			fmt.Fprintf(w, "go%s %d\n", s.Name, s.Value.Uint64())
		}
	}
	if err := copyLines(w, "/proc/self/status", "status ", func(l string) bool {
		return strings.HasPrefix(l, "Vm") || strings.HasPrefix(l, "Rss")
	}); err != nil {
		return err
	}
	return copyLines(w, "/proc/self/smaps_rollup", "rollup ", func(l string) bool { return strings.Contains(l, "kB") })
}

func copyLines(w io.Writer, path, prefix string, keep func(string) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); keep(l) {
			fmt.Fprintf(w, "%s%s\n", prefix, strings.Join(strings.Fields(l), " "))
		}
	}
	return sc.Err()
}
