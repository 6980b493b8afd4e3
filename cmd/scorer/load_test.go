package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/scorer"
	"ispit/sheet"
)

// The load generator plays N terminals against the real scorer binary. It is skipped unless
// -load is given:
//
//	go test ./cmd/scorer -run TestLoad -load -load.terminals=200 -load.sustain=10s -load.rate=2500 -load.burst=10000
//
// -load.db=postgres offers the load to a scorer over PostgreSQL instead of SQLite (a new
// database on the tests' server, internal/pgtest), and -load.db=sqlite,postgres to each in
// turn; with -load, TestReplicas (replicas_test.go) offers the same load to replicas over one
// PostgreSQL database behind a proxy, and kills one in the middle of the burst. The figures of
// all three come from one run:
//
//	go test ./cmd/scorer -run 'TestLoad|TestReplicas' -load -load.db=sqlite,postgres -timeout=30m -v
//
// The scorer serves plain HTTP on loopback (--insecure-http) unless -load.tls: TLS costs a
// handshake per connection (BenchmarkConnectionCost), which a kiosk pays once while the scorer
// keeps its connection, and which each sheet of the burst pays on its new connection. All sheets are sealed and their requests signed before the clock
// starts: sealing is the kiosk's cost, not the scorer's.
var (
	loadRun       = flag.Bool("load", false, "run the load generator (TestLoad)")
	loadTerminals = flag.Int("load.terminals", 200, "terminals submitting in the sustained phase")
	loadSustain   = flag.Duration("load.sustain", 10*time.Second, "duration of the sustained phase")
	loadRate      = flag.Float64("load.rate", 2500, "offered sheets per second in the sustained phase")
	loadBurst     = flag.Int("load.burst", 10000, "sheets released at the same instant in the burst phase (0: no burst)")
	loadConns     = flag.Int("load.conns", 0, "most connections of the burst's shared transport (0: one per sheet)")
	loadRatio     = flag.Float64("load.burst-ratio", 0.9, "the burst must be drained at this share of the sustained rate at least")
	loadPeak      = flag.Float64("load.peak", 256, "the scorer's peak memory in the burst must stay within this many MiB")
	loadServe     = flag.String("load.serve", "", "extra flags for `scorer serve`, space-separated")
	loadEnv       = flag.String("load.env", "", "environment variables for `scorer serve` only, space-separated (GOMEMLIMIT=200MiB)")
	loadTLS       = flag.Bool("load.tls", false, "the scorer serves HTTPS and the clients pin its certificate, as kiosks do (TestLoad, TestLoadCheckpoints; one scorer)")
	loadPerf      = flag.String("load.perf", "", "folder to record a CPU profile of the scorer in, per phase, with Linux perf (perf report -i FOLDER/PHASE.perf.data)")
	loadDB        = flag.String("load.db", "sqlite", "the scorer's database in TestLoad: sqlite or postgres, or both, comma-separated, one after the other")
	loadReplicas  = flag.Int("load.replicas", 2, "scorers over one PostgreSQL database in TestReplicas")
	loadKill      = flag.Bool("load.kill", true, "in TestReplicas, SIGKILL a replica when half the burst holds receipts, and start it again")
)

// lgStats gathers what the clients saw.
type lgStats struct {
	mu       sync.Mutex
	statuses map[string]int // every answer or error by status, retries included
}

func (s *lgStats) add(key string) {
	s.mu.Lock()
	s.statuses[key]++
	s.mu.Unlock()
}

func (s *lgStats) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.statuses))
	for k := range s.statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s×%d", k, s.statuses[k])
	}
	return strings.TrimSpace(b.String())
}

// lgErrorKey names a transport error briefly, for counting.
func lgErrorKey(err error) string {
	var nerr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "conn-refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "conn-reset"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no-local-port"
	case errors.Is(err, syscall.EMFILE):
		return "too-many-files"
	case errors.As(err, &nerr) && nerr.Timeout():
		return "timeout"
	}
	return "error(" + err.Error() + ")"
}

// lgOutcome is what became of one sheet at a client.
type lgOutcome struct {
	Status   int           // the final status: 201 or 200
	Receipt  []byte        // the receipt
	Latency  time.Duration // from the sheet's due time to its receipt
	Attempts int
}

