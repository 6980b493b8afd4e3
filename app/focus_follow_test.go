package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
)

// pressTab moves the focus as Tab does in the real driver, then lets the focus follower look,
// as it does before the next frame is drawn.
func pressTab(u *UI) fyne.CanvasObject {
	u.Win.Canvas().FocusNext()
	u.follow.check()
	return u.Win.Canvas().Focused().(fyne.CanvasObject)
}

// outOfView says where o is if it is not wholly in view: outside the window, or outside the
// view of a scroll that holds it (scrolled away, or under what stays below the scroll); "" when
// it is in view.
func outOfView(u *UI, o fyne.CanvasObject) string {
	const slack = 1
	d := fyne.CurrentApp().Driver()
	pos, size := d.AbsolutePositionForObject(o), o.Size()
	win := u.Win.Canvas().Size()
	if pos.X < -slack || pos.Y < -slack || pos.X+size.Width > win.Width+slack || pos.Y+size.Height > win.Height+slack {
		return fmt.Sprintf("at %v, %v, outside the %v window", pos, size, win)
	}
	for _, obj := range test.LaidOutObjects(u.Win.Content()) {
		s, ok := obj.(*container.Scroll)
		if !ok || !slices.Contains(test.LaidOutObjects(s.Content), o) {
			continue
		}
		top := d.AbsolutePositionForObject(s).Y
		if pos.Y < top-slack || pos.Y+size.Height > top+s.Size().Height+slack {
			return fmt.Sprintf("at y %.0f–%.0f, outside the view of its scroll, y %.0f–%.0f", pos.Y, pos.Y+size.Height, top, top+s.Size().Height)
		}
	}
	return ""
}

// scrolls reports whether some scroll of the screen has more than it shows: only then can a
// control be out of view.
func scrolls(u *UI) bool {
	for _, obj := range test.LaidOutObjects(u.Win.Content()) {
		if s, ok := obj.(*container.Scroll); ok && s.Content.MinSize().Height > s.Size().Height+1 {
			return true
		}
	}
	return false
}

// scrollToBottom scrolls every scroll of the screen to its end, as a candidate who read on.
func scrollToBottom(u *UI) {
	for _, obj := range test.LaidOutObjects(u.Win.Content()) {
		if s, ok := obj.(*container.Scroll); ok {
			s.ScrollToBottom()
		}
	}
}

// tabAround presses Tab once for every control of the screen and once more, and fails on a
// control that takes the focus out of view.
func tabAround(t *testing.T, u *UI, screen string) {
	t.Helper()
	if !scrolls(u) {
		t.Fatalf("the %s screen fits the window: nothing to scroll to", screen)
	}
	n := 0
	for _, o := range test.LaidOutObjects(u.Win.Content()) {
		_, focusable := o.(fyne.Focusable)
		if d, ok := o.(fyne.Disableable); focusable && (!ok || !d.Disabled()) {
			n++
		}
	}
	for range n + 1 {
		o := pressTab(u)
		if where := outOfView(u, o); where != "" {
			t.Errorf("on the %s screen Tab moves the focus to %T %q %s", screen, o, focusName(o), where)
		}
	}
}

// control is the visible button with this text on the screen, as the screen holds it.
func control(t *testing.T, u *UI, text string) fyne.CanvasObject {
	t.Helper()
	for _, o := range test.LaidOutObjects(u.Win.Content()) {
		if b, ok := asButton(o); ok && b.Text == text && o.Visible() {
			return o
		}
	}
	t.Fatalf("no button %q on the screen:\n%s", text, screenText(u))
	return nil
}

// focusName is what a focused control says, to tell it in a message.
func focusName(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *keyButton:
		return w.Text
	case *widget.Entry:
		return w.PlaceHolder + w.Text
	case *widget.Check:
		return w.Text
	}
	return ""
}

// TestTabKeepsTheFocusInView goes with Tab through every screen that scrolls, at the largest
// text size so that each does, starting where a user would have scrolled to: every control
// the focus lands on is in view.
func TestTabKeepsTheFocusInView(t *testing.T) {
	largest := func(u *UI) { u.setTheme(Theme{Text: TextLargest}) }

	t.Run("rules", func(t *testing.T) {
		u, _, _, _ := candidateSetup(t, "sr-Cyrl", "public")
		largest(u)
		entry := entries(u.Win.Content())[0]
		test.Type(entry, "DEMO-0003")
		entry.OnSubmitted(entry.Text)
		tap(t, u, u.t("candidate.signin.details_correct", nil))
		tap(t, u, "Српски (ћирилица)")
		scrollToBottom(u) // the candidate read the rules to the end
		tabAround(t, u, "rules")
	})
	t.Run("question and review", func(t *testing.T) {
		u, _, _, _ := candidateSetup(t, "sq", "public")
		largest(u)
		signIn(t, u, "DEMO-0004", "Shqip")
		tabAround(t, u, "question")
		tap(t, u, u.t("candidate.review.open", nil))
		tabAround(t, u, "review")
	})
	t.Run("proctor", func(t *testing.T) {
		k, _, startCode := examKiosk(t)
		u, _ := newTestUI(t, k, strictLocalizer(t, "sr-Cyrl"))
		largest(u)
		startDemoSession(t, u, startCode)
		a, err := u.session.Admit("DEMO-0003", "public")
		if err != nil {
			t.Fatal(err)
		}
		a.Begin("sr-Cyrl")
		u.showProctor()
		tabAround(t, u, "proctor's session")
	})
	t.Run("administrator", func(t *testing.T) {
		k, _, _ := examKiosk(t)
		u, _, _ := openAdmin(t, k, "sq", t.TempDir())
		largest(u)
		u.showAdmin()
		tabAround(t, u, "administrator's")
	})
	t.Run("terminal", func(t *testing.T) {
		k, _, _ := examKiosk(t)
		u, _ := newTestUI(t, k, strictLocalizer(t, "sq"))
		largest(u)
		u.showTerminal()
		tabAround(t, u, "terminal")
	})
}

