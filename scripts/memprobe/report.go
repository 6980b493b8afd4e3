package main

import (
	"fmt"
	"io"
)

// report prints the results as a Markdown table, each kiosk's resident set and peak also as a
// ratio to the hello-world window (the first result), then the Go heap's share of each.
func report(w io.Writer, rs []result) {
	base := rs[0]
	fmt.Fprintln(w, "| program | VmRSS MiB (mean) | × hello | VmHWM MiB | × hello | peak before PIN MiB | RssAnon MiB | file+shmem MiB | Go heap live / goal / peak MB | GC cycles, % of a CPU |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s (%s) | %.2f | %s | %.2f | %s | %s | %s | %d / %d / %d | %d, %.2f |\n", r.label,
			mib(r.rss), mib(r.rssMean), ratio(r.rssMean, base.rssMean), mib(r.hwm), ratio(r.hwm, base.hwm),
			mib(r.startHWM), mib(r.anon), mib(r.file), r.gc.live, r.gc.goal, r.gc.peak, r.gcCycles, r.gcShare)
	}
	if rs[0].goc == nil {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Go runtime (runtime/metrics, MiB) when the figures were read:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| program | heap objects | heap free+unused | heap released | stacks | metadata+other | Go resident (total − released) | non-Go anon |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		g := r.goc
		if g == nil {
			continue
		}
		class := func(names ...string) int {
			n := 0
			for _, name := range names {
				n += g["/memory/classes/"+name+":bytes"]
			}
			return n
		}
		resident := class("total") - class("heap/released")
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.label,
			mib(class("heap/objects")/1024), mib(class("heap/free", "heap/unused")/1024), mib(class("heap/released")/1024),
			mib(class("heap/stacks", "os-stacks")/1024),
			mib(class("metadata/other", "metadata/mspan/inuse", "metadata/mcache/inuse", "profiling/buckets", "other")/1024),
			mib(resident/1024), mib(r.anon-resident/1024))
	}
}

func mib(kib int) string { return fmt.Sprintf("%.1f", float64(kib)/1024) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
