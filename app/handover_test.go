package app

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/app/kiosk"
	"ispit/exam"
	"ispit/i18n"
	"ispit/scorer"
)

// cyrillic is the candidate's language in these tests; the proctors' is Albanian.
const cyrillicName = "Српски (ћирилица)"

// answerOnScreen answers items from the one on screen, n of them, with option 2, moving on
// after each, as the candidate does with the keyboard.
func answerOnScreen(u *UI, n int) {
	for range n {
		typeRunes(u, "2")
		typeKey(u, fyne.KeyRight)
	}
}

// reopenUI opens the kiosk's window again after a restart, as cmd/kiosk does: New shows
// whatever the kiosk was doing.
func reopenUI(t *testing.T, k *kiosk.Kiosk, loc *i18n.Localizer) *UI {
	t.Helper()
	u := New(test.NewTempApp(t), k, loc)
	u.background = func(work, done func()) { work(); done() }
	u.quit = func() {}
	u.Win.Resize(fyne.NewSize(1024, 768))
	return u
}

// askForCandidate goes from the session screen of a spare to the scorer's answer about code.
func askForCandidate(t *testing.T, u *UI, code string) {
	t.Helper()
	u.showSession()
	tap(t, u, u.t("proctor.handover.open", nil))
	entry := entries(u.Win.Content())[0]
	test.Type(entry, code)
	tap(t, u, u.t("proctor.handover.ask", nil))
}

// wantOnlyProctorButton fails unless the screen's one working button opens the proctor's PIN.
func wantOnlyProctorButton(t *testing.T, u *UI, loc *i18n.Localizer) {
	t.Helper()
	if got := buttonsShown(u); !slices.Equal(got, []string{loc.T("proctor.title", nil)}) {
		t.Fatalf("the moved screen has the buttons %q; only the proctor's is wanted:\n%s", got, screen(u))
	}
}

// TestSpareContinuesAnAttemptFromTheScorer: on terminal A the candidate answers through the
// screens and A's progress reaches the scorer; A dies. A minute later, on the spare B, the
// proctor continues the candidate: the dialog says what will be restored, every checkpointed
// answer is there, the exam opens at the item the candidate was on with the time left A had
// (less than one checkpoint interval apart), and B's sheet is stored. A, started again, shows
// the candidate in their language that the exam goes on at B, and sends nothing more.
func TestSpareContinuesAnAttemptFromTheScorer(t *testing.T) {
	q := useQueue(t)
	room := newExamRoom(t)
	kA, _ := room.kiosk("T-01")
	kB, _ := room.kiosk("T-SPARE")
	sA, sB := startSession(t, kA, room.startCode), startSession(t, kB, room.startCode)
	loc, cyr := strictLocalizer(t, "sq"), strictLocalizer(t, "sr-Cyrl")

	uA := candidateUI(t, kA, sA, strictLocalizer(t, "sq"), "public")
	uA.showSignIn()
	a := signIn(t, uA, "DEMO-0001", cyrillicName)
	answerOnScreen(uA, 5)
	room.scorerHas("A's checkpoint with five answers on item 6", a.ID(), func(r *scorer.AttemptRecord) bool {
		cp, err := exam.ReadCheckpoint(r.Checkpoint)
		return err == nil && r.Answered == 5 && cp.Current == 5 && r.Terminal == "T-01"
	})
	want, leftA := answersOf(a), a.TimeLeft()
	if err := kA.Close(); err != nil { // A dies: nothing submitted
		t.Fatal(err)
	}
	room.clock.Advance(61 * time.Second)

	uB := candidateUI(t, kB, sB, loc, "public")
	askForCandidate(t, uB, "DEMO-0001")
	wantShown(t, uB,
		loc.T("proctor.handover.confirm_title", nil),
		loc.T("proctor.attempt.candidate", map[string]any{"Name": a.Candidate().Name + " (DEMO-0001)"}),
		loc.T("proctor.handover.from", map[string]any{"Terminal": "T-01"}),
		loc.T("proctor.handover.answered", map[string]any{"Answered": 5, "Total": a.Len()}),
		loc.N("proctor.handover.age_seconds", 61, nil),
		loc.T("proctor.handover.stops_there", map[string]any{"Terminal": "T-01"}))
	if f, ok := uB.Win.Canvas().Focused().(*keyButton); !ok || f.Text != loc.T("common.cancel", nil) {
		t.Fatalf("the focus is on %#v, not on Cancel", uB.Win.Canvas().Focused())
	}
	tap(t, uB, loc.T("proctor.handover.continue", nil))

	if uB.cand == nil || uB.cand.exam == nil || uB.cand.a.ID() != a.ID() {
		t.Fatalf("the candidate's exam did not open on B:\n%s", screen(uB))
	}
	b := uB.cand.a
	if st, _ := b.State(); st != exam.StateRunning || b.Current() != 5 || uB.cand.exam.index != 5 || uB.Loc.Lang() != "sr-Cyrl" {
		t.Fatalf("B shows item %d (the attempt's %d) in %s, state %s", uB.cand.exam.index, b.Current(), uB.Loc.Lang(), st)
	}
	if got := answersOf(b); !maps.Equal(got, want) {
		t.Fatalf("B's answers %v, A's %v", got, want)
	}
	if leftB := b.TimeLeft(); leftB < leftA-time.Second || leftB > leftA+exam.DefaultProgressInterval+time.Second {
		t.Fatalf("B has %v left, A had %v", leftB, leftA)
	}
	answerOnScreen(uB, 1)
	if _, err := b.Submit(); err != nil {
		t.Fatal(err)
	}
	if rec := room.sheetStored(kB, a.ID()); rec.Terminal != "T-SPARE" {
		t.Fatalf("the sheet came from %s", rec.Terminal)
	}

	// A comes back: the scorer tells it the attempt moved, and the candidate is told so.
	kA2, _ := room.kiosk("T-01")
	uA2 := reopenUI(t, kA2, loc)
	q.until(t, "the moved screen on A", func() bool { return strings.Contains(screen(uA2), cyr.T("candidate.moved.title", nil)) })
	wantShown(t, uA2, cyr.T("candidate.moved.to", map[string]any{"Terminal": "T-SPARE"}), cyr.T("candidate.moved.nothing_here", nil))
	wantOnlyProctorButton(t, uA2, cyr)
	if out, _ := kA2.Engine.Outbox(); len(out) != 0 {
		t.Errorf("A queued a sheet: %+v", out)
	}
	if p, _ := kA2.Engine.PendingProgress(); len(p) != 0 {
		t.Errorf("A still has progress to send: %+v", p)
	}
	// The proctor's screen lists it as moved.
	tap(t, uA2, cyr.T("proctor.title", nil))
	entry, _ := overlayPIN(t, uA2)
	submit(uA2, entry, "246810")
	wantShown(t, uA2, loc.T("proctor.moved.to", map[string]any{"Name": a.Candidate().Name + " (DEMO-0001)", "Terminal": "T-SPARE"}))
	if rec, _ := room.store.Attempt(context.Background(), a.ID()); rec.Terminal != "T-SPARE" {
		t.Errorf("the scorer gave the attempt back to %s", rec.Terminal)
	}
}