// lgDeliver uploads a sheet until the scorer receipts it, retrying as the Uploader does:
// after a refusal or a failure it waits max(Retry-After, a random wait up to the backoff),
// with the backoff doubling from 1 s. The refusals retried are the scorer's 503 and 429 and a
// load balancer's 502 (its backend is down); any other is the sheet's failure.
func lgDeliver(ctx context.Context, client *http.Client, baseURL string, s *lgSheet, stats *lgStats, due time.Time) (lgOutcome, error) {
	backoff := time.Second
	for attempt := 1; ; attempt++ {
		res, err := lgPost(ctx, client, baseURL, s)
		var wait time.Duration
		switch {
		case err != nil:
			stats.add(lgErrorKey(err))
		case res.Status == http.StatusCreated || res.Status == http.StatusOK:
			stats.add(fmt.Sprint(res.Status))
			return lgOutcome{Status: res.Status, Receipt: res.Body, Latency: time.Since(due), Attempts: attempt}, nil
		case res.Status == http.StatusServiceUnavailable || res.Status == http.StatusTooManyRequests || res.Status == http.StatusBadGateway:
			stats.add(fmt.Sprint(res.Status))
			wait = res.RetryAfter
		default:
			stats.add(fmt.Sprint(res.Status))
			return lgOutcome{Status: res.Status, Attempts: attempt}, fmt.Errorf("sheet %s refused: %d %s", s.ID, res.Status, res.Body)
		}
		wait = max(wait, time.Duration(rand.Int64N(int64(backoff)+1)))
		backoff = min(2*backoff, 2*time.Minute)
		select {
		case <-ctx.Done():
			return lgOutcome{Attempts: attempt}, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// lgPercentile returns the p-th percentile (0 < p ≤ 100) of sorted durations.
func lgPercentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func lgLatencies(outcomes []lgOutcome) string {
	var lat []time.Duration
	for _, o := range outcomes {
		if o.Receipt != nil {
			lat = append(lat, o.Latency)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return "no receipts"
	}
	return fmt.Sprintf("p50 %v, p90 %v, p99 %v, max %v", lgPercentile(lat, 50).Round(time.Microsecond*100), lgPercentile(lat, 90).Round(time.Microsecond*100),
		lgPercentile(lat, 99).Round(time.Microsecond*100), lat[len(lat)-1].Round(time.Millisecond))
}

// lgOwnCPU is the CPU time this process (the clients) has used.
func lgOwnCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lgPhase measures a phase: wall time, CPU time of the scorers, of the proxy in front of them
// if any, and of the clients, and with -load.perf a profile of the scorers.
type lgPhase struct {
	pids      []int // the scorers
	proxy     int   // the proxy's process; 0 without one
	start     time.Time
	srvCPU    time.Duration // the scorers' CPU time at the start, less that of scorers that left
	proxyCPU  time.Duration
	clientCPU time.Duration
	peak      int64 // the largest peak memory (kB) of scorers that left
	idle      lgIdle
	perf      *exec.Cmd
}

// lgIdle is the machine's idle and total CPU time so far (/proc/stat, in clock ticks): a phase
// in which the scorer used less than every core while the machine had no idle time was slowed
// by other work on the machine, not by the scorer.
type lgIdle struct{ idle, total int64 }

func lgReadIdle() lgIdle {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return lgIdle{}
	}
	line, _, _ := strings.Cut(string(data), "\n")
	var v lgIdle
	for i, f := range strings.Fields(line)[1:] {
		var n int64
		fmt.Sscan(f, &n)
		v.total += n
		if i == 3 || i == 4 { // idle, iowait
			v.idle += n
		}
	}
	return v
}

// since is the share of the machine's CPU time that was idle since v.
func (v lgIdle) since() float64 {
	now := lgReadIdle()
	if now.total == v.total {
		return 0
	}
	return float64(now.idle-v.idle) / float64(now.total-v.total)
}

// lgStartPhase starts measuring the phase name of the scorers pids and, unless proxy is 0, of
// the proxy with that process id.
func lgStartPhase(t *testing.T, pids []int, proxy int, name string) *lgPhase {
	for _, pid := range pids {
		if err := lgResetPeak(pid); err != nil {
			t.Logf("cannot reset the scorer's peak memory (%v); VmHWM is the peak since it started", err)
		}
	}
	p := &lgPhase{pids: slices.Clone(pids), proxy: proxy}
	if *loadPerf != "" {
		if err := os.MkdirAll(*loadPerf, 0o755); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(*loadPerf, name+".perf.data")
		list := make([]string, len(pids))
		for i, pid := range pids {
			list[i] = fmt.Sprint(pid)
		}
		p.perf = exec.Command("perf", "record", "-q", "-F", "499", "-e", "cpu-clock", "-g", "-p", strings.Join(list, ","), "-o", out)
		if err := p.perf.Start(); err != nil {
			t.Logf("perf: %v", err)
			p.perf = nil
		} else {
			time.Sleep(300 * time.Millisecond) // let perf attach
			t.Logf("%s: recording a profile of the scorer to %s", name, out)
		}
	}
	for _, pid := range pids {
		cpu, _ := lgCPUTime(pid)
		p.srvCPU += cpu
	}
	if proxy != 0 {
		p.proxyCPU, _ = lgCPUTime(proxy)
	}
	p.clientCPU = lgOwnCPU()
	p.idle = lgReadIdle()
	p.start = time.Now()
	return p
}

// leave is told of a scorer about to be killed: the CPU time it used in the phase and its peak
// memory still count.
func (p *lgPhase) leave(pid int) {
	cpu, _ := lgCPUTime(pid)
	p.srvCPU -= cpu
	if hwm, err := lgProcStatus(pid, "VmHWM"); err == nil {
		p.peak = max(p.peak, hwm)
	}
	p.pids = slices.DeleteFunc(p.pids, func(x int) bool { return x == pid })
}

// join adds a scorer started in the middle of the phase.
func (p *lgPhase) join(pid int) { p.pids = append(p.pids, pid) }

// scorerCPU is the CPU time the scorers used in the phase so far.
func (p *lgPhase) scorerCPU() time.Duration {
	cpu := -p.srvCPU
	for _, pid := range p.pids {
		c, _ := lgCPUTime(pid)
		cpu += c
	}
	return cpu
}

// report logs the phase's figures and returns the scorer's peak memory in MiB (with several,
// the largest).
func (p *lgPhase) report(t *testing.T, name string, sheets int) float64 {
	wall := time.Since(p.start)
	if p.perf != nil {
		p.perf.Process.Signal(syscall.SIGINT)
		p.perf.Wait()
	}
	var cpu time.Duration
	hwm := p.peak
	for _, pid := range p.pids {
		c, _ := lgCPUTime(pid)
		cpu += c
		h, err := lgProcStatus(pid, "VmHWM")
		if err != nil {
			t.Logf("%s: reading the scorer's peak memory: %v", name, err)
		}
		hwm = max(hwm, h)
	}
	srv, cli := cpu-p.srvCPU, lgOwnCPU()-p.clientCPU
	memWho, cpuWho, proxy := "scorer", "scorer", ""
	if n := len(p.pids); n > 1 {
		memWho, cpuWho = fmt.Sprintf("the largest of %d scorers'", n), fmt.Sprintf("%d scorers", n)
	}
	if p.proxy != 0 {
		c, _ := lgCPUTime(p.proxy)
		proxy = fmt.Sprintf(", proxy %v (%.0f%% of one core)", (c - p.proxyCPU).Round(time.Millisecond), 100*(c-p.proxyCPU).Seconds()/wall.Seconds())
	}
	t.Logf("%s: %s peak memory (VmHWM) %.1f MiB; CPU over %v: %s %v (%.0f µs/sheet, %.0f%% of one core), clients %v (%.0f%% of one core)%s; the machine idle %.0f%% of its CPU time",
		name, memWho, float64(hwm)/1024, wall.Round(time.Millisecond), cpuWho, srv.Round(time.Millisecond), float64(srv.Microseconds())/float64(max(sheets, 1)),
		100*srv.Seconds()/wall.Seconds(), cli.Round(time.Millisecond), 100*cli.Seconds()/wall.Seconds(), proxy, 100*p.idle.since())
	return float64(hwm) / 1024
}

func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("the load generator runs only with -load")
	}
	dbs := strings.Split(*loadDB, ",")
	if len(dbs) == 1 {
		lgLoad(t, dbs[0])
		return
	}
	for _, db := range dbs {
		t.Run(db, func(t *testing.T) { lgLoad(t, db) })
	}
}

// lgLoad offers the load of the -load flags to one scorer over the database db: sqlite or
// postgres.
func lgLoad(t *testing.T, db string) {
	nTerm, burstN := *loadTerminals, *loadBurst
	sustainN := int(*loadRate * loadSustain.Seconds())
	if nTerm <= 0 || *loadRate <= 0 || sustainN < nTerm {
		t.Fatalf("need -load.terminals > 0 and at least one sheet per terminal (rate × sustain = %d)", sustainN)
	}
	t.Logf("machine: %d CPUs (GOMAXPROCS %d), shared by the scorer and the clients", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	// With a burst, the sustained rate is measured before and after it, and the burst compared
	// with their mean: the database grows by a burst's rows, and a noisy machine drifts, in
	// between; measuring on both sides cancels what changes steadily.
	phases := 1
	if burstN > 0 {
		phases = 2
	}
	run := lgSetUp(t, lgSetup{DB: db, Replicas: 1, Terminals: nTerm, Sustained: phases * sustainN, Burst: burstN,
		Serve: strings.Fields(*loadServe), Env: strings.Fields(*loadEnv), TLS: *loadTLS})

	// (a) Sustained, (b) burst, (c) sustained again: see lgSustained and lgBurst.
	sustainedOutcomes, sustainedRate := lgSustained(t, run, "sustained", run.Sustained[:sustainN], *loadRate, *loadSustain)
	var burstOutcomes []lgOutcome
	if burstN > 0 {
		var burstRate, peak float64
		burstOutcomes, burstRate, peak = lgBurst(t, run, *loadConns, nil)
		lgCheckReceipts(t, "burst", run.Burst, burstOutcomes, run.ReceiptKey)
		afterOutcomes, afterRate := lgSustained(t, run, "sustained-after", run.Sustained[sustainN:], *loadRate, *loadSustain)
		sustainedOutcomes = append(sustainedOutcomes, afterOutcomes...)
		// The targets are ratios within this run, so that a noisy machine does not decide them.
		mean := (sustainedRate + afterRate) / 2
		t.Logf("burst/sustained: %.0f / %.0f sheets/s (mean of %.0f before and %.0f after) = %.0f%% (target %.0f%%); burst peak %.0f MiB (target %.0f MiB)",
			burstRate, mean, sustainedRate, afterRate, 100*burstRate/mean, 100**loadRatio, peak, *loadPeak)
		if mean > 0 && burstRate < *loadRatio*mean {
			t.Errorf("burst: drained at %.0f%% of the sustained rate, below %.0f%%", 100*burstRate/mean, 100**loadRatio)
		}
		if peak > *loadPeak {
			t.Errorf("burst: the scorer's peak memory %.0f MiB is over %.0f MiB", peak, *loadPeak)
		}
	}
	run.Stop(t)
	lgCheckStored(t, run.DBURL, run.Data, append(run.Sustained, run.Burst...), append(sustainedOutcomes, burstOutcomes...))
}

// lgCheckReceipts checks that every sheet got a receipt that verifies.
func lgCheckReceipts(t *testing.T, phase string, sheets []*lgSheet, outcomes []lgOutcome, key ssh.PublicKey) {
	t.Helper()
	var bad atomic.Int64
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(sheets) {
					return
				}
				if outcomes[i].Receipt == nil {
					bad.Add(1)
					continue
				}
				if r, err := sheet.VerifyReceipt(outcomes[i].Receipt, key, sheets[i].Sealed); err != nil || r.SheetID != sheets[i].ID {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := bad.Load(); n > 0 {
		t.Errorf("%s: %d of %d sheets have no receipt that verifies", phase, n, len(sheets))
	} else {
		t.Logf("%s: all %d clients hold a receipt that verifies", phase, len(sheets))
	}
}

// lgCheckStored checks, with the scorers stopped, that the store holds every sheet sent
// exactly once, and nothing else, with the receipt its client got. The store is the
// PostgreSQL database db, or with db "" the SQLite database in the data folder.
func lgCheckStored(t *testing.T, db, data string, sheets []*lgSheet, outcomes []lgOutcome) {
	t.Helper()
	store, err := scorer.OpenStore(context.Background(), db, data)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	stored, err := store.Sheets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	receipts := make(map[string][]byte, len(sheets))
	for i, s := range sheets {
		receipts[s.ID] = outcomes[i].Receipt
	}
	seen := make(map[string]int, len(stored))
	unknown, twice, otherReceipt := 0, 0, 0
	for _, r := range stored {
		seen[r.SheetID]++
		want, ok := receipts[r.SheetID]
		switch {
		case !ok:
			unknown++
		case seen[r.SheetID] == 2:
			twice++
		case !bytes.Equal(r.Receipt, want):
			otherReceipt++
		}
	}
	missing := 0
	for id := range receipts {
		if seen[id] == 0 {
			missing++
		}
	}
	if missing+unknown+twice+otherReceipt > 0 {
		t.Errorf("store: %d rows for %d sheets sent: %d missing, %d unknown, %d stored twice, %d with another receipt than the client got",
			len(stored), len(sheets), missing, unknown, twice, otherReceipt)
	} else {
		t.Logf("store: %d rows; every sheet sent is stored exactly once with the receipt its client holds: zero loss", len(stored))
	}
}
