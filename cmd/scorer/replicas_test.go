package main

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestReplicas runs scorers as replicas: two `scorer serve` processes over one PostgreSQL
// database, each with a data folder of its own holding a copy of the keys, behind a
// round-robin proxy that answers 502 while a replica is down and never retries (the kiosks'
// own retries do). It offers them the load generator's sustained phase and burst, and kills one
// replica with SIGKILL when half the burst holds receipts, then starts it again. Every kiosk
// must end with a receipt that verifies with the one receipt key, and the database must hold
// every sheet exactly once, with the receipt its kiosk holds: zero loss.
//
// In plain `go test` it sends 1,000 sheets in the sustained phase and a burst of 1,000; with
// -load, the load of the -load flags (TestLoad's), to -load.replicas scorers, killing one
// unless -load.kill=false.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the scorer binary and PostgreSQL")
	}
	setup := lgSetup{DB: "postgres", Replicas: 2, Terminals: 50, Sustained: 1000, Burst: 1000}
	rate, sustain, conns, kill := 500.0, 2*time.Second, 0, true
	if *loadRun {
		rate, sustain, conns, kill = *loadRate, *loadSustain, *loadConns, *loadKill
		setup = lgSetup{DB: "postgres", Replicas: *loadReplicas, Terminals: *loadTerminals, Sustained: int(rate * sustain.Seconds()), Burst: *loadBurst,
			Serve: strings.Fields(*loadServe), Env: strings.Fields(*loadEnv)}
		if setup.Replicas < 2 || setup.Terminals <= 0 || setup.Sustained < setup.Terminals || setup.Burst < 2 {
			t.Fatalf("need -load.replicas ≥ 2, -load.terminals > 0, at least one sheet per terminal (rate × sustain = %d) and a burst", setup.Sustained)
		}
	}
	start := time.Now()
	t.Logf("machine: %d CPUs (GOMAXPROCS %d), shared by the scorers, PostgreSQL, the proxy and the clients", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	run := lgSetUp(t, setup)

	sustainedOutcomes, _ := lgSustained(t, run, "sustained", run.Sustained, rate, sustain)
	var midway func(*lgPhase, int)
	if kill {
		midway = func(phase *lgPhase, receipted int) {
			victim := run.Scorers[len(run.Scorers)-1]
			phase.leave(victim.PID())
			victim.Kill(t)
			killed := time.Now()
			victim.Start(t)
			phase.join(victim.PID())
			t.Logf("burst: SIGKILL to replica %d when %d of %d sheets held receipts; started again, it answered /healthz %v later",
				len(run.Scorers), receipted, len(run.Burst), time.Since(killed).Round(time.Millisecond))
		}
	}
	burstOutcomes, _, _ := lgBurst(t, run, conns, midway)
	lgCheckReceipts(t, "burst", run.Burst, burstOutcomes, run.ReceiptKey)
	run.Stop(t)
	lgCheckStored(t, run.DBURL, run.Data, append(run.Sustained, run.Burst...), append(sustainedOutcomes, burstOutcomes...))
	t.Logf("%v in all", time.Since(start).Round(time.Millisecond))
}
