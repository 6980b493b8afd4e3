package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
	"ispit/sheet"
)

// startDemoSession starts a session of the demo bank's public part on k, as the proctor's
// screen does.
func startDemoSession(t *testing.T, u *UI, startCode string) {
	t.Helper()
	s, err := u.K.StartSession("demo-2026", "public", proctorName, startCode)
	if err != nil {
		t.Fatal(err)
	}
	u.session, u.part = s, "public"
}

func screenText(u *UI) string { return strings.Join(texts(u.Win.Content()), "\n") }

// entryWithPlaceholder finds an entry on the screen by its placeholder.
func entryWithPlaceholder(t *testing.T, o fyne.CanvasObject, placeholder string) *widget.Entry {
	t.Helper()
	for _, o := range test.LaidOutObjects(o) {
		if e, ok := o.(*widget.Entry); ok && e.PlaceHolder == placeholder {
			return e
		}
	}
	t.Fatalf("no entry %q on the screen", placeholder)
	return nil
}

func TestProctorAdmitsPausesExtendsAndEnds(t *testing.T) {
	k, _, startCode := examKiosk(t)
	loc := strictLocalizer(t, "sq")
	u, _ := newTestUI(t, k, loc)
	startDemoSession(t, u, startCode)
	u.showProctor()
	if !strings.Contains(screenText(u), loc.T("proctor.attempt.none", nil)) {
		t.Fatalf("session screen without a candidate:\n%s", screenText(u))
	}

	code := entryWithPlaceholder(t, u.Win.Content(), loc.T("candidate.signin.code", nil))
	code.SetText("NOBODY-1")
	test.Tap(button(t, u, loc.T("proctor.admit.button", nil)))
	if !strings.Contains(screenText(u), loc.T("candidate.signin.unknown", nil)) {
		t.Fatalf("unknown candidate code:\n%s", screenText(u))
	}
	code.SetText("DEMO-0004")
	test.Tap(button(t, u, loc.T("proctor.admit.button", nil)))
	if !strings.Contains(screenText(u), loc.T("proctor.admit.done", map[string]any{"Name": "Arbër Krasniqi"})) {
		t.Fatalf("admitted:\n%s", screenText(u))
	}
	a := kiosk.CurrentAttempt(u.session)
	if err := a.Begin("sq"); err != nil {
		t.Fatal(err)
	}
	u.showProctor()

	reason := func() *widget.Entry {
		return entryWithPlaceholder(t, u.Win.Content(), loc.T("proctor.attempt.reason", nil))
	}
	test.Tap(button(t, u, loc.T("proctor.attempt.pause", nil)))
	if !strings.Contains(screenText(u), loc.T("proctor.attempt.reason_required", nil)) {
		t.Fatalf("pause without a reason:\n%s", screenText(u))
	}
	if st, _ := a.State(); st != exam.StateRunning {
		t.Fatalf("paused without a reason: %s", st)
	}
	reason().SetText("fire alarm")
	test.Tap(button(t, u, loc.T("proctor.attempt.pause", nil)))
	if st, _ := a.State(); st != exam.StatePaused || !strings.Contains(screenText(u), loc.T("proctor.attempt.paused", nil)) {
		t.Fatalf("after pause: %s\n%s", st, screenText(u))
	}
	reason().SetText("alarm over")
	test.Tap(button(t, u, loc.T("proctor.attempt.resume", nil)))
	if st, _ := a.State(); st != exam.StateRunning {
		t.Fatalf("after resume: %s", st)
	}

	before := a.TimeLeft()
	entryWithPlaceholder(t, u.Win.Content(), loc.T("proctor.attempt.extend_minutes", nil)).SetText("5")
	reason().SetText("lost time to the alarm")
	test.Tap(button(t, u, loc.T("proctor.attempt.extend", nil)))
	if got := a.TimeLeft() - before; got < 4*time.Minute || got > 5*time.Minute {
		t.Fatalf("extended by %v, want about 5 minutes", got)
	}
	if !strings.Contains(screenText(u), loc.N("proctor.attempt.extended", 5, nil)) {
		t.Fatalf("after extend:\n%s", screenText(u))
	}

	// Ending the session submits the attempt; the sheet waits for the (unreachable) scorer.
	test.Tap(button(t, u, loc.T("proctor.session.end", nil)))
	d := entryWithPlaceholder(t, u.Win.Canvas().Overlays().Top(), loc.T("proctor.attempt.reason", nil))
	d.SetText("the exam is over")
	var end *widget.Button
	for _, o := range test.LaidOutObjects(u.Win.Canvas().Overlays().Top()) {
		if b, ok := asButton(o); ok && b.Text == loc.T("proctor.session.end", nil) {
			end = b
		}
	}
	test.Tap(end)
	if st, reason := a.State(); st != exam.StateSubmitted || reason != exam.SubmitProctor {
		t.Fatalf("after the session ended: %s, %s", st, reason)
	}
	if u.session != nil || !strings.Contains(screenText(u), loc.T("proctor.session.ended", nil)) ||
		!strings.Contains(screenText(u), loc.T("proctor.outbox.status.waiting", nil)) {
		t.Fatalf("after the session ended:\n%s", screenText(u))
	}
	usb := t.TempDir()
	u.exportTo(usb)
	if !strings.Contains(screenText(u), loc.N("proctor.outbox.exported", 1, map[string]any{"Folder": usb})) {
		t.Fatalf("after export:\n%s", screenText(u))
	}
	files, _ := filepath.Glob(filepath.Join(usb, "*"))
	if len(files) != 1 {
		t.Fatalf("exported %v", files)
	}
	exported, err := os.ReadFile(files[0])
	if err != nil || len(exported) == 0 {
		t.Fatalf("exported file: %v", err)
	}
	// The waiting sheet is listed with the receipt code the candidate took away, which the
	// scorer will give the exported file.
	if code := loc.T("proctor.outbox.receipt", map[string]any{"Code": sheet.SealedReceiptCode(exported)}); !strings.Contains(screenText(u), code) {
		t.Fatalf("the outbox lacks %q:\n%s", code, screenText(u))
	}
}

