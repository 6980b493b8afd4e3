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
	"os/exec"
	"path/filepath"
	"runtime"
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
// The scorer serves plain HTTP on loopback (--insecure-http): TLS costs a handshake per
// connection, which kiosks pay once and then keep the connection alive, so it is left out
// of the per-sheet figures. All sheets are sealed and their requests signed before the clock
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
	loadPerf      = flag.String("load.perf", "", "folder to record a CPU profile of the scorer in, per phase, with Linux perf (perf report -i FOLDER/PHASE.perf.data)")
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
// with the backoff doubling from 1 s.
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
		case res.Status == http.StatusServiceUnavailable || res.Status == http.StatusTooManyRequests:
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

// lgPhase measures a phase: wall time, CPU time of the scorer and of the clients, and with
// -load.perf a profile of the scorer.
type lgPhase struct {
	pid       int
	start     time.Time
	srvCPU    time.Duration
	clientCPU time.Duration
	perf      *exec.Cmd
}

func lgStartPhase(t *testing.T, pid int, name string) *lgPhase {
	if err := lgResetPeak(pid); err != nil {
		t.Logf("cannot reset the scorer's peak memory (%v); VmHWM is the peak since it started", err)
	}
	p := &lgPhase{pid: pid}
	if *loadPerf != "" {
		out := filepath.Join(*loadPerf, name+".perf.data")
		p.perf = exec.Command("perf", "record", "-q", "-F", "499", "-e", "cpu-clock", "-g", "-p", fmt.Sprint(pid), "-o", out)
		if err := p.perf.Start(); err != nil {
			t.Logf("perf: %v", err)
			p.perf = nil
		} else {
			time.Sleep(300 * time.Millisecond) // let perf attach
			t.Logf("%s: recording a profile of the scorer to %s", name, out)
		}
	}
	p.srvCPU, _ = lgCPUTime(pid)
	p.clientCPU = lgOwnCPU()
	p.start = time.Now()
	return p
}

// report logs the phase's figures and returns the scorer's peak memory in MiB.
func (p *lgPhase) report(t *testing.T, name string, sheets int) float64 {
	wall := time.Since(p.start)
	if p.perf != nil {
		p.perf.Process.Signal(syscall.SIGINT)
		p.perf.Wait()
	}
	cpu, _ := lgCPUTime(p.pid)
	hwm, err := lgProcStatus(p.pid, "VmHWM")
	if err != nil {
		t.Logf("%s: reading the scorer's peak memory: %v", name, err)
	}
	srv, cli := cpu-p.srvCPU, lgOwnCPU()-p.clientCPU
	t.Logf("%s: scorer peak memory (VmHWM) %.1f MiB; CPU over %v: scorer %v (%.0f µs/sheet, %.0f%% of one core), clients %v (%.0f%% of one core)",
		name, float64(hwm)/1024, wall.Round(time.Millisecond), srv.Round(time.Millisecond), float64(srv.Microseconds())/float64(max(sheets, 1)),
		100*srv.Seconds()/wall.Seconds(), cli.Round(time.Millisecond), 100*cli.Seconds()/wall.Seconds())
	return float64(hwm) / 1024
}

