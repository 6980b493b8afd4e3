package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	since := time.Now()

	// The kiosk stops as a power cut stops it, between two clicks; then it starts again.
	u2, a2 := restartAndResume(t, k, cfg, loc, "public", id)

	wantShown(t, u2, "Pitanje 12 od 21")
	// The attempt used at most the time that passed (on a busy machine, closing, opening and
	// checking the PIN take seconds, part of it running).
	if got, passed := a2.TimeLeft(), time.Since(since); got > left || left-got > passed {
		t.Errorf("time left %s after the restart, %s before, %s later", got, left, passed)
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

func TestResumedAttemptComesBackInItsDisplaySettings(t *testing.T) {
	tests := []struct {
		name   string
		before Theme // the terminal's display when the candidate signs in
		choose bool  // the candidate chooses large text and high contrast on the rules screen
		want   Theme
	}{
		{"chosen on the rules screen", Theme{}, true, Theme{Text: TextLarge, HighContrast: true}},
		{"set before the candidate signed in", Theme{Text: TextLargest}, false, Theme{Text: TextLargest}},
		{"never changed", Theme{}, false, Theme{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useQueue(t)
			k, cfg, code := examKiosk(t)
			s := startSession(t, k, code)
			loc := strictLocalizer(t, "bs")
			u := candidateUI(t, k, s, loc, "public")
			u.applyTheme(tt.before)
			u.showSignIn()
			entry := entries(u.Win.Content())[0]
			test.Type(entry, "DEMO-0001")
			entry.OnSubmitted(entry.Text)
			tap(t, u, loc.T("candidate.signin.details_correct", nil))
			tap(t, u, "Bosanski")
			if tt.choose {
				var size *widget.RadioGroup
				var contrast *widget.Check
				walkVisible(u, func(o fyne.CanvasObject) {
					switch w := o.(type) {
					case *widget.RadioGroup:
						size = w
					case *widget.Check:
						contrast = w
					}
				})
				if size == nil || contrast == nil {
					t.Fatalf("no display settings on the rules screen:\n%s", screen(u))
				}
				size.SetSelected(loc.T(TextLarge.TextSizeMessage(), nil))
				test.Tap(contrast)
			}
			tap(t, u, loc.T("candidate.rules.start", nil))
			if u.theme != tt.want {
				t.Fatalf("before the restart the screen is in %+v, want %+v", u.theme, tt.want)
			}

			u2, _ := restartAndResume(t, k, cfg, loc, "public", u.cand.a.ID())
			if u2.cand.exam == nil {
				t.Fatalf("not on the item screens after the resume:\n%s", screen(u2))
			}
			if u2.theme != tt.want {
				t.Errorf("after the restart the screen is in %+v, want %+v", u2.theme, tt.want)
			}
			th := u2.App.Settings().Theme()
			if got, want := th.Size(theme.SizeNameText), tt.want.Size(theme.SizeNameText); got != want {
				t.Errorf("after the restart the text is %v high, want %v", got, want)
			}
			if got, want := th.Color(theme.ColorNameBackground, theme.VariantLight), tt.want.Color(theme.ColorNameBackground, theme.VariantLight); got != want {
				t.Errorf("after the restart the background is %v, want %v", got, want)
			}
		})
	}
}
