package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/i18n"
)

// TestSignInOffersEveryLanguage: a candidate who does not read the terminal's language picks
// their own on the sign-in screen. The screen switches at once and keeps the code typed; the
// screens after it are in that language, which the language screen offers first (over the
// roster's), and the exam is in it. The next candidate starts in the terminal's language.
func TestSignInOffersEveryLanguage(t *testing.T) {
	u, _, _, _ := candidateSetup(t, "bs", "public")
	bs, sq := strictLocalizer(t, "bs"), strictLocalizer(t, "sq")
	for _, l := range i18n.Languages() {
		wantShown(t, u, l.Name)
	}
	marked := func(name string) bool {
		b, ok := control(t, u, name).(*keyButton)
		return ok && b.Icon != nil
	}
	if !marked("Bosanski") || marked("Shqip") {
		t.Error("the sign-in screen does not mark the language it is in")
	}
	test.Type(entries(u.Win.Content())[0], "DEMO-0001") // the roster gives Bosnian
	tap(t, u, "Shqip")
	wantShown(t, u, sq.T("candidate.signin.title", nil), sq.T("candidate.signin.prompt", nil), sq.T("candidate.signin.button", nil))
	if !marked("Shqip") || marked("Bosanski") {
		t.Error("after choosing Shqip, the screen does not mark it")
	}
	entry := entries(u.Win.Content())[0]
	if entry.Text != "DEMO-0001" {
		t.Errorf("the code typed became %q", entry.Text)
	}
	if u.Win.Canvas().Focused() != entry {
		t.Error("after choosing a language the focus is not in the code field")
	}
	entry.OnSubmitted(entry.Text)
	wantShown(t, u, sq.T("candidate.signin.check_details", nil))
	tap(t, u, sq.T("candidate.signin.details_correct", nil))
	wantShown(t, u, sq.T("candidate.language.title", nil))
	if got := buttonText(u.Win.Canvas().Focused()); got != "Shqip" {
		t.Fatalf("the language screen offers %q first, not the Shqip chosen at sign-in", got)
	}
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, sq.T("candidate.rules.title", nil))
	typeKey(u, fyne.KeyReturn) // "Start the exam" has the focus
	if u.cand.exam == nil || u.cand.a.Language() != "sq" {
		t.Fatalf("the exam did not start in Albanian:\n%s", screen(u))
	}

	u.showSignIn()
	wantShown(t, u, bs.T("candidate.signin.title", nil), bs.T("candidate.signin.button", nil))
	if !marked("Bosanski") {
		t.Error("the next candidate's sign-in screen is not in the terminal's language")
	}
}
