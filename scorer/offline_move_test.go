package scorer_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// spareEngine opens the exam engine of an enrolled spare terminal id and starts its session on
// the world's bank, part and start code; it returns the engine, the session and an uploader
// to the world's scorer.
func spareEngine(t *testing.T, w *world, id string) (*exam.Engine, *exam.Session, *sheet.Uploader) {
	t.Helper()
	spare := newSpare(t, w, id)
	e, err := exam.Open(filepath.Join(w.dir, id+".db"), exam.Options{TerminalID: id, Secret: []byte("the spare terminal's own secret"),
		ProgramVersion: "test", Sealer: &sheet.Sealer{Terminal: spare.signer, Scorer: w.keys.SheetRecipient},
		Progress: &sheet.Sealer{Terminal: spare.signer, Scorer: w.keys.SheetRecipient}, ProgressInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	s, err := e.StartSession(w.session.Bank, w.session.Roster, "public", "proctor-2", w.session.Info.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	up := &sheet.Uploader{Outbox: e, Progress: e, Client: w.client, ScorerURL: w.server.URL, TerminalID: id, Terminal: spare.signer, ReceiptKey: w.receiptKey}
	return e, s, up
}

// TestAttemptMovesOnRemovableMedia: terminal A's checkpoints reach the scorer, then the scorer
// cannot be reached; A's proctor exports the attempt to a stick, the spare B imports it with
// the session's start code and the candidate finishes there. When the scorer is back, B's
// sheet (sent before its checkpoints) is taken as the candidate's, B's first checkpoint moves
// the attempt to B once, in the audit log; a second spare that imported the same stick is
// stopped, and A sends nothing more.
func TestAttemptMovesOnRemovableMedia(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, err := w.session.Admit("DEMO-0003", "public")
	if err != nil {
		t.Fatal(err)
	}
	a.Begin("sq")
	for i := range 4 {
		v, _ := a.Item(i)
		a.Choose(v.Item.ID, v.Options[0].ID)
	}
	waitProgress(t, w.engine, a.ID(), 2)
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("%d uploads failed", failed)
	}
	v, _ := a.Item(4)
	a.Choose(v.Item.ID, v.Options[1].ID) // answered while the scorer is out of reach

	var file []byte
	err = a.Export("proctor-1", "the scorer cannot be reached", func(cp *exam.Checkpoint) error {
		var err error
		file, err = sheet.SealAttemptExport(cp, "proctor-1", time.Now(), w.terminal, w.session.Info.StartCode)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	bEngine, bSession, bUp := spareEngine(t, w, "T-SPARE")
	opened, err := sheet.OpenAttemptExport(file, bSession.Info.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := bSession.Continue(opened.Checkpoint, exam.Handed{From: opened.Export.From, At: opened.Export.ExportedAt, Export: &opened.Proof})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(moved.Unanswered()); n != moved.Len()-5 {
		t.Fatalf("B has %d unanswered of %d, want 5 answered", n, moved.Len())
	}
	moved.Resume("proctor-2", "continued from T-01 from a removable drive")
	waitProgress(t, bEngine, a.ID(), opened.Checkpoint.Seq+1)
	if _, err := moved.Submit(); err != nil {
		t.Fatal(err)
	}
	// The scorer is back: B's sheet goes first, then its checkpoint.
	if failed, _ := bUp.DeliverAll(ctx); failed != 0 {
		out, _ := bEngine.Outbox()
		t.Fatalf("B's delivery failed: %+v", out)
	}
	stored, err := w.store.Sheet(ctx, a.ID())
	if err != nil || stored.Terminal != "T-SPARE" {
		t.Fatalf("B's sheet: %+v %v", stored, err)
	}
	rec, err := w.store.Attempt(ctx, a.ID())
	if err != nil || rec.Terminal != "T-SPARE" || rec.MovedFrom != "T-01" {
		t.Fatalf("the scorer's record: %+v %v", rec, err)
	}
	audit, _ := w.store.Audit(ctx, 0, -1)
	if len(audit) == 0 || audit[len(audit)-1].Action != scorer.AuditAttemptMoved || audit[len(audit)-1].Detail["without_handover"] != "true" ||
		audit[len(audit)-1].Actor != "terminal:T-SPARE" || audit[len(audit)-1].Detail["from"] != "T-01" {
		t.Fatalf("the audit log: %+v", audit)
	}

	// A second spare imported the same stick: its checkpoint is refused, and it stops.
	_, cSession, cUp := spareEngine(t, w, "T-SPARE-2")
	again, err := cSession.Continue(opened.Checkpoint, exam.Handed{From: "T-01", At: opened.Export.ExportedAt, Export: &opened.Proof})
	if err != nil {
		t.Fatal(err)
	}
	again.Resume("proctor-3", "continued from T-01 from a removable drive")
	deadline := time.Now().Add(5 * time.Second)
	for st, _ := again.State(); st != exam.StateMoved; st, _ = again.State() {
		if time.Now().After(deadline) {
			t.Fatalf("the second spare's attempt is %s", st)
		}
		cUp.DeliverAll(ctx)
		time.Sleep(50 * time.Millisecond)
	}
	if d, _ := again.Departure(); d.To != "T-SPARE" {
		t.Errorf("the second spare's attempt went to %q", d.To)
	}

	// A sends nothing of the attempt any more.
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("A: %d failed", failed)
	}
	if out, _ := w.engine.Outbox(); len(out) != 0 {
		t.Errorf("A queued sheets: %+v", out)
	}
	if rec, _ := w.store.Attempt(ctx, a.ID()); rec.Terminal != "T-SPARE" {
		t.Errorf("the attempt went back to %s", rec.Terminal)
	}
}

// TestRequestHandoverOverHTTPS is the spare's side of POST /v1/handovers through its uploader:
// the refusals come back typed with their figures, and the hand-over opens with the spare's
// own key.
func TestRequestHandoverOverHTTPS(t *testing.T) {
	clk := &clock{t: time.Now()}
	w := newWorldWith(t, scorer.Config{Now: clk.now})
	ctx := context.Background()
	a := beginAt(t, w, "DEMO-0001")
	waitProgress(t, w.engine, a.ID(), 1)
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("%d uploads failed", failed)
	}
	spare := newSpare(t, w, "T-SPARE")
	up := &sheet.Uploader{Client: w.client, ScorerURL: w.server.URL, TerminalID: spare.id, Terminal: spare.signer, ReceiptKey: w.receiptKey}
	refused := func(candidate string) *sheet.HandoverRefusedError {
		t.Helper()
		_, err := up.RequestHandover(ctx, candidate, spare.age, clk.now())
		var r *sheet.HandoverRefusedError
		if !errors.As(err, &r) {
			t.Fatalf("asking for %s: %v, want a refusal", candidate, err)
		}
		return r
	}
	clk.add(12 * time.Second)
	if r := refused("DEMO-0001"); r.Status != http.StatusConflict || r.Reason != sheet.HandoverStillAlive || r.Terminal != "T-01" || r.SilentS != 12 || r.NeededS != 60 {
		t.Errorf("still alive: %+v", r)
	}
	if r := refused("NOBODY"); r.Status != http.StatusNotFound || r.Reason != sheet.HandoverNoAttempt {
		t.Errorf("an unknown candidate: %+v", r)
	}
	clk.add(time.Minute)
	h, err := up.RequestHandover(ctx, "DEMO-0001", spare.age, clk.now())
	if err != nil {
		t.Fatal(err)
	}
	if h.Handover.From != "T-01" || h.Handover.To != "T-SPARE" || h.Checkpoint.AttemptID != a.ID() || h.Handover.HandedAt.Sub(h.Handover.CheckpointReceivedAt) != 72*time.Second {
		t.Fatalf("handed %+v", h.Handover)
	}
	// Another terminal's key cannot open it, nor the request of an unenrolled terminal be made.
	other, _ := newSigner(t)
	stranger := &sheet.Uploader{Client: w.client, ScorerURL: w.server.URL, TerminalID: "T-NOBODY", Terminal: other, ReceiptKey: w.receiptKey}
	if _, err := stranger.RequestHandover(ctx, "DEMO-0001", spare.age, clk.now()); err == nil {
		t.Error("an unenrolled terminal was handed the attempt")
	}
}

// beginAt admits a candidate on the world's terminal and begins the public exam.
func beginAt(t *testing.T, w *world, code string) *exam.Attempt {
	t.Helper()
	a, err := w.session.Admit(code, "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("bs"); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestTakeOverNeedsTheOldTerminalsExport: an enrolled terminal that says it continued a
// running attempt from the terminal the scorer has it on takes nothing over without that
// terminal's signed export of it: not with no export, not with one signed by another key, not
// with the export of another attempt. Its checkpoints and sheet are refused, the attempt stays
// where it is and goes on there.
func TestTakeOverNeedsTheOldTerminalsExport(t *testing.T) {
	var log syncBuffer
	w := newWorldWith(t, scorer.Config{Log: slog.New(slog.NewTextHandler(&log, nil))})
	ctx := context.Background()
	a, err := w.session.Admit("DEMO-0003", "public")
	if err != nil {
		t.Fatal(err)
	}
	a.Begin("sq")
	v, _ := a.Item(0)
	a.Choose(v.Item.ID, v.Options[0].ID)
	waitProgress(t, w.engine, a.ID(), 2)
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("%d uploads failed", failed)
	}
	rec, err := w.store.Attempt(ctx, a.ID())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := exam.ReadCheckpoint(rec.Checkpoint) // what a terminal could learn of the attempt
	if err != nil {
		t.Fatal(err)
	}
	code := w.session.Info.StartCode

	forger := newSpare(t, w, "T-FORGER")
	forged, err := sheet.SealAttemptExport(cp, "proctor-x", time.Now(), forger.signer, code)
	if err != nil {
		t.Fatal(err)
	}
	forgedOpened, err := sheet.OpenAttemptExport(forged, code)
	if err != nil {
		t.Fatal(err)
	}
	other, err := w.session.Admit("DEMO-0004", "public")
	if err != nil {
		t.Fatal(err)
	}
	other.Begin("sq")
	var otherFile []byte
	if err := other.Export("proctor-1", "a test", func(cp *exam.Checkpoint) error {
		otherFile, err = sheet.SealAttemptExport(cp, "proctor-1", time.Now(), w.terminal, code)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	otherOpened, err := sheet.OpenAttemptExport(otherFile, code)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, spare string
		export      *exam.ExportProof
		want        string // in the scorer's refusal
		stopped     bool   // told that the attempt is on T-01 (410), the spare stops it
	}{
		{"no export", "T-SPARE-1", nil, "is not accepted, the candidate's sheet comes from T-01", true},
		{"an export signed by another key", "T-SPARE-2", &forgedOpened.Proof, "not by the expected key", false},
		{"the export of another attempt", "T-SPARE-3", &otherOpened.Proof, "not of", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s, up := spareEngine(t, w, tc.spare)
			taken, err := s.Continue(cp, exam.Handed{From: "T-01", At: time.Now(), Export: tc.export})
			if err != nil {
				t.Fatal(err)
			}
			taken.Resume("proctor-2", "a test")
			waitProgress(t, e, a.ID(), cp.Seq+1)
			if _, err := taken.Submit(); err != nil {
				t.Fatal(err)
			}
			failed, _ := up.DeliverAll(ctx)
			if st, _ := taken.State(); tc.stopped && (st != exam.StateMoved || failed != 0) {
				t.Errorf("the spare's attempt is %s after %d failed uploads, want it moved to T-01", st, failed)
			} else if !tc.stopped && failed == 0 {
				t.Error("the spare's uploads were all taken")
			}
			if _, err := w.store.Sheet(ctx, a.ID()); !errors.Is(err, scorer.ErrNotFound) {
				t.Errorf("a sheet of the attempt is stored: %v", err)
			}
			if rec, _ := w.store.Attempt(ctx, a.ID()); rec.Terminal != "T-01" || rec.MovedFrom != "" {
				t.Errorf("the attempt is on %s, moved from %q", rec.Terminal, rec.MovedFrom)
			}
			if !strings.Contains(log.String(), tc.want) {
				t.Errorf("the scorer's log does not say %q", tc.want)
			}
		})
	}

	// The attempt goes on where it was.
	v, _ = a.Item(1)
	a.Choose(v.Item.ID, v.Options[1].ID)
	waitProgress(t, w.engine, a.ID(), cp.Seq+1)
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("A: %d uploads failed", failed)
	}
	if rec, _ := w.store.Attempt(ctx, a.ID()); rec.Terminal != "T-01" || rec.Seq <= cp.Seq {
		t.Errorf("A's checkpoint: %+v", rec)
	}
	audit, _ := w.store.Audit(ctx, 0, -1)
	for _, e := range audit {
		if e.Action == scorer.AuditAttemptMoved {
			t.Errorf("the audit log records a move: %+v", e)
		}
	}
}

// syncBuffer is a bytes.Buffer that a server's goroutines may write to while a test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