func TestRestartPausesTheAttemptUntilTheProctorsPIN(t *testing.T) {
	useQueue(t) // the candidate's screens take the engine's notifications on the test's goroutine
	k, cfg, startCode := examKiosk(t)
	loc := strictLocalizer(t, "en")
	u, _ := newTestUI(t, k, loc)
	startDemoSession(t, u, startCode)
	a, err := u.session.Admit("DEMO-0001", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("bs"); err != nil {
		t.Fatal(err)
	}
	item, _ := a.Item(0)
	if err := a.Choose(item.Item.ID, item.Options[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Visit(6); err != nil {
		t.Fatal(err)
	}
	left := a.TimeLeft()
	u.Win.Close()
	k.Close()

	k2, err := kiosk.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k2.Close() })
	u2, _ := newTestUI(t, k2, loc)
	if !strings.Contains(screenText(u2), loc.T("proctor.pin.resume_prompt", nil)) {
		t.Fatalf("after the restart:\n%s", screenText(u2))
	}
	a2 := kiosk.CurrentAttempt(u2.session)
	if st, _ := a2.State(); st != exam.StatePaused {
		t.Fatalf("the attempt is %s while the kiosk waits for the proctor", st)
	}
	time.Sleep(300 * time.Millisecond)
	test.Tap(button(t, u2, loc.T("proctor.attempt.resume", nil)))
	pin, _ := overlayPIN(t, u2)
	submit(u2, pin, "246810")
	if st, _ := a2.State(); st != exam.StateRunning {
		t.Fatalf("after the PIN the attempt is %s", st)
	}
	if a2.Current() != 6 {
		t.Fatalf("resumed on question %d, want 6", a2.Current()+1)
	}
	if got, _ := a2.Item(0); got.Chosen != item.Options[2].ID {
		t.Fatalf("answer after restart %q, want %q", got.Chosen, item.Options[2].ID)
	}
	if d := left - a2.TimeLeft(); d < 0 || d > time.Second {
		t.Fatalf("time left %v before the restart, %v after: the wait for the PIN cost time", left, a2.TimeLeft())
	}
}

func TestProctorScreenKeepsTheTerminalLanguage(t *testing.T) {
	useQueue(t)
	k, _, startCode := examKiosk(t)
	loc := strictLocalizer(t, "hr")
	u, _ := newTestUI(t, k, loc)
	startDemoSession(t, u, startCode)
	a, err := u.session.Admit("DEMO-0004", "public")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Begin("sq"); err != nil {
		t.Fatal(err)
	}
	u.showAttempt(a)
	if loc.Lang() != "sq" {
		t.Fatalf("the candidate's screen is in %s, want sq", loc.Lang())
	}
	u.showProctor()
	if loc.Lang() != "hr" || !strings.Contains(screenText(u), loc.T("proctor.title", nil)) {
		t.Fatalf("the proctor's screen is in %s:\n%s", loc.Lang(), screenText(u))
	}
	u.lock()
	if loc.Lang() != "sq" {
		t.Fatalf("back at the candidate's screen in %s, want sq", loc.Lang())
	}
}
