package exam

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestExportHandsTheAttemptOut(t *testing.T) {
	e, s, clock, dir := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0001")
	for i := range 4 {
		v, _ := a.Item(i)
		a.Choose(v.Item.ID, v.Options[2].ID)
	}
	a.Visit(3)
	clock.Advance(4 * time.Minute)

	// A stick that cannot be written: the attempt stays here, paused by the proctor.
	full := errors.New("no space left on the stick")
	if err := a.Export("proctor-1", "the scorer is down", func(*Checkpoint) error { return full }); !errors.Is(err, full) {
		t.Fatalf("a failed write: %v", err)
	}
	if st, _ := a.State(); st != StatePaused {
		t.Fatalf("after a failed export the attempt is %s, want paused", st)
	}
	if _, ok := a.Departure(); ok {
		t.Fatal("a failed export moved the attempt")
	}
	left := a.TimeLeft()
	clock.Advance(time.Minute) // paused: no time passes for the candidate

	var got *Checkpoint
	if err := a.Export("proctor-1", "the scorer is down", func(cp *Checkpoint) error { got = cp; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCheckpoint(got.Marshal()); err != nil {
		t.Fatalf("the exported checkpoint does not read back: %v", err)
	}
	if got.State != StatePaused || got.TimeLeft() != left || got.Answered() != 4 || got.Current != 3 || got.Seq < 1 || got.Terminal != "T-01" {
		t.Fatalf("exported %+v; want paused with %v left, 4 answered, on item 3", got, left)
	}
	d, ok := a.Departure()
	if st, _ := a.State(); st != StateMoved || !ok || !d.Exported || d.To != "" {
		t.Fatalf("after the export: %s %+v %v", st, d, ok)
	}
	v, _ := a.Item(5)
	if err := a.Resume("proctor-1", "back"); !errors.Is(err, ErrMoved) {
		t.Errorf("resuming an exported attempt: %v", err)
	}
	if err := a.Choose(v.Item.ID, v.Options[0].ID); !errors.Is(err, ErrMoved) {
		t.Errorf("answering in an exported attempt: %v", err)
	}
	if err := a.Export("proctor-1", "again", func(*Checkpoint) error { return nil }); !errors.Is(err, ErrMoved) {
		t.Errorf("exporting twice: %v", err)
	}
	e.Close()

	e2 := openTestEngine(t, dir, clock)
	defer e2.Close()
	f := demoFixture(t)
	s2, err := e2.ResumeSession(s.Info.ID, f.bank, f.roster)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := s2.Attempt(a.ID())
	if d2, ok := back.Departure(); !ok || !d2.At.Equal(d.At) || d2.To != d.To || !d2.Exported {
		t.Fatalf("after a restart the departure is %+v %v, want %+v", d2, ok, d)
	}
	if err := s2.End("proctor-1", "the day is over"); err != nil {
		t.Fatalf("ending a session with an exported attempt: %v", err)
	}
	if st, _ := back.State(); st != StateMoved {
		t.Errorf("ending the session made the exported attempt %s", st)
	}
}

func TestExportRefusals(t *testing.T) {
	_, s, _, _ := startTestSession(t)
	admitted, err := s.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	submitted := beginPublic(t, s, "DEMO-0002")
	if _, err := submitted.Submit(); err != nil {
		t.Fatal(err)
	}
	running := beginPublic(t, s, "DEMO-0003")
	for _, c := range []struct {
		name       string
		a          *Attempt
		by, reason string
		want       error
	}{
		{"not begun", admitted, "p", "r", ErrBadTransition},
		{"submitted", submitted, "p", "r", ErrSubmitted},
		{"without a reason", running, "p", " ", ErrReasonRequired},
		{"without a proctor", running, "", "r", ErrReasonRequired},
	} {
		wrote := false
		err := c.a.Export(c.by, c.reason, func(*Checkpoint) error { wrote = true; return nil })
		if !errors.Is(err, c.want) || wrote {
			t.Errorf("%s: %v (written: %v), want %v", c.name, err, wrote, c.want)
		}
	}
	if st, _ := running.State(); st != StateRunning {
		t.Errorf("a refused export left the attempt %s", st)
	}
}

// TestContinuedAttemptSaysWhereItCameFrom: a continued attempt names the terminal it came
// from in every checkpoint and on its sheet, also after a restart from a snapshot.
func TestContinuedAttemptSaysWhereItCameFrom(t *testing.T) {
	_, s, clock, _ := startTestSession(t)
	a := beginPublic(t, s, "DEMO-0002")
	var cp *Checkpoint
	if err := a.Export("proctor-1", "the scorer is down", func(c *Checkpoint) error { cp = c; return nil }); err != nil {
		t.Fatal(err)
	}
	cp, _ = ReadCheckpoint(cp.Marshal())
	if cp.ContinuedFrom != "" {
		t.Fatalf("an attempt begun here says it came from %q", cp.ContinuedFrom)
	}

	dir := t.TempDir()
	spare := openProgressEngine(t, dir, clock, "T-SPARE")
	f := demoFixture(t)
	ss, err := spare.StartSession(f.bank, f.roster, "public", "proctor-2", f.code)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ReadCheckpoint(cp.Marshal())
	other.Part = "professional-written"
	if _, err := ss.Continue(other, Handed{From: "T-01"}); !errors.Is(err, ErrSessionMismatch) {
		t.Errorf("an attempt at another part than the session's: %v", err)
	}
	moved, err := ss.Continue(cp, Handed{From: "T-01", At: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if moved.ContinuedFrom() != "T-01" {
		t.Fatalf("ContinuedFrom %q", moved.ContinuedFrom())
	}
	list := waitQueued(t, spare, moved.ID(), cp.Seq+1)
	var queued Checkpoint
	json.Unmarshal(list[0].Sealed, &queued) // plainProgress: the checkpoint as JSON
	if queued.ContinuedFrom != "T-01" {
		t.Fatalf("the spare's checkpoint says it came from %q", queued.ContinuedFrom)
	}
	moved.Resume("proctor-2", "continued from T-01")
	for i := range snapshotEvery {
		moved.Visit(i % moved.Len())
	}
	spare.Close()
	spare = openProgressEngine(t, dir, clock, "T-SPARE")
	defer spare.Close()
	ss, err = spare.ResumeSession(ss.Info.ID, f.bank, f.roster)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ss.Attempt(cp.AttemptID)
	if again.baseSeq == 0 || again.ContinuedFrom() != "T-01" {
		t.Fatalf("resumed from event %d, continued from %q", again.baseSeq, again.ContinuedFrom())
	}
	again.Resume("proctor-2", "after the restart")
	if _, err := again.Submit(); err != nil {
		t.Fatal(err)
	}
	var sheet Sheet
	json.Unmarshal(again.Sheet(), &sheet)
	if sheet.ContinuedFrom() != "T-01" {
		t.Fatalf("the sheet says it came from %q", sheet.ContinuedFrom())
	}
}
