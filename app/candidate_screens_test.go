package app

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/exam"
)

// TestCandidateScreensAreTranslated goes through every candidate screen in Serbian Cyrillic
// and Albanian, at the smallest and a large screen size. The strict localizer fails the test
// on a message missing from a catalogue; no screen may show a raw message id, and every screen
// must fit the window (what does not fit scrolls). With ISPIT_SHOTS set to a folder, each
// screen is also saved there as a PNG to look at.
func TestCandidateScreensAreTranslated(t *testing.T) {
	shots := os.Getenv("ISPIT_SHOTS")
	sizes := []fyne.Size{{Width: 1024, Height: 768}}
	if shots != "" {
		sizes = append(sizes, fyne.Size{Width: 1920, Height: 1080})
	}
	for _, lang := range []string{"sr-Cyrl", "sq"} {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%gx%g", lang, size.Width, size.Height), func(t *testing.T) {
				walkCandidateScreens(t, lang, size, shots)
			})
		}
	}
}

func walkCandidateScreens(t *testing.T, lang string, size fyne.Size, shots string) {
	q := useQueue(t)
	k, _, code := examKiosk(t)
	s := startSession(t, k, code)
	loc := strictLocalizer(t, lang)
	u := candidateUI(t, k, s, loc, "public")
	u.Win.Resize(size)
	n := 0
	look := func(name string) {
		t.Helper()
		q.run()
		n++
		for _, text := range shown(u) {
			if messageID.MatchString(strings.TrimSpace(text)) {
				t.Errorf("%s shows a raw message id %q", name, text)
			}
		}
		if min := u.Win.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
			t.Errorf("%s needs %v, more than the window's %v", name, min, size)
		}
		if shots == "" {
			return
		}
		saveScreen(t, u, shots, fmt.Sprintf("%s-%gx%g-%02d-%s", lang, size.Width, size.Height, n, name))
	}

	session := u.session
	u.session = nil
	u.showSignIn()
	look("signin-wait")
	u.session = session
	u.showSignIn()
	look("signin")
	entry := entries(u.Win.Content())[0]
	test.Type(entry, "NOBODY")
	entry.OnSubmitted(entry.Text)
	look("signin-unknown")
	entry = entries(u.Win.Content())[0]
	test.Type(entry, "DEMO-0009")
	entry.OnSubmitted(entry.Text)
	look("details")
	tap(t, u, loc.T("candidate.signin.details_correct", nil))
	look("language")
	tap(t, u, "Shqip")
	u.Loc.SetLang(lang) // the screens in the language under test, whatever the exam's
	u.cand.showRules("sq", "")
	look("rules")
	tap(t, u, loc.T("candidate.rules.start", nil))
	look("question")
	typeRunes(u, "2")
	tap(t, u, loc.T("candidate.flag", nil))
	u.cand.exam.banner.warn(5)
	look("question-answered-warning")
	tap(t, u, "Shqip")
	look("language-dialog")
	tap(t, u, loc.T("common.cancel", nil))
	tap(t, u, loc.T("candidate.review.open", nil))
	look("review")
	tap(t, u, loc.T("candidate.submit.button", nil))
	look("submit-confirm")
	tap(t, u, loc.T("candidate.submit.no", nil))
	a := u.cand.a
	if err := a.Pause("proctor", "a look at the pause screen"); err != nil {
		t.Fatal(err)
	}
	q.until(t, "the pause screen", func() bool { return u.cand.paused })
	look("paused")
	if err := a.Resume("proctor", "done looking"); err != nil {
		t.Fatal(err)
	}
	q.until(t, "the question again", func() bool { return u.cand.exam != nil })
	look("resumed")
	tap(t, u, loc.T("candidate.review.open", nil))
	tap(t, u, loc.T("candidate.submit.button", nil))
	tap(t, u, loc.T("candidate.submit.yes", nil))
	receipt := wantUndeliveredReceipt(t, u, k, a)
	look("receipt-pending")
	// The scorer's receipt confirms the code shown (the uploader verifies that it does).
	if err := k.Engine.RecordDelivery(a.ID(), []byte("receipt"), receipt); err != nil {
		t.Fatal(err)
	}
	delivered := loc.T("candidate.receipt.delivered", nil)
	q.until(t, "the confirmation", func() bool { return strings.Contains(screen(u), delivered) })
	wantShown(t, u, receipt)
	if strings.Contains(screen(u), loc.T("candidate.receipt.unconfirmed", nil)) {
		t.Errorf("a delivered sheet's receipt still says it is not delivered:\n%s", screen(u))
	}
	look("receipt-delivered")
	u.cand.timedOut = true
	u.cand.showFinished()
	wantShown(t, u, receipt, delivered) // read back from the outbox
	look("timeout")

	tap(t, u, loc.T("candidate.receipt.done", nil))
	u.part = "professional-written"
	written := admitted(t, s, "DEMO-0002", "professional-written", lang)
	u.showAttempt(written)
	editor := u.cand.exam.essay.entry
	u.Win.Canvas().Focus(editor)
	editor.SetText(strings.Repeat("Rješenje o zahtjevu za pristup informacijama. ", 110))
	look("written-over-limit")
	if st, _ := written.State(); st != exam.StateRunning {
		t.Errorf("the written attempt is %s", st)
	}
}
