package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"ispit/bank"
	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// testClock is the scorer's clock, moved by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openTerminal opens an enrolled kiosk with its own data folder, the fixture's bank and
// roster, and a running session of the public exam.
func (f *fixture) openTerminal(t *testing.T, id string) (*Kiosk, *exam.Session) {
	t.Helper()
	cfg := f.config(t)
	cfg.DataDir, cfg.TerminalID = filepath.Join(f.dir, id), id
	k, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	f.enrolTerminal(t, k)
	s := f.startSession(t, k)
	return k, s
}

// answering admits a candidate, begins and answers the first n items.
func answering(t *testing.T, s *exam.Session, code string, n int) *exam.Attempt {
	t.Helper()
	a, err := s.Admit(code, "public")
	if err != nil {
		t.Fatal(err)
	}
	a.Begin("sr-Cyrl")
	for i := range n {
		v, _ := a.Item(i)
		if err := a.Choose(v.Item.ID, v.Options[1].ID); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func TestRequestHandover(t *testing.T) {
	clk := &testClock{t: time.Now()}
	f := newFixtureWith(t, scorer.Config{Now: clk.now})
	ctx := context.Background()
	kA, sA := f.openTerminal(t, "T-01")
	kB, sB := f.openTerminal(t, "T-SPARE")
	a := answering(t, sA, "DEMO-0001", 3)
	a.Visit(2)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if rec, err := f.store.Attempt(ctx, a.ID()); err == nil && rec.Answered == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("A's progress did not reach the scorer")
		}
	}
	clk.add(12 * time.Second)
	_, err := kB.RequestHandover(ctx, sB, "demo-0001") // typed in lower case
	var refused *HandoverRefusedError
	if !errors.As(err, &refused) || refused.Reason != sheet.HandoverStillAlive || refused.Terminal != "T-01" || refused.Silent < 11*time.Second || refused.Needed != time.Minute {
		t.Fatalf("A is alive: %v (%+v)", err, refused)
	}
	if _, err := kB.RequestHandover(ctx, sB, "DEMO-0002"); !errors.As(err, &refused) || refused.Reason != sheet.HandoverNoAttempt {
		t.Fatalf("a candidate the scorer has no attempt of: %v", err)
	}
	if _, err := kB.RequestHandover(ctx, sB, "NOBODY"); !errors.Is(err, exam.ErrUnknownCand) {
		t.Fatalf("a code not on the roster: %v", err)
	}

	kA.Close() // A dies
	clk.add(time.Minute)
	h, err := kB.RequestHandover(ctx, sB, "DEMO-0001")
	if err != nil {
		t.Fatal(err)
	}
	if h.Candidate.Code != "DEMO-0001" || h.From != "T-01" || h.Answered != 3 || h.Items != a.Len() || h.Exported || h.TimeLeft < 29*time.Minute {
		t.Fatalf("the hand-over: %+v", h)
	}
	if age := h.Age(time.Now().Add(5 * time.Second)); age < 77*time.Second || age > 80*time.Second {
		t.Errorf("the checkpoint's age %v, want 72 s at the hand-over and 5 s since", age)
	}
	moved, err := h.Continue(sB, "proctor")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := moved.State(); moved.ID() != a.ID() || st != exam.StateRunning || moved.Current() != 2 || len(moved.Unanswered()) != moved.Len()-3 {
		t.Fatalf("continued %s in state %s on item %d", moved.ID(), st, moved.Current())
	}
	if _, err := kB.RequestHandover(ctx, sB, "DEMO-0001"); !errors.As(err, new(*exam.AlreadyAttemptedError)) {
		t.Fatalf("asking again for a candidate continued here: %v", err)
	}
}