// TestSpareContinuesAnAttemptFromARemovableDrive is the same day with the scorer out of reach
// after A's first checkpoints: the spare cannot ask it; A's proctor exports the attempt, the
// spare opens the file and the candidate goes on with every answer and exactly the time left.
// When the scorer is back, B's sheet is stored and the scorer moves the attempt to B; A,
// started again, tells the candidate that the exam was carried away.
func TestSpareContinuesAnAttemptFromARemovableDrive(t *testing.T) {
	q := useQueue(t)
	room := newExamRoom(t)
	kA, _ := room.kiosk("T-01")
	kB, _ := room.kiosk("T-SPARE")
	sA, sB := startSession(t, kA, room.startCode), startSession(t, kB, room.startCode)
	loc, cyr := strictLocalizer(t, "sq"), strictLocalizer(t, "sr-Cyrl")

	uA := candidateUI(t, kA, sA, strictLocalizer(t, "sq"), "public")
	uA.showSignIn()
	a := signIn(t, uA, "DEMO-0002", cyrillicName)
	answerOnScreen(uA, 3)
	room.scorerHas("A's first checkpoints", a.ID(), func(r *scorer.AttemptRecord) bool { return r.Answered >= 1 })
	room.down()
	answerOnScreen(uA, 3)

	// A's proctor exports the attempt.
	tap(t, uA, cyr.T("proctor.title", nil))
	entry, _ := overlayPIN(t, uA)
	submit(uA, entry, "246810")
	tap(t, uA, loc.T("proctor.export.button", nil))
	wantShown(t, uA, loc.T("proctor.attempt.reason_required", nil)) // a reason first
	test.Type(entries(uA.Win.Content())[0], "the scorer cannot be reached")
	tap(t, uA, loc.T("proctor.export.button", nil))
	wantShown(t, uA, loc.T("proctor.export.explain", nil))
	if f, ok := uA.Win.Canvas().Focused().(*keyButton); !ok || f.Text != loc.T("common.cancel", nil) {
		t.Fatalf("the focus is on %#v, not on Cancel", uA.Win.Canvas().Focused())
	}
	tap(t, uA, loc.T("proctor.export.choose", nil))
	uA.Win.Canvas().Overlays().Top().Hide() // the folder dialog: Fyne's own, chosen here instead
	stick := t.TempDir()
	uA.exportAttemptTo(a, stick, "the scorer cannot be reached")
	path := filepath.Join(stick, "DEMO-0002-"+a.ID()+".attempt")
	wantShown(t, uA, loc.T("proctor.export.done", map[string]any{"File": path}),
		loc.T("proctor.moved.exported", map[string]any{"Name": a.Candidate().Name + " (DEMO-0002)"}))
	want, leftA := answersOf(a), a.TimeLeft()

	// The spare cannot reach the scorer; it opens the file.
	uB := candidateUI(t, kB, sB, loc, "public")
	askForCandidate(t, uB, "DEMO-0002")
	wantShown(t, uB, loc.T("proctor.handover.unreachable", nil))
	uB.importAttemptFrom(path)
	wantShown(t, uB,
		loc.T("proctor.handover.from", map[string]any{"Terminal": "T-01"}),
		loc.T("proctor.handover.answered", map[string]any{"Answered": 6, "Total": a.Len()}),
		loc.T("candidate.time_left", map[string]any{"Time": clockTime(leftA)}))
	tap(t, uB, loc.T("proctor.handover.continue", nil))
	if uB.cand == nil || uB.cand.exam == nil || uB.cand.exam.index != 6 {
		t.Fatalf("the candidate's exam did not open on B at item 7:\n%s", screen(uB))
	}
	b := uB.cand.a
	if got := answersOf(b); !maps.Equal(got, want) {
		t.Fatalf("B's answers %v, A's %v", got, want)
	}
	if leftB := b.TimeLeft(); leftB > leftA || leftB < leftA-2*time.Second {
		t.Fatalf("B has %v left, A had %v at the export", leftB, leftA)
	}
	answerOnScreen(uB, 1)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if p, _ := kB.Engine.PendingProgress(); len(p) == 1 && p[0].AttemptID == a.ID() {
			break // B's own checkpoint waits for the scorer
		}
		if time.Now().After(deadline) {
			t.Fatal("B made no checkpoint")
		}
	}
	if _, err := b.Submit(); err != nil {
		t.Fatal(err)
	}

	// The scorer is back: B's sheet and checkpoint arrive; the attempt is B's.
	room.up()
	if rec := room.sheetStored(kB, a.ID()); rec.Terminal != "T-SPARE" {
		t.Fatalf("the sheet came from %s", rec.Terminal)
	}
	room.scorerHas("the move to B", a.ID(), func(r *scorer.AttemptRecord) bool { return r.Terminal == "T-SPARE" && r.MovedFrom == "T-01" })

	// A, started again, tells the candidate where the exam went, and sends nothing of it.
	kA.Close()
	kA2, _ := room.kiosk("T-01")
	uA2 := reopenUI(t, kA2, loc)
	wantShown(t, uA2, cyr.T("candidate.moved.title", nil), cyr.T("candidate.moved.exported", nil))
	wantOnlyProctorButton(t, uA2, cyr)
	q.run()
	time.Sleep(300 * time.Millisecond) // A's last checkpoint from before the export goes, and is refused
	kA2.DeliverNow()
	if rec, _ := room.store.Attempt(context.Background(), a.ID()); rec.Terminal != "T-SPARE" {
		t.Errorf("the scorer gave the attempt back to %s", rec.Terminal)
	}
	if out, _ := kA2.Engine.Outbox(); len(out) != 0 {
		t.Errorf("A queued a sheet: %+v", out)
	}
}

