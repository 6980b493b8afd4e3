package exam

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// plainProgress "seals" a checkpoint as its JSON: the engine's side of progress, without the
// cryptography (sheet.Sealer does that, tested in package sheet).
type plainProgress struct{}

func (plainProgress) SealCheckpoint(cp *Checkpoint) ([]byte, error) { return cp.Marshal(), nil }

// openProgressEngine opens an engine in dir that makes progress checkpoints every 5 s of clock.
func openProgressEngine(t *testing.T, dir string, clock Clock, terminal string) *Engine {
	t.Helper()
	e, err := Open(filepath.Join(dir, "exam.db"), Options{TerminalID: terminal, Secret: testSecret, Clock: clock, ProgramVersion: "test",
		Progress: plainProgress{}, ProgressInterval: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// waitQueued waits until the engine's outbox holds checkpoint seq of the attempt, and returns
// what the outbox holds.
func waitQueued(t *testing.T, e *Engine, attempt string, seq int64) []ProgressEntry {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		list, err := e.PendingProgress()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.AttemptID == attempt && p.Seq == seq {
				return list
			}
		}
	}
	list, _ := e.PendingProgress()
	t.Fatalf("checkpoint %d of %s was not queued; the outbox holds %+v", seq, attempt, list)
	return nil
}

func TestProgressCheckpointsAreMadeAndCoalesced(t *testing.T) {
	dir, clock := t.TempDir(), newFakeClock()
	e := openProgressEngine(t, dir, clock, "T-01")
	f := demoFixture(t)
	s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	if err != nil {
		t.Fatal(err)
	}
	a := beginPublic(t, s, "DEMO-0001")
	waitQueued(t, e, a.ID(), 1) // at once after the beginning
	v, _ := a.Item(0)
	a.Choose(v.Item.ID, v.Options[0].ID)
	clock.Advance(5 * time.Second)
	list := waitQueued(t, e, a.ID(), 2) // after the interval
	if len(list) != 1 {
		t.Fatalf("%d entries: checkpoints of one attempt must replace each other", len(list))
	}
	cp, err := ReadCheckpoint(list[0].Sealed)
	if err != nil || cp.Answered() != 1 || cp.UsedMS < 5000 || cp.State != StateRunning {
		t.Fatalf("checkpoint 2: %+v %v", cp, err)
	}
	if err := a.Pause("proctor-1", "a candidate is unwell"); err != nil {
		t.Fatal(err)
	}
	list = waitQueued(t, e, a.ID(), 3) // at once after the pause, without waiting for the interval
	if cp, _ := ReadCheckpoint(list[0].Sealed); cp.State != StatePaused {
		t.Fatalf("after the pause: %s", cp.State)
	}
	time.Sleep(600 * time.Millisecond)
	clock.Advance(time.Minute)
	time.Sleep(600 * time.Millisecond)
	if list, _ := e.PendingProgress(); list[0].Seq != 3 {
		t.Fatalf("a paused attempt that does not change was checkpointed again: %d", list[0].Seq)
	}
	if err := e.RecordProgressSent(a.ID(), 3); err != nil {
		t.Fatal(err)
	}
	if list, _ := e.PendingProgress(); len(list) != 0 {
		t.Fatalf("sent, still pending: %+v", list)
	}
	// After a restart the numbers go on, and the scorer hears at once that the attempt is back.
	e.Close()
	e = openProgressEngine(t, dir, clock, "T-01")
	defer e.Close()
	if _, err := e.ResumeSession(s.Info.ID, f.bank, f.roster); err != nil {
		t.Fatal(err)
	}
	waitQueued(t, e, a.ID(), 4)
}

// handedCheckpoint is what terminal T-01 sends of the attempt a.
func handedCheckpoint(t *testing.T, a *Attempt, seq int64) *Checkpoint {
	t.Helper()
	cp, err := a.Checkpoint(seq)
	if err != nil {
		t.Fatal(err)
	}
	// What the spare is handed has been through JSON.
	cp, err = ReadCheckpoint(cp.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestContinueOnASpareTerminal(t *testing.T) {
	_, s, clock, _ := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0002")
	for i := range 3 {
		v, _ := a.Item(i)
		a.Choose(v.Item.ID, v.Options[1].ID)
	}
	v3, _ := a.Item(3)
	a.Flag(v3.Item.ID, true)
	clock.Advance(7 * time.Minute)
	cp := handedCheckpoint(t, a, 12)

	dir := t.TempDir()
	spare := openProgressEngine(t, dir, clock, "T-SPARE")
	f := demoFixture(t)
	ss, err := spare.StartSession(f.bank, f.roster, "public", "proctor-2", f.code)
	if err != nil {
		t.Fatal(err)
	}
	handed := Handed{From: "T-01", At: time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), ConfirmedBy: "tajnica"}
	for _, c := range []struct {
		name   string
		change func(*Checkpoint)
		want   error
	}{
		{"another bank", func(c *Checkpoint) { c.BankID = "other" }, ErrSessionMismatch},
		{"an item the bank does not have", func(c *Checkpoint) { c.Items[0].ID = "no-such-item" }, ErrSessionMismatch},
		{"other options", func(c *Checkpoint) { c.Items[0].Options = c.Items[0].Options[1:] }, ErrUnknownOption},
		{"a submitted attempt", func(c *Checkpoint) { c.State = StateSubmitted }, ErrBadTransition},
		{"a candidate not on the roster", func(c *Checkpoint) { c.Candidate.Code = "NOBODY" }, ErrUnknownCand},
	} {
		bad, _ := ReadCheckpoint(cp.Marshal())
		c.change(bad)
		if _, err := ss.Continue(bad, handed); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	moved, err := ss.Continue(cp, handed)
	if err != nil {
		t.Fatal(err)
	}
	check := func(m *Attempt) {
		t.Helper()
		if st, _ := m.State(); st != StatePaused || m.TimeLeft() != cp.TimeLeft() {
			t.Fatalf("state %s, time left %v; want paused, %v", st, m.TimeLeft(), cp.TimeLeft())
		}
		for i := range m.Len() {
			was, now := cp.Items[i], mustItem(t, m, i)
			if now.Item.ID != was.ID || now.Chosen != was.Answer || now.Flagged != was.Flagged {
				t.Fatalf("item %d: %+v, the checkpoint has %+v", i, now, was)
			}
		}
	}
	check(moved)
	waitQueued(t, spare, moved.ID(), 13) // numbering goes on from the handed checkpoint
	// The continued attempt is whole after a restart of the spare.
	spare.Close()
	spare = openProgressEngine(t, dir, clock, "T-SPARE")
	defer spare.Close()
	ss, err = spare.ResumeSession(ss.Info.ID, f.bank, f.roster)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ss.Attempt(cp.AttemptID)
	check(again)
	if err := again.Resume("proctor-2", "continued from T-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Submit(); err != nil {
		t.Fatal(err)
	}
	var sheet Sheet
	if err := json.Unmarshal(again.Sheet(), &sheet); err != nil {
		t.Fatal(err)
	}
	if sheet.Events[1].Kind != EventContinued || sheet.UsedMS < 7*60*1000 {
		t.Fatalf("the sheet: events %v, used %d ms", sheet.Events[:2], sheet.UsedMS)
	}
}

func mustItem(t *testing.T, a *Attempt, i int) ItemView {
	t.Helper()
	v, err := a.Item(i)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMarkMovedStopsTheAttempt(t *testing.T) {
	e, s, _, dir := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	if err := e.MarkMoved(a.ID(), "T-SPARE"); err != nil {
		t.Fatal(err)
	}
	if err := e.MarkMoved(a.ID(), "T-SPARE"); err != nil {
		t.Fatalf("marking it twice: %v", err)
	}
	v, _ := a.Item(0)
	for name, err := range map[string]error{
		"choose": a.Choose(v.Item.ID, v.Options[0].ID),
		"pause":  a.Pause("p", "r"),
		"submit": func() error { _, err := a.Submit(); return err }(),
	} {
		if !errors.Is(err, ErrMoved) {
			t.Errorf("%s on a moved attempt: %v", name, err)
		}
	}
	if err := e.MarkMoved("no-such-attempt", "T-SPARE"); !errors.Is(err, ErrUnknownAttempt) {
		t.Errorf("an unknown attempt: %v", err)
	}
	e.Close()
	e2 := openTestEngine(t, dir, newFakeClock())
	defer e2.Close()
	f := demoFixture(t)
	s2, err := e2.ResumeSession(s.Info.ID, f.bank, f.roster)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := s2.Attempt(a.ID())
	if st, _ := back.State(); st != StateMoved {
		t.Fatalf("after a restart: %s", st)
	}
}

// BenchmarkQueueProgress is the engine's work for one progress checkpoint besides sealing it:
// the checkpoint built, made durable in the outbox. It runs on the engine's clock while the
// engine is locked, so it is the longest a candidate's click can wait for it; sealing adds
// BenchmarkSealCheckpoint (package sheet).
func BenchmarkQueueProgress(b *testing.B) {
	clock := newFakeClock()
	e, err := Open(filepath.Join(b.TempDir(), "exam.db"), Options{TerminalID: "T-01", Secret: testSecret, Clock: clock, ProgramVersion: "test",
		Progress: plainProgress{}, ProgressInterval: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	f := demoFixture(b)
	s, err := e.StartSession(f.bank, f.roster, "public", "proctor-1", f.code)
	if err != nil {
		b.Fatal(err)
	}
	a := beginPublic(b, s, "DEMO-0001")
	for i := range a.Len() {
		v, _ := a.Item(i)
		a.Choose(v.Item.ID, v.Options[0].ID)
	}
	b.ResetTimer()
	for range b.N {
		e.mu.Lock()
		err := a.queueProgressLocked()
		e.mu.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
}