// TestFocusFollowerLeavesAFocusThatStays: the candidate may scroll away from the focused
// control with the wheel; only a move of the focus brings the scroll back to it.
func TestFocusFollowerLeavesAFocusThatStays(t *testing.T) {
	k, _, startCode := examKiosk(t)
	loc := strictLocalizer(t, "en")
	u, _ := newTestUI(t, k, loc)
	u.setTheme(Theme{Text: TextLargest})
	startDemoSession(t, u, startCode)
	a, err := u.session.Admit("DEMO-0005", "public")
	if err != nil {
		t.Fatal(err)
	}
	a.Begin("en")
	u.showProctor()
	u.Win.Resize(fyne.NewSize(1024, 500)) // a short window: much of the screen scrolls
	reason := entryWithPlaceholder(t, u.Win.Content(), loc.T("proctor.attempt.reason", nil))
	u.Win.Canvas().Focus(reason)
	u.follow.check()
	scrollToBottom(u)
	u.follow.check()
	if outOfView(u, reason) == "" {
		t.Fatal("the reason field is still in view at the bottom: the test shows nothing")
	}
	if o := pressTab(u); outOfView(u, o) != "" {
		t.Errorf("after Tab the focus is %s", outOfView(u, o))
	}
}

// TestRulesShowSettingsFirstAndStartInView: at 1024×768 the rules screen shows the text size
// and contrast above the rules, and "Start the exam" in the window whatever the text size.
func TestRulesShowSettingsFirstAndStartInView(t *testing.T) {
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		for _, size := range []TextSize{TextNormal, TextLargest} {
			t.Run(fmt.Sprintf("%s/%d", lang, size), func(t *testing.T) {
				u, _, _, _ := candidateSetup(t, lang, "public")
				u.setTheme(Theme{Text: size})
				entry := entries(u.Win.Content())[0]
				test.Type(entry, "DEMO-0001")
				entry.OnSubmitted(entry.Text)
				tap(t, u, u.t("candidate.signin.details_correct", nil))
				tap(t, u, "Bosanski")
				start := u.Win.Canvas().Focused()
				if buttonText(start) != u.t("candidate.rules.start", nil) {
					t.Fatalf("the focus is on %q, not on Start", buttonText(start))
				}
				if where := outOfView(u, start.(fyne.CanvasObject)); where != "" {
					t.Errorf("Start the exam is %s", where)
				}
				back := control(t, u, u.t("common.back", nil))
				if where := outOfView(u, back); where != "" {
					t.Errorf("Back is %s", where)
				}
				d := fyne.CurrentApp().Driver()
				var settings, firstRule float32 = -1, -1
				for _, o := range test.LaidOutObjects(u.Win.Content()) {
					switch w := o.(type) {
					case *widget.RadioGroup:
						settings = d.AbsolutePositionForObject(w).Y
					case *widget.Label:
						if firstRule < 0 && strings.HasPrefix(w.Text, "• ") {
							firstRule = d.AbsolutePositionForObject(w).Y
						}
					}
				}
				if settings < 0 || firstRule < 0 || settings > firstRule {
					t.Errorf("the text size is at y %v, the first rule at y %v: the settings do not come first", settings, firstRule)
				}
			})
		}
	}
}

// TestProctorActionsStayInView: at 1024×768, with a candidate at the terminal, ending the
// session and locking are in the window, whatever the text size.
func TestProctorActionsStayInView(t *testing.T) {
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		for _, size := range []TextSize{TextNormal, TextLargest} {
			t.Run(fmt.Sprintf("%s/%d", lang, size), func(t *testing.T) {
				k, _, startCode := examKiosk(t)
				loc := strictLocalizer(t, lang)
				u, _ := newTestUI(t, k, loc)
				u.setTheme(Theme{Text: size})
				startDemoSession(t, u, startCode)
				a, err := u.session.Admit("DEMO-0004", "public")
				if err != nil {
					t.Fatal(err)
				}
				a.Begin("sq")
				u.showProctor()
				for _, id := range []string{"proctor.session.end", "proctor.menu.lock"} {
					if where := outOfView(u, control(t, u, loc.T(id, nil))); where != "" {
						t.Errorf("%q is %s", loc.T(id, nil), where)
					}
				}
				kiosk.CurrentAttempt(u.session).Submit()
				u.showOutbox("")
				for _, id := range []string{"common.back", "proctor.outbox.export"} {
					if where := outOfView(u, control(t, u, loc.T(id, nil))); where != "" {
						t.Errorf("on the answer sheets, %q is %s", loc.T(id, nil), where)
					}
				}
			})
		}
	}
}