func TestExportAndImportAttempt(t *testing.T) {
	f := newFixture(t)
	kA, sA := f.openTerminal(t, "T-01")
	kB, sB := f.openTerminal(t, "T-SPARE")
	a := answering(t, sA, "DEMO-0002", 5)
	stick := t.TempDir()
	if _, err := kA.ExportAttempt(sA, a, filepath.Join(stick, "no-such-folder"), "proctor", "the scorer is down"); err == nil {
		t.Fatal("exported to a folder that is not there")
	}
	if st, _ := a.State(); st != exam.StatePaused {
		t.Fatalf("after a failed export the attempt is %s, want paused here", st)
	}
	path, err := kA.ExportAttempt(sA, a, stick, "proctor", "the scorer is down")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "DEMO-0002-"+a.ID()+".attempt" {
		t.Errorf("exported as %s", filepath.Base(path))
	}
	if d, ok := a.Departure(); !ok || !d.Exported {
		t.Fatalf("A's attempt after the export: %+v %v", d, ok)
	}
	if CurrentAttempt(sA) != nil || LastMoved(sA) != a || len(MovedAttempts(sA)) != 1 {
		t.Fatal("A still shows the exported attempt as its current one")
	}

	// Files the spare refuses.
	junk := filepath.Join(stick, "junk.attempt")
	os.WriteFile(junk, []byte("not an export"), 0o644)
	other := answering(t, sA, "DEMO-0003", 1)
	var foreign []byte
	other.Export("proctor", "test", func(cp *exam.Checkpoint) error {
		foreign, err = sheet.SealAttemptExport(cp, "proctor", time.Now(), kA.terminal, bank.NewStartCode())
		return err
	})
	foreignPath := filepath.Join(stick, "foreign.attempt")
	os.WriteFile(foreignPath, foreign, 0o644)
	for _, c := range []struct {
		name string
		path string
		want error
	}{
		{"not an export", junk, sheet.ErrDecrypt},
		{"another exam's start code", foreignPath, sheet.ErrDecrypt},
		{"no such file", filepath.Join(stick, "none.attempt"), os.ErrNotExist},
	} {
		if _, err := kB.ImportAttempt(sB, c.path); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}

	h, err := kB.ImportAttempt(sB, path)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Exported || h.ExportedBy != "proctor" || h.From != "T-01" || h.Answered != 5 || h.TimeLeft != a.TimeLeft() {
		t.Fatalf("imported %+v; A had %v left", h, a.TimeLeft())
	}
	moved, err := h.Continue(sB, "proctor")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := moved.State(); st != exam.StateRunning || moved.ContinuedFrom() != "T-01" {
		t.Fatalf("continued: %s from %q", st, moved.ContinuedFrom())
	}
	if _, err := kB.ImportAttempt(sB, path); !errors.As(err, new(*exam.AlreadyAttemptedError)) {
		t.Fatalf("importing it twice: %v", err)
	}
	// A spare whose session sits another part refuses it.
	cfg := f.config(t)
	cfg.DataDir, cfg.TerminalID = filepath.Join(f.dir, "T-C"), "T-C"
	kC, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer kC.Close()
	f.enrolTerminal(t, kC)
	kC.LoadBank(f.bankFile)
	kC.LoadRoster(f.rosterFile)
	sC, err := kC.StartSession("demo-2026", "professional-written", "proctor", f.startCode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kC.ImportAttempt(sC, path); !errors.Is(err, exam.ErrSessionMismatch) {
		t.Fatalf("another part: %v", err)
	}
}

func TestRequestHandoverWithTheScorerOutOfReach(t *testing.T) {
	f := newFixture(t)
	k, s := f.openTerminal(t, "T-SPARE")
	var e map[string]any
	json.Unmarshal(f.enrolment, &e)
	e["scorer_url"] = "https://127.0.0.1:1"
	away, _ := json.Marshal(e)
	if err := k.Enrol(away); err != nil {
		t.Fatal(err)
	}
	if _, err := k.RequestHandover(context.Background(), s, "DEMO-0001"); !errors.Is(err, ErrScorerUnreachable) {
		t.Fatalf("with the scorer out of reach: %v", err)
	}
}