// TestContinueHereRefusals: what the spare's proctor is told when the attempt cannot be
// continued: its terminal is alive (how long silent, how long it must be), the code is on no
// roster, the scorer has no attempt of the candidate, a file of another exam.
func TestContinueHereRefusals(t *testing.T) {
	room := newExamRoom(t)
	kA, _ := room.kiosk("T-01")
	kB, _ := room.kiosk("T-SPARE")
	sA, sB := startSession(t, kA, room.startCode), startSession(t, kB, room.startCode)
	loc := strictLocalizer(t, "sr-Cyrl")
	a := admitted(t, sA, "DEMO-0001", "public", "sq")
	room.scorerHas("A's checkpoint", a.ID(), func(*scorer.AttemptRecord) bool { return true })
	room.clock.Advance(12 * time.Second)

	u := candidateUI(t, kB, sB, loc, "public")
	askForCandidate(t, u, "DEMO-0001")
	wantShown(t, u, loc.N("proctor.handover.still_alive", 12, map[string]any{"Terminal": "T-01"})+" "+loc.N("proctor.handover.silence_needed", 60, nil))
	askForCandidate(t, u, "NOBODY-1")
	wantShown(t, u, loc.T("proctor.handover.unknown", nil))
	askForCandidate(t, u, "DEMO-0003")
	wantShown(t, u, loc.T("proctor.handover.no_attempt", nil))
	junk := filepath.Join(t.TempDir(), "junk.attempt")
	os.WriteFile(junk, []byte("age-encryption.org/v1\n"), 0o644)
	u.importAttemptFrom(junk)
	wantShown(t, u, loc.T("proctor.handover.title", nil), loc.T("proctor.handover.not_an_export", nil))
	if st, _ := a.State(); st != exam.StateRunning || kiosk.CurrentAttempt(sB) != nil {
		t.Errorf("a refusal changed something: A's attempt %s, B's %v", st, kiosk.CurrentAttempt(sB))
	}
}
