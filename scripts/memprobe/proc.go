package main

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// procKB reads the "Name: N kB" lines of a /proc file (status, smaps_rollup) into a map in KiB.
func procKB(path string) map[string]int {
	return readCounts(path, func(line string) (string, string, bool) {
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[2] != "kB" {
			return "", "", false
		}
		return strings.TrimSuffix(fields[0], ":"), fields[1], true
	})
}

// readCounts reads a file of one named count a line into a map, with parse giving each line's
// name and number ("", "", false for a line to skip); nil when the file cannot be read.
func readCounts(path string, parse func(line string) (name, number string, ok bool)) map[string]int {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, number, ok := parse(sc.Text())
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(number); err == nil {
			out[name] = n
		}
	}
	return out
}

// sampler reads a process's VmRSS every interval, so that a report can give the resident set
// averaged over a window as well as at one instant.
type sampler struct {
	pid  int
	mu   sync.Mutex
	at   []time.Time
	rss  []int // KiB
	stop chan struct{}
	done chan struct{}
}

func startSampler(pid int, interval time.Duration) *sampler {
	s := &sampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if st := procKB(procPath(pid, "status")); st != nil {
				s.mu.Lock()
				s.at = append(s.at, time.Now())
				s.rss = append(s.rss, st["VmRSS"])
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// meanSince is the mean VmRSS (KiB) of the samples taken since t.
func (s *sampler) meanSince(t time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum, n := 0, 0
	for i, at := range s.at {
		if !at.Before(t) {
			sum += s.rss[i]
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// steady waits until VmRSS has moved by less than 1% over the last window, or until limit.
func (s *sampler) steady(window, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		time.Sleep(window / 4)
		s.mu.Lock()
		lo, hi, span := 1<<62, 0, time.Duration(0)
		for i := len(s.at) - 1; i >= 0 && time.Since(s.at[i]) <= window; i-- {
			lo, hi = min(lo, s.rss[i]), max(hi, s.rss[i])
			span = time.Since(s.at[i])
		}
		s.mu.Unlock()
		if span >= window*9/10 && hi-lo < hi/100 {
			return
		}
	}
}

func (s *sampler) close() {
	close(s.stop)
	<-s.done
}

func procPath(pid int, name string) string { return "/proc/" + strconv.Itoa(pid) + "/" + name }

// gcLine matches a GODEBUG=gctrace=1 line: when (seconds since start), the CPU times of its
// phases ("0.1+2/3/4+0.5 ms cpu") and the heap ("4->5->2 MB, 6 MB goal").
var gcLine = regexp.MustCompile(`^gc \d+ @([\d.]+)s .*, ([\d.+/]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal`)

// gcTrace is what a gctrace log says of the Go heap: the largest heap any collection started
// at, and the live heap and goal after the last collection, in MB; and each collection's time
// and CPU cost (without idle-time marking), for the collector's share of a processor over a
// window.
type gcTrace struct {
	peak, live, goal int
	at, cpuMS        []float64
}

func readGCTrace(path string) gcTrace {
	var g gcTrace
	f, err := os.Open(path)
	if err != nil {
		return g
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := gcLine.FindStringSubmatch(sc.Text())
		if m == nil || strings.Contains(sc.Text(), "(forced)") {
			continue // a forced collection is the memdump hook's, not the program's
		}
		at, _ := strconv.ParseFloat(m[1], 64)
		// The CPU times are stop-the-world sweep termination, then assist, background and
		// idle marking, then stop-the-world mark termination. Idle marking runs only on
		// processors that have nothing else to do, so it is left out of the cost.
		cpu := 0.0
		for i, part := range strings.FieldsFunc(m[2], func(r rune) bool { return r == '+' || r == '/' }) {
			if v, err := strconv.ParseFloat(part, 64); err == nil && i != 3 {
				cpu += v
			}
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(m[3+i])
		}
		g.at, g.cpuMS = append(g.at, at), append(g.cpuMS, cpu)
		g.peak = max(g.peak, n[0], n[1])
		g.live, g.goal = n[2], n[3]
	}
	return g
}

// share is the collector's CPU time over the window [from, to] (seconds since the program
// started) as a percentage of one processor, and the number of collections in it.
func (g gcTrace) share(from, to float64) (float64, int) {
	cpu, n := 0.0, 0
	for i, at := range g.at {
		if at >= from && at <= to {
			cpu += g.cpuMS[i]
			n++
		}
	}
	if to <= from {
		return 0, n
	}
	return cpu / 10 / (to - from), n
}

// goClasses reads the runtime's memory classes from a memdump summary ("go/memory/classes/…
// N" lines), in bytes; nil when the program was not built with the hook.
func goClasses(path string) map[string]int {
	return readCounts(path, func(line string) (string, string, bool) {
		name, value, ok := strings.Cut(line, " ")
		if !ok || !strings.HasPrefix(name, "go/") {
			return "", "", false
		}
		return strings.TrimPrefix(name, "go"), value, true
	})
}
