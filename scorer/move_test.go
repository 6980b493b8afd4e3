package scorer_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"

	"ispit/exam"
	"ispit/scorer"
	"ispit/sheet"
)

// waitProgress waits until the engine has queued a checkpoint of the attempt numbered at
// least seq, and returns it.
func waitProgress(t *testing.T, e *exam.Engine, attempt string, seq int64) exam.ProgressEntry {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		list, err := e.PendingProgress()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.AttemptID == attempt && p.Seq >= seq {
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no checkpoint %d of attempt %s was queued", seq, attempt)
	return exam.ProgressEntry{}
}

// TestAttemptMovesToASpareTerminal: terminal A checkpoints an attempt through its outbox and
// dies; after a minute of silence the spare B is handed the attempt, continues it with every
// checkpointed answer and the time left, and its sheet is stored; A, back to life, learns that
// the attempt moved and sends nothing more of it.
func TestAttemptMovesToASpareTerminal(t *testing.T) {
	clk := &clock{t: time.Now()}
	w := newWorldWith(t, scorer.Config{Now: clk.now})
	ctx := context.Background()

	// On A: the candidate answers five questions and flags one; the checkpoints reach the scorer.
	a, err := w.session.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("sr-Cyrl"); err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for i := range 5 {
		v, _ := a.Item(i)
		if err := a.Choose(v.Item.ID, v.Options[i%len(v.Options)].ID); err != nil {
			t.Fatal(err)
		}
		answers[v.Item.ID] = v.Options[i%len(v.Options)].ID
	}
	flagged, _ := a.Item(6)
	a.Flag(flagged.Item.ID, true)
	time.Sleep(300 * time.Millisecond)
	last := waitProgress(t, w.engine, a.ID(), 2)
	if failed, _ := w.uploader.DeliverAll(ctx); failed != 0 {
		t.Fatalf("%d uploads failed", failed)
	}
	rec, err := w.store.Attempt(ctx, a.ID())
	if err != nil || rec.Answered != 5 || rec.Terminal != "T-01" {
		t.Fatalf("the scorer's record: %+v %v", rec, err)
	}
	// A dies: its engine stops where it is (its database keeps the attempt, running).
	w.engine.Close()

	// B: a spare terminal, enrolled, with the same bank and roster; a minute later its proctor asks.
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	bSigner, _ := ssh.NewSignerFromKey(priv)
	bIdentity, _ := agessh.NewEd25519Identity(priv)
	w.enrol("T-SPARE", bSigner)
	b, err := exam.Open(filepath.Join(w.dir, "spare.db"), exam.Options{TerminalID: "T-SPARE", Secret: []byte("the spare terminal's own secret"),
		ProgramVersion: "test", Sealer: &sheet.Sealer{Terminal: bSigner, Scorer: w.keys.SheetRecipient},
		Progress: &sheet.Sealer{Terminal: bSigner, Scorer: w.keys.SheetRecipient}, ProgressInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	bSession, err := b.StartSession(w.session.Bank, w.session.Roster, "public", "proctor-2", w.session.Info.StartCode)
	if err != nil {
		t.Fatal(err)
	}
	clk.add(61 * time.Second)
	nonce := newNonce()
	spare := spareTerminal{id: "T-SPARE", signer: bSigner, age: bIdentity}
	code, file := w.askHandover(spare, "DEMO-0001", nonce, clk.now())
	if code != http.StatusOK {
		t.Fatalf("hand-over: %d %s", code, file)
	}
	h, err := sheet.OpenHandover(file, bIdentity, "T-SPARE", nonce, w.receiptKey)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := bSession.Continue(h.Checkpoint, exam.Handed{From: h.Handover.From, At: h.Handover.HandedAt, ConfirmedBy: h.Handover.ConfirmedBy})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := moved.State(); moved.ID() != a.ID() || st != exam.StatePaused {
		t.Fatalf("continued as %s in state %s", moved.ID(), st)
	}
	// Every checkpointed answer is there, on the item shown at the same place; the time left
	// is the checkpoint's.
	for i := range moved.Len() {
		was, _ := a.Item(i)
		now, _ := moved.Item(i)
		if now.Item.ID != was.Item.ID || now.Chosen != answers[now.Item.ID] || now.Flagged != (now.Item.ID == flagged.Item.ID) {
			t.Errorf("item %d: %s chosen %q flagged %v; on A %s, want %q", i, now.Item.ID, now.Chosen, now.Flagged, was.Item.ID, answers[now.Item.ID])
		}
	}
	if left := moved.TimeLeft(); left != h.Checkpoint.TimeLeft() || left < 29*time.Minute {
		t.Errorf("time left %v, the checkpoint had %v", left, h.Checkpoint.TimeLeft())
	}
	if _, err := bSession.Continue(h.Checkpoint, exam.Handed{From: "T-01"}); !errors.Is(err, exam.ErrNotHere) {
		t.Errorf("continuing it twice: %v", err)
	}
	if err := moved.Resume("proctor-2", "continued from T-01"); err != nil {
		t.Fatal(err)
	}
	v, _ := moved.Item(10)
	if err := moved.Choose(v.Item.ID, v.Options[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := moved.Submit(); err != nil {
		t.Fatal(err)
	}
	bUp := &sheet.Uploader{Outbox: b, Progress: b, Client: w.client, ScorerURL: w.server.URL, TerminalID: "T-SPARE", Terminal: bSigner, ReceiptKey: w.receiptKey}
	if failed, _ := bUp.DeliverAll(ctx); failed != 0 {
		out, _ := b.Outbox()
		t.Fatalf("B's upload failed: %+v", out)
	}
	stored, err := w.store.Sheet(ctx, a.ID())
	if err != nil || stored.Terminal != "T-SPARE" {
		t.Fatalf("B's sheet: %+v %v", stored, err)
	}
	bOut, _ := b.Outbox()
	plain, err := sheet.Open(bOut[0].Sealed, bSigner.PublicKey(), w.keys.SheetIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if n := countAnswered(plain.Sheet); n != 6 || plain.Sheet.Events[1].Kind != exam.EventContinued {
		t.Fatalf("B's sheet has %d answers and events %v", n, plain.Sheet.Events[:2])
	}

	if err := w.store.PutAnswerKey(ctx, w.answerKey.BankID, w.answers); err != nil {
		t.Fatal(err)
	}
	report, err := scorer.BuildReport(ctx, w.store)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := report.Results.Candidate("DEMO-0001"); !ok || len(c.Parts) != 1 || len(report.Held) != 0 {
		t.Fatalf("B's sheet is not scored: %+v, held %+v", c, report.Held)
	}

	// A comes back: it resumes its attempt, sends a checkpoint, learns that it moved, and stops.
	again, err := exam.Open(filepath.Join(w.dir, "kiosk.db"), exam.Options{TerminalID: "T-01", Secret: []byte("terminal secret of the e2e test"),
		ProgramVersion: "test", Sealer: &sheet.Sealer{Terminal: w.terminal, Scorer: w.keys.SheetRecipient},
		Progress: &sheet.Sealer{Terminal: w.terminal, Scorer: w.keys.SheetRecipient}, ProgressInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	sess, err := again.ResumeSession(w.session.Info.ID, w.session.Bank, w.session.Roster)
	if err != nil {
		t.Fatal(err)
	}
	waitProgress(t, again, a.ID(), last.Seq+1)
	aUp := &sheet.Uploader{Outbox: again, Progress: again, Client: w.client, ScorerURL: w.server.URL, TerminalID: "T-01", Terminal: w.terminal, ReceiptKey: w.receiptKey}
	aUp.DeliverAll(ctx)
	old, _ := sess.Attempt(a.ID())
	if st, _ := old.State(); st != exam.StateMoved {
		t.Fatalf("A's attempt is %s, not moved", st)
	}
	if _, err := old.Submit(); !errors.Is(err, exam.ErrMoved) {
		t.Errorf("submitting the moved attempt on A: %v", err)
	}
	if rec, _ := w.store.Attempt(ctx, a.ID()); rec.Terminal != "T-SPARE" {
		t.Errorf("the scorer's record went back to %s", rec.Terminal)
	}
}

func countAnswered(s *exam.Sheet) int {
	n := 0
	for _, it := range s.Items {
		if it.Answer != "" {
			n++
		}
	}
	return n
}
