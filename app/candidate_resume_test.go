package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/exam"
)

func TestResumeAfterCrashOnTheRightQuestion(t *testing.T) {
	useQueue(t)
	k, cfg, code := examKiosk(t)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, "bs")
	u := candidateUI(t, k, s, loc, "public")
	u.showSignIn()
	a := signIn(t, u, "DEMO-0001", "Bosanski")
	typeRunes(u, "2")
	typeKey(u, fyne.KeyRight)
	typeRunes(u, "d")
	typeKey(u, fyne.KeyRight)
	tap(t, u, loc.T("candidate.flag", nil))
	test.Tap(u.cand.exam.nav.cells[11].button)
	wantShown(t, u, "Pitanje 12 od 21")
	want := []string{option(t, a, 0, 1), option(t, a, 1, 3), ""}
	id := a.ID()
	left := a.TimeLeft()

	// The kiosk stops as a power cut stops it, between two clicks; then it starts again.
	u2, a2 := restartAndResume(t, k, cfg, loc, "public", id)

	wantShown(t, u2, "Pitanje 12 od 21")
	if got := a2.TimeLeft(); got > left || left-got > 2*time.Second {
		t.Errorf("time left %s after the restart, %s before", got, left)
	}
	if label := u2.cand.exam.bar.time.Text; label != loc.T("candidate.time_left", map[string]any{"Time": clockTime(a2.TimeLeft())}) &&
		label != loc.T("candidate.time_left", map[string]any{"Time": clockTime(a2.TimeLeft() + time.Second)}) {
		t.Errorf("the status bar says %q with %s left", label, a2.TimeLeft())
	}
	for i, w := range want {
		if got := chosen(t, a2, i); got != w {
			t.Errorf("item %d: %q after the restart, want %q", i+1, got, w)
		}
	}
	if nav := a2.Navigator(); !nav[2].Flagged {
		t.Error("the flag is lost")
	}
	// The screens show the answers: back on question 2, option D is marked.
	test.Tap(u2.cand.exam.nav.cells[1].button)
	wantShown(t, u2, "Pitanje 2 od 21", loc.T("candidate.option.chosen", nil))
	if !u2.cand.exam.options[3].chosen.Visible() {
		t.Error("the chosen option D is not marked after the restart")
	}
	typeKey(u2, fyne.KeyRight)
	if strings.Contains(screen(u2), loc.T("candidate.option.chosen", nil)) {
		t.Error("question 3 shows an answer it does not have")
	}
	wantShown(t, u2, loc.T("candidate.flagged", nil))
	if st, _ := a2.State(); st != exam.StateRunning {
		t.Errorf("resumed attempt is %s", st)
	}
}
