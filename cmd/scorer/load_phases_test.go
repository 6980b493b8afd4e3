package main

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load generator's two phases, offered to the scorers of an lgRun: sustained uploads at a
// steady rate, then a burst of sheets released at the same instant.

// lgSustained is a sustained phase named name: each terminal submits its share of sustained at
// the offered rate, sheet i due at t0 + i/rate. A terminal that falls behind sends its next sheet
// at once, so the latency, measured from when a sheet was due, counts the time it waited at the
// terminal. It returns what became of each sheet, and the sheets per second receipted.
func lgSustained(t *testing.T, run *lgRun, name string, sustained []*lgSheet, offered float64, sustain time.Duration) ([]lgOutcome, float64) {
	t.Helper()
	ctx := context.Background()
	nTerm, base := run.Terminals, run.URL()
	sustainN := len(sustained)
	stats := &lgStats{statuses: map[string]int{}}
	transport := &http.Transport{MaxIdleConnsPerHost: nTerm, DisableCompression: true, IdleConnTimeout: time.Minute, TLSClientConfig: run.ClientTLS}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	outcomes := make([]lgOutcome, sustainN)
	var failed atomic.Int64
	var firstErr atomic.Value
	interval := time.Duration(float64(time.Second) / offered)
	phase := run.startPhase(t, name)
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
	phase.report(t, name, sustainN)
	var inWindow int
	for i, o := range outcomes {
		if o.Receipt != nil && t0.Add(time.Duration(i)*interval+o.Latency).Before(t0.Add(sustain)) {
			inWindow++
		}
	}
	rate := float64(sustainN-int(failed.Load())) / elapsed.Seconds()
	t.Logf("%s: %d terminals offered %.0f sheets/s for %v: %d sheets receipted in %v = %.0f sheets/s (%d within the %v window = %.0f/s); latency from due time %s; answers: %s",
		name, nTerm, offered, sustain, sustainN-int(failed.Load()), elapsed.Round(time.Millisecond), rate,
		inWindow, sustain, float64(inWindow)/sustain.Seconds(), lgLatencies(outcomes), stats)
	if n := failed.Load(); n > 0 {
		t.Errorf("%s: %d sheets were refused, e.g. %v", name, n, firstErr.Load())
	}
	lgCheckReceipts(t, name, sustained, outcomes, run.ReceiptKey)
	return outcomes, rate
}

// lgBurst is the burst phase: every sheet of run.Burst released at the same instant from its
// own goroutine, as when every terminal times out together, over at most conns connections
// (0: one per sheet). When half the sheets hold receipts, it calls midway, if not nil, on the
// test's goroutine with the phase and the number of receipts. It returns what became of each
// sheet (the caller checks the receipts with lgCheckReceipts), the sheets per second from the
// release to the last receipt, and the scorers' peak memory in MiB.
func lgBurst(t *testing.T, run *lgRun, conns int, midway func(*lgPhase, int)) ([]lgOutcome, float64, float64) {
	t.Helper()
	ctx := context.Background()
	burst, base := run.Burst, run.URL()
	burstN := len(burst)
	stats := &lgStats{statuses: map[string]int{}}
	transport := &http.Transport{MaxIdleConnsPerHost: burstN, MaxConnsPerHost: conns, DisableCompression: true, IdleConnTimeout: time.Minute, TLSClientConfig: run.ClientTLS}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	outcomes := make([]lgOutcome, burstN)
	var failed atomic.Int64
	var firstErr atomic.Value
	release := make(chan struct{})
	half := make(chan struct{})
	var ready, done sync.WaitGroup
	var last, receipted atomic.Int64
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
			outcomes[i] = o
			if o.Receipt != nil && receipted.Add(1) == int64(burstN+1)/2 {
				close(half)
			}
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
	phase := run.startPhase(t, "burst")
	released := time.Now()
	close(release)
	if midway != nil {
		finished := make(chan struct{})
		go func() { done.Wait(); close(finished) }()
		select {
		case <-half:
			midway(phase, int(receipted.Load()))
		case <-finished:
			t.Errorf("burst: fewer than half of the sheets got a receipt")
		}
	}
	done.Wait()
	absorbed := time.Unix(0, last.Load()).Sub(released)
	transport.CloseIdleConnections()
	peak := phase.report(t, "burst", burstN)
	attempts, dup := 0, 0
	for _, o := range outcomes {
		attempts += o.Attempts
		if o.Status == http.StatusOK {
			dup++
		}
	}
	t.Logf("burst: %d sheets released at once (connections: %s) absorbed in %v (%.0f sheets/s); latency from release %s; %d attempts (%.2f per sheet), %d receipts were repeats (200); answers: %s",
		burstN, map[bool]string{true: "one per sheet", false: fmt.Sprint("at most ", conns)}[conns == 0],
		absorbed.Round(time.Millisecond), float64(burstN)/absorbed.Seconds(), lgLatencies(outcomes),
		attempts, float64(attempts)/float64(burstN), dup, stats)
	if n := failed.Load(); n > 0 {
		t.Errorf("burst: %d sheets were refused, e.g. %v", n, firstErr.Load())
	}
	return outcomes, float64(burstN) / absorbed.Seconds(), peak
}
