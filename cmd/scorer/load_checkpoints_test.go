package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// TestLoadCheckpoints offers the real scorer the progress of an exam day: 2,000 terminals, each
// with its own kept-alive connection as a kiosk has (opened, and the candidate's admission
// asked, before the measurement), checkpointing its attempt every 5 s (400 checkpoints a
// second) for -load.sustain, and measures the scorer's share of one core and how many
// connections the terminals opened. The target is 25 %. It runs only with -load:
//
//	go test ./cmd/scorer -run TestLoadCheckpoints -load -v
func TestLoadCheckpoints(t *testing.T) {
	if !*loadRun {
		t.Skip("the load generator runs only with -load")
	}
	const terminals, perTerminal, every = 2000, 1, 5 * time.Second
	rate := float64(terminals*perTerminal) / every.Seconds()
	n := int(rate * loadSustain.Seconds())
	run := lgSetUp(t, lgSetup{DB: "sqlite", Replicas: 1, Terminals: terminals, Sustained: terminals, Serve: strings.Fields(*loadServe), Env: strings.Fields(*loadEnv), TLS: *loadTLS})
	keys, err := scorer.LoadKeys(filepath.Join(run.Data, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	type upload struct {
		terminal string
		body     []byte
		sig      string
	}
	uploads := make([]upload, n)
	sealStart := time.Now()
	for i := range uploads {
		term := run.Sustained[i%terminals].Terminal
		attempt := i % (terminals * perTerminal)
		items := make([]exam.SheetItem, lgPublicExamItems)
		for k := range items {
			items[k] = exam.SheetItem{ID: fmt.Sprintf("pub-%02d", k), Options: []string{"a", "b", "c", "d"}}
			if k <= i/(terminals*perTerminal)%lgPublicExamItems {
				items[k].Answer = "c"
			}
		}
		cp := &exam.Checkpoint{Format: exam.CheckpointFormat, AttemptID: fmt.Sprintf("att-%05d", attempt), Seq: int64(1 + i/(terminals*perTerminal)),
			Terminal: term.ID, Session: lgSession, ProgramVersion: "loadgen", Candidate: exam.SheetPerson{Code: fmt.Sprintf("C-%05d", attempt)},
			BankID: lgBank, ManifestSHA256: "00", Part: "public", Language: "bs", State: exam.StateRunning,
			AllowanceMS: 1_800_000, UsedMS: int64(i/(terminals*perTerminal)) * every.Milliseconds(), MadeAt: time.Now(), Items: items}
		sealed, err := sheet.SealCheckpoint(cp, term.Signer, keys.SheetRecipient)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := sheet.SignRequest(term.Signer, term.ID, http.MethodPost, "/v1/checkpoints", sealed)
		if err != nil {
			t.Fatal(err)
		}
		uploads[i] = upload{term.ID, sealed, sig}
	}
	t.Logf("sealed %d checkpoints of %d bytes in %v (kiosk-side cost, not timed)", n, len(uploads[0].body), time.Since(sealStart).Round(time.Millisecond))

	var failed, stored, dials atomic.Int64
	clients := make([]*http.Client, terminals)
	for k := range clients {
		dialer := &net.Dialer{}
		clients[k] = &http.Client{Timeout: time.Minute, Transport: &http.Transport{
			TLSClientConfig: run.ClientTLS,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				return dialer.DialContext(ctx, network, addr)
			},
		}}
	}
	// A kiosk's connection is open long before the measured minutes of an exam day, and the
	// scorer has heard from the terminal: it asked whether its candidate may sit the part
	// (POST /v1/admissions) before the attempt began. Each terminal does so first, outside the
	// measurement, so that what is measured is the exam day's steady state, not the scorer
	// learning 2,000 terminals' keys.
	var warm sync.WaitGroup
	for k, c := range clients {
		warm.Go(func() {
			term := run.Sustained[k].Terminal
			body, _ := json.Marshal(sheet.AdmissionCheck{Format: sheet.FormatAdmissionCheck, BankID: lgBank, Candidate: fmt.Sprintf("C-%05d", k), Part: "public"})
			sig, err := sheet.SignRequest(term.Signer, term.ID, http.MethodPost, "/v1/admissions", body)
			if err != nil {
				t.Error(err)
				return
			}
			if status, err := lgPostSigned(c, run.URL()+"/v1/admissions", term.ID, sig, body); err != nil || status != http.StatusOK {
				t.Errorf("terminal %s asking for its candidate's admission: %d %v", term.ID, status, err)
			}
		})
	}
	warm.Wait()
	if t.Failed() {
		t.FailNow()
	}
	opened := dials.Load()
	interval := time.Duration(float64(time.Second) / rate)
	phase := run.startPhase(t, "checkpoints")
	t0 := time.Now()
	var wg sync.WaitGroup
	for k := range terminals {
		wg.Go(func() {
			for i := k; i < n; i += terminals {
				if d := time.Until(t0.Add(time.Duration(i) * interval)); d > 0 {
					time.Sleep(d)
				}
				u := uploads[i]
				if status, err := lgPostSigned(clients[k], run.URL()+"/v1/checkpoints", u.terminal, u.sig, u.body); err != nil || status != http.StatusOK {
					failed.Add(1)
					continue
				}
				stored.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	phase.report(t, "checkpoints", n)
	cpu := phase.scorerCPU()
	share := cpu.Seconds() / elapsed.Seconds()
	t.Logf("checkpoints: %d offered at %.0f/s by %d terminals, %d stored in %v; %d connections opened before, %d during; the scorer used %.1f%% of one core (%.0f µs a checkpoint; target 25%%)",
		n, rate, terminals, stored.Load(), elapsed.Round(time.Millisecond), opened, dials.Load()-opened, 100*share, float64(cpu.Microseconds())/float64(n))
	if f := failed.Load(); f > 0 {
		t.Errorf("%d checkpoints were refused or lost", f)
	}
	if share > 0.25 {
		t.Errorf("the scorer used %.1f%% of one core for 400 checkpoints a second, more than 25%%", 100*share)
	}
}
