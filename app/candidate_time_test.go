package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ispit/app/kiosk"
	"ispit/exam"
)

// fakeClockKiosk swaps the kiosk's engine for one on a clock the test moves. Sheets are not
// sealed (the kiosk's sealer is its own), so they do not reach the outbox.
func fakeClockKiosk(t *testing.T, k *kiosk.Kiosk, cfg kiosk.Config) *fakeClock {
	t.Helper()
	clock := &fakeClock{wall: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	secret, err := os.ReadFile(filepath.Join(cfg.DataDir, "terminal.secret"))
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Engine.Close(); err != nil {
		t.Fatal(err)
	}
	e, err := exam.Open(filepath.Join(cfg.DataDir, "exam.db"), exam.Options{TerminalID: cfg.TerminalID, Secret: secret, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	k.Engine = e
	return clock
}

func TestTimeOutSubmits(t *testing.T) {
	q := useQueue(t)
	k, cfg, code := examKiosk(t)
	clock := fakeClockKiosk(t, k, cfg)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, "sq")
	u := candidateUI(t, k, s, loc, "public")
	a := admitted(t, s, "DEMO-0004", "public", "sq")
	u.showAttempt(a)
	wantShown(t, u, "Pyetja 1 nga 21", loc.T("candidate.time_left", map[string]any{"Time": "30:00"}))
	typeRunes(u, "2")

	clock.Advance(20*time.Minute + 30*time.Second)
	warning := loc.N("candidate.warning", 10, nil)
	q.until(t, "the 10-minute warning", func() bool { return strings.Contains(screen(u), warning) })
	wantShown(t, u, loc.T("candidate.warning.detail", nil), loc.T("candidate.time_left", map[string]any{"Time": "9:30"}))

	clock.Advance(5 * time.Minute)
	warning = loc.N("candidate.warning", 5, nil)
	q.until(t, "the 5-minute warning", func() bool { return strings.Contains(screen(u), warning) })

	clock.Advance(5 * time.Minute)
	timeout := loc.T("candidate.timeout.message", nil)
	q.until(t, "the time-out message", func() bool { return strings.Contains(screen(u), timeout) })
	if st, reason := a.State(); st != exam.StateSubmitted || reason != exam.SubmitTimeOut {
		t.Fatalf("after the time ran out the attempt is %s (%s)", st, reason)
	}
	// Without a sealed sheet in the outbox (this engine has no sealer) there is no code to
	// show: the receipt names the sheet by its number.
	wantShown(t, u, loc.T("candidate.timeout.title", nil), loc.T("candidate.receipt.title", nil),
		loc.T("candidate.receipt.sheet_label", nil), a.ID())
	if chosen(t, a, 0) == "" {
		t.Error("the answer given before the time-out is lost")
	}

	// Shown again (a restart, the proctor's screen), the attempt still says why it ended.
	u.showSignIn()
	u.showAttempt(a)
	wantShown(t, u, timeout)
}

func TestPauseResumeAndExtension(t *testing.T) {
	q := useQueue(t)
	k, cfg, code := examKiosk(t)
	clock := fakeClockKiosk(t, k, cfg)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, "sr-Cyrl")
	u := candidateUI(t, k, s, loc, "public")
	a := admitted(t, s, "DEMO-0003", "public", "sr-Cyrl")
	u.showAttempt(a)
	clock.Advance(time.Minute)

	if err := a.Pause("proctor", "a fire drill"); err != nil {
		t.Fatal(err)
	}
	q.until(t, "the pause screen", func() bool { return strings.Contains(screen(u), loc.T("candidate.paused", nil)) })
	wantShown(t, u, loc.T("candidate.time_left", map[string]any{"Time": "29:00"}))
	if strings.Contains(screen(u), "Питање 1 од 21") {
		t.Error("the question is visible while paused")
	}
	clock.Advance(10 * time.Minute) // paused time does not count

	if err := a.Resume("proctor", "the drill is over"); err != nil {
		t.Fatal(err)
	}
	q.until(t, "the question again", func() bool { return strings.Contains(screen(u), "Питање 1 од 21") })
	wantShown(t, u, loc.T("candidate.resumed", nil), loc.T("candidate.time_left", map[string]any{"Time": "29:00"}))

	if err := a.Extend("proctor", "an accommodation", 15*time.Minute); err != nil {
		t.Fatal(err)
	}
	extended := loc.N("candidate.extended", 15, nil)
	q.until(t, "the extension", func() bool { return strings.Contains(screen(u), extended) })
	wantShown(t, u, loc.T("candidate.time_left", map[string]any{"Time": "44:00"}))
}