func TestLoad(t *testing.T) {
	if !*loadRun {
		t.Skip("the load generator runs only with -load")
	}
	nTerm, burstN := *loadTerminals, *loadBurst
	sustainN := int(*loadRate * loadSustain.Seconds())
	if nTerm <= 0 || *loadRate <= 0 || sustainN < nTerm {
		t.Fatalf("need -load.terminals > 0 and at least one sheet per terminal (rate × sustain = %d)", sustainN)
	}
	ctx := context.Background()
	t.Logf("machine: %d CPUs (GOMAXPROCS %d), shared by the scorer and the clients", runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// The scorer: keys, enrolled terminals, and all sheets sealed in advance.
	bin := lgBuildScorer(t)
	data := t.TempDir()
	lgRunCLI(t, bin, "keygen", "--data", data)
	keys, err := scorer.LoadKeys(filepath.Join(data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	receiptKey := keys.Receipt.PublicKey()
	terms := lgNewTerminals(t, nTerm, "load")
	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range terms {
		if err := store.AddTerminal(ctx, scorer.Terminal{ID: term.ID, PublicKey: strings.TrimSpace(string(term.PubLine)), Added: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	sealStart := time.Now()
	sustained := lgSealSheets(t, terms, keys.SheetRecipient, "sus", sustainN, lgPublicExamItems)
	burst := lgSealSheets(t, terms, keys.SheetRecipient, "burst", burstN, lgPublicExamItems)
	t.Logf("sealed and signed %d + %d sheets of %d bytes in %v (kiosk-side cost, not timed)",
		sustainN, burstN, len(sustained[0].Sealed), time.Since(sealStart).Round(time.Millisecond))
	runtime.GC()

	srv := &lgScorer{Bin: bin, Data: data, Addr: lgFreeAddr(t), Extra: strings.Fields(*loadServe), Env: strings.Fields(*loadEnv)}
	srv.Start(t)
	pid := srv.PID()
	base := srv.URL()

	var sustainedOutcomes, burstOutcomes []lgOutcome
	var sustainedRate float64 // sheets/s the scorer kept up under the offered rate
	// (a) Sustained: each terminal submits its share at the offered rate, sheet i due at
	// t0 + i/rate. A terminal that falls behind sends its next sheet at once, so the
	// latency, measured from when a sheet was due, counts the time it waited at the terminal.
	{
		stats := &lgStats{statuses: map[string]int{}}
		transport := &http.Transport{MaxIdleConnsPerHost: nTerm, DisableCompression: true, IdleConnTimeout: time.Minute}
		client := &http.Client{Transport: transport, Timeout: time.Minute}
		outcomes := make([]lgOutcome, sustainN)
		var failed atomic.Int64
		var firstErr atomic.Value
		interval := time.Duration(float64(time.Second) / *loadRate)
		phase := lgStartPhase(t, pid, "sustained")
		t0 := time.Now().Add(50 * time.Millisecond)
		var wg sync.WaitGroup
		for k := range nTerm {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := k; i < sustainN; i += nTerm {
					due := t0.Add(time.Duration(i) * interval)
					if d := time.Until(due); d > 0 {
						time.Sleep(d)
					}
					o, err := lgDeliver(ctx, client, base, sustained[i], stats, due)
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					outcomes[i] = o
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(t0)
		transport.CloseIdleConnections()
		phase.report(t, "sustained", sustainN)
		var inWindow int
		for i, o := range outcomes {
			if o.Receipt != nil && t0.Add(time.Duration(i)*interval+o.Latency).Before(t0.Add(*loadSustain)) {
				inWindow++
			}
		}
		rate := float64(sustainN-int(failed.Load())) / elapsed.Seconds()
		t.Logf("sustained: %d terminals offered %.0f sheets/s for %v: %d sheets receipted in %v = %.0f sheets/s (%d within the %v window = %.0f/s); latency from due time %s; answers: %s",
			nTerm, *loadRate, *loadSustain, sustainN-int(failed.Load()), elapsed.Round(time.Millisecond), rate,
			inWindow, *loadSustain, float64(inWindow)/loadSustain.Seconds(), lgLatencies(outcomes), stats)
		if n := failed.Load(); n > 0 {
			t.Errorf("sustained: %d sheets were refused, e.g. %v", n, firstErr.Load())
		}
		sustainedRate = rate
		lgCheckReceipts(t, "sustained", sustained, outcomes, receiptKey)
		sustainedOutcomes = outcomes
	}

	// (b) Burst: every sheet released at the same instant from its own goroutine, as when
	// every terminal times out together.
	if burstN > 0 {
		stats := &lgStats{statuses: map[string]int{}}
		transport := &http.Transport{MaxIdleConnsPerHost: burstN, MaxConnsPerHost: *loadConns, DisableCompression: true, IdleConnTimeout: time.Minute}
		client := &http.Client{Transport: transport, Timeout: time.Minute}
		burstOutcomes = make([]lgOutcome, burstN)
		var failed atomic.Int64
		var firstErr atomic.Value
		release := make(chan struct{})
		var ready, done sync.WaitGroup
		var last atomic.Int64
		for i := range burstN {
			ready.Add(1)
			done.Add(1)
			go func() {
				defer done.Done()
				ready.Done()
				<-release
				due := time.Now()
				o, err := lgDeliver(ctx, client, base, burst[i], stats, due)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				burstOutcomes[i] = o
				now := time.Now().UnixNano()
				for {
					l := last.Load()
					if now <= l || last.CompareAndSwap(l, now) {
						break
					}
				}
			}()
		}
		ready.Wait()
		runtime.GC()
		phase := lgStartPhase(t, pid, "burst")
		released := time.Now()
		close(release)
		done.Wait()
		absorbed := time.Unix(0, last.Load()).Sub(released)
		transport.CloseIdleConnections()
		peak := phase.report(t, "burst", burstN)
		attempts, dup := 0, 0
		for _, o := range burstOutcomes {
			attempts += o.Attempts
			if o.Status == http.StatusOK {
				dup++
			}
		}
		t.Logf("burst: %d sheets released at once (connections: %s) absorbed in %v (%.0f sheets/s); latency from release %s; %d attempts (%.2f per sheet), %d receipts were repeats (200); answers: %s",
			burstN, map[bool]string{true: "one per sheet", false: fmt.Sprint("at most ", *loadConns)}[*loadConns == 0],
			absorbed.Round(time.Millisecond), float64(burstN)/absorbed.Seconds(), lgLatencies(burstOutcomes),
			attempts, float64(attempts)/float64(burstN), dup, stats)
		if n := failed.Load(); n > 0 {
			t.Errorf("burst: %d sheets were refused, e.g. %v", n, firstErr.Load())
		}
		// The targets are ratios within this run, so that a noisy machine does not decide them.
		burstRate := float64(burstN) / absorbed.Seconds()
		t.Logf("burst/sustained: %.0f / %.0f sheets/s = %.0f%% (target %.0f%%); burst peak %.0f MiB (target %.0f MiB)",
			burstRate, sustainedRate, 100*burstRate/sustainedRate, 100**loadRatio, peak, *loadPeak)
		if sustainedRate > 0 && burstRate < *loadRatio*sustainedRate {
			t.Errorf("burst: drained at %.0f%% of the sustained rate, below %.0f%%", 100*burstRate/sustainedRate, 100**loadRatio)
		}
		if peak > *loadPeak {
			t.Errorf("burst: the scorer's peak memory %.0f MiB is over %.0f MiB", peak, *loadPeak)
		}
		lgCheckReceipts(t, "burst", burst, burstOutcomes, receiptKey)
	}
	srv.Stop(t)
	lgCheckStored(t, data, append(sustained, burst...), append(sustainedOutcomes, burstOutcomes...))
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

// lgCheckStored checks, with the scorer stopped, that the store holds every sheet sent
// exactly once, and nothing else, with the receipt its client got.
func lgCheckStored(t *testing.T, data string, sheets []*lgSheet, outcomes []lgOutcome) {
	t.Helper()
	store, err := scorer.OpenSQLite(filepath.Join(data, "scorer.db"))
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
