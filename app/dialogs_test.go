package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ispit/exam"
)

// openDialog checks the dialog on top of the window: every button of it is one of the
// kiosk's (which Enter presses), and the focus starts on the control named first (a button's
// text, or an entry's placeholder; "" for a PIN field).
func openDialog(t *testing.T, u *UI, first string) {
	t.Helper()
	top := u.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok {
			t.Errorf("the dialog has a Fyne button %q, which Enter does not press", b.Text)
		}
	}
	switch f := u.Win.Canvas().Focused().(type) {
	case *keyButton:
		if f.Text != first {
			t.Errorf("the focus starts on %q, not on %q", f.Text, first)
		}
	case *widget.Entry:
		if f.PlaceHolder != first {
			t.Errorf("the focus starts on the field %q, not on %q", f.PlaceHolder, first)
		}
	default:
		t.Errorf("the focus starts on %T, not on %q", f, first)
	}
}

// dialogOpen reports whether a dialog is shown.
func dialogOpen(u *UI) bool { return u.Win.Canvas().Overlays().Top() != nil }

// TestDialogsTakeEnterAndStartOnTheSafeChoice opens each of the kiosk's dialogs: the focus
// starts on the safe choice (or the field to type in), Enter and the keypad's Enter press the
// focused button, and Enter on the safe choice changes nothing.
func TestDialogsTakeEnterAndStartOnTheSafeChoice(t *testing.T) {
	t.Run("submit", func(t *testing.T) {
		u, _, _, _ := candidateSetup(t, "sq", "public")
		a := signIn(t, u, "DEMO-0004", "Shqip")
		tap(t, u, u.t("candidate.review.open", nil))
		tap(t, u, u.t("candidate.submit.button", nil))
		openDialog(t, u, u.t("candidate.submit.no", nil))
		typeKey(u, fyne.KeyReturn)
		if dialogOpen(u) {
			t.Fatal("Enter on “No” leaves the dialog open")
		}
		if st, _ := a.State(); st != exam.StateRunning {
			t.Fatalf("Enter on “No” left the attempt %s", st)
		}
		tap(t, u, u.t("candidate.submit.button", nil))
		u.Win.Canvas().FocusNext()
		typeKey(u, fyne.KeyEnter) // the keypad's Enter
		if st, _ := a.State(); st != exam.StateSubmitted {
			t.Fatalf("the keypad's Enter on “Yes” left the attempt %s", st)
		}
	})
	t.Run("language", func(t *testing.T) {
		u, _, _, _ := candidateSetup(t, "sr-Cyrl", "public")
		a := signIn(t, u, "DEMO-0003", "Српски (ћирилица)")
		tap(t, u, "Српски (ћирилица)") // the language button of the exam screen
		openDialog(t, u, "Српски (ћирилица)")
		typeKey(u, fyne.KeyReturn)
		if dialogOpen(u) || a.Language() != "sr-Cyrl" {
			t.Fatalf("Enter on the exam's language: dialog open %v, language %s", dialogOpen(u), a.Language())
		}
	})
	t.Run("remove bank", func(t *testing.T) {
		k, _, _ := examKiosk(t)
		u, _, loc := openAdmin(t, k, "sr-Cyrl", t.TempDir())
		tap(t, u, loc.T("admin.banks.remove", nil))
		openDialog(t, u, loc.T("common.cancel", nil))
		typeKey(u, fyne.KeyEnter)
		if banks, _ := k.Banks(); dialogOpen(u) || len(banks) != 1 {
			t.Fatalf("Enter on Cancel: dialog open %v, %d banks", dialogOpen(u), len(banks))
		}
		tap(t, u, loc.T("admin.banks.remove", nil))
		u.Win.Canvas().FocusNext()
		typeKey(u, fyne.KeyReturn)
		if banks, _ := k.Banks(); len(banks) != 0 {
			t.Fatal("Enter on Remove did not remove the bank")
		}
	})
	t.Run("end session", func(t *testing.T) {
		k, _, startCode := examKiosk(t)
		loc := strictLocalizer(t, "sq")
		u, _ := newTestUI(t, k, loc)
		startDemoSession(t, u, startCode)
		u.showProctor()
		tap(t, u, loc.T("proctor.session.end", nil))
		openDialog(t, u, loc.T("proctor.attempt.reason", nil))
		typeRunes(u, "test")
		typeKey(u, fyne.KeyReturn) // in the reason field: nothing ends
		if !dialogOpen(u) || !u.session.Info.EndedAt.IsZero() {
			t.Fatal("Enter in the reason field ended the session")
		}
		u.Win.Canvas().FocusNext()
		if buttonText(u.Win.Canvas().Focused()) != loc.T("common.cancel", nil) {
			t.Fatalf("Tab from the reason goes to %q, not to Cancel", buttonText(u.Win.Canvas().Focused()))
		}
		typeKey(u, fyne.KeyEnter)
		if dialogOpen(u) || u.session == nil || !u.session.Info.EndedAt.IsZero() {
			t.Fatal("Enter on Cancel did not just close the dialog")
		}
	})
	t.Run("PIN", func(t *testing.T) {
		k, _, _ := examKiosk(t)
		loc := strictLocalizer(t, "hr")
		u, _ := newTestUI(t, k, loc)
		tap(t, u, loc.T("proctor.title", nil))
		openDialog(t, u, "")
		u.Win.Canvas().FocusNext()
		typeKey(u, fyne.KeyEnter)
		if dialogOpen(u) {
			t.Fatal("Enter on Cancel leaves the PIN dialog open")
		}
	})
}
