package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"ispit/app/kiosk"
	"ispit/exam"
	"ispit/sheet"
)

// chosen is the option id the engine holds for item i.
func chosen(t *testing.T, a *exam.Attempt, i int) string {
	t.Helper()
	v, err := a.Item(i)
	if err != nil {
		t.Fatal(err)
	}
	return v.Chosen
}

// option is the id of the n-th option (0-based) of item i as the candidate sees them.
func option(t *testing.T, a *exam.Attempt, i, n int) string {
	t.Helper()
	v, err := a.Item(i)
	if err != nil {
		t.Fatal(err)
	}
	return v.Options[n].ID
}

// wantUndeliveredReceipt checks the receipt of a submitted attempt whose sheet the scorer has
// not confirmed: it shows the receipt code of the sealed sheet in the outbox, computed as the
// scorer computes it, marked as not yet delivered, and not the sheet's long id. It returns the
// code.
func wantUndeliveredReceipt(t *testing.T, u *UI, k *kiosk.Kiosk, a *exam.Attempt) string {
	t.Helper()
	out, err := k.Engine.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, e := range out {
		if e.AttemptID == a.ID() && !e.Delivered() {
			code = sheet.SealedReceiptCode(e.Sealed)
		}
	}
	if code == "" {
		t.Fatalf("no undelivered sheet of attempt %s in the outbox", a.ID())
	}
	loc := u.Loc
	wantShown(t, u, loc.T("candidate.receipt.code_label", nil), code, loc.T("candidate.receipt.write_down", nil),
		loc.T("candidate.receipt.unconfirmed", nil), loc.T("candidate.receipt.pending", nil))
	if all := screen(u); strings.Contains(all, a.ID()) || strings.Contains(all, loc.T("candidate.receipt.sheet_label", nil)) {
		t.Fatalf("the receipt shows the sheet's id %s:\n%s", a.ID(), all)
	}
	return code
}

func TestCandidateTakesThePublicExam(t *testing.T) {
	u, k, _, _ := candidateSetup(t, "en", "public")
	loc := u.Loc
	wantShown(t, u, loc.T("candidate.signin.title", nil), loc.T("candidate.signin.prompt", nil), loc.T("proctor.title", nil))

	entry := entries(u.Win.Content())[0]
	if u.Win.Canvas().Focused() != entry {
		t.Error("the code entry does not have the focus")
	}
	test.Type(entry, "demo-0005")
	tap(t, u, loc.T("candidate.signin.button", nil))
	wantShown(t, u, "Name: Adnan Mehmedović", "Position: DEMO-12/2026 — Ministry of Justice and Administration")
	tap(t, u, loc.T("candidate.signin.details_correct", nil))
	wantShown(t, u, loc.T("candidate.language.title", nil), "Bosanski", "Српски (ћирилица)", "Shqip", "English")
	tap(t, u, "English")
	wantShown(t, u, "This part has 21 questions.", "You have 30 minutes.", "To pass, you need at least 11 correct answers.",
		"keys 1–4 or A–D choose an answer")
	tap(t, u, loc.T("candidate.rules.start", nil))
	a := u.cand.a
	if st, _ := a.State(); st != exam.StateRunning {
		t.Fatalf("after Start the attempt is %s", st)
	}
	wantShown(t, u, "Question 1 of 21", "Time left: 30:00", loc.T("candidate.review.open", nil))

	// A click on the second option chooses it, and the screen marks it in words.
	test.Tap(u.cand.exam.options[1].button)
	if got, want := chosen(t, a, 0), option(t, a, 0, 1); got != want {
		t.Fatalf("a click chose %q, want %q", got, want)
	}
	wantShown(t, u, loc.T("candidate.option.chosen", nil), loc.T("candidate.save.saved", nil))
	if n := strings.Count(screen(u), loc.T("candidate.option.chosen", nil)); n != 1 {
		t.Errorf("%d options are marked as the answer", n)
	}
	// Keys: 3 chooses the third option, → goes on, C chooses the third, Right again, and a
	// digit typed while a button has the focus still chooses.
	typeRunes(u, "3")
	if got, want := chosen(t, a, 0), option(t, a, 0, 2); got != want {
		t.Fatalf("key 3 chose %q, want %q", got, want)
	}
	typeKey(u, fyne.KeyRight)
	wantShown(t, u, "Question 2 of 21")
	typeRunes(u, "a")
	if got, want := chosen(t, a, 1), option(t, a, 1, 0); got != want {
		t.Fatalf("key A chose %q, want %q", got, want)
	}
	u.Win.Canvas().Focus(u.cand.exam.next)
	typeKey(u, fyne.KeyReturn) // Enter activates the focused button
	wantShown(t, u, "Question 3 of 21")
	if u.Win.Canvas().Focused() != u.cand.exam.next {
		t.Error("the Next button lost the focus on the way")
	}
	typeRunes(u, "D")
	if got, want := chosen(t, a, 2), option(t, a, 2, 3); got != want {
		t.Fatalf("key D on a focused button chose %q, want %q", got, want)
	}
	tap(t, u, loc.T("candidate.clear_answer", nil))
	if got := chosen(t, a, 2); got != "" {
		t.Fatalf("clearing left %q", got)
	}
	tap(t, u, loc.T("candidate.flag", nil))
	wantShown(t, u, loc.T("candidate.flagged", nil), loc.T("candidate.unflag", nil))
	if nav := a.Navigator(); !nav[2].Flagged || nav[2].Answered || !nav[0].Answered {
		t.Fatalf("navigator %+v", nav[:3])
	}
	typeKey(u, fyne.KeyLeft)
	wantShown(t, u, "Question 2 of 21")
	if a.Current() != 1 {
		t.Errorf("the engine has the candidate on item %d", a.Current())
	}
	// The navigator's cell goes to its question.
	test.Tap(u.cand.exam.nav.cells[6].button)
	wantShown(t, u, "Question 7 of 21")

	tap(t, u, loc.T("candidate.review.open", nil))
	wantShown(t, u, loc.T("candidate.review.title", nil), "You have answered 2 of 21 questions.",
		"19 questions are not answered:", "1 question is flagged for review:", "Time left: ")
	tap(t, u, "Question 3 of 21") // the first button that says so: unanswered and flagged
	wantShown(t, u, "Question 3 of 21", loc.T("candidate.flagged", nil))
	tap(t, u, loc.T("candidate.review.open", nil))

	tap(t, u, loc.T("candidate.submit.button", nil))
	wantShown(t, u, loc.T("candidate.submit.confirm_title", nil),
		"19 questions are still not answered.", loc.T("candidate.submit.yes", nil))
	if f, ok := u.Win.Canvas().Focused().(*keyButton); !ok || f.Text != loc.T("candidate.submit.no", nil) {
		t.Error("the confirmation does not start on “No, go back”")
	}
	tap(t, u, loc.T("candidate.submit.no", nil))
	if st, _ := a.State(); st != exam.StateRunning {
		t.Fatalf("“No” submitted: %s", st)
	}
	tap(t, u, loc.T("candidate.submit.button", nil))
	tap(t, u, loc.T("candidate.submit.yes", nil))
	if st, reason := a.State(); st != exam.StateSubmitted || reason != exam.SubmitCandidate {
		t.Fatalf("after “Yes” the attempt is %s (%s)", st, reason)
	}
	wantShown(t, u, loc.T("candidate.receipt.title", nil), loc.T("candidate.finished", nil))
	wantUndeliveredReceipt(t, u, k, a)
	if strings.Contains(screen(u), loc.T("candidate.timeout.title", nil)) {
		t.Error("a submission by the candidate shows the time-out message")
	}
	tap(t, u, loc.T("candidate.receipt.done", nil))
	wantShown(t, u, loc.T("candidate.signin.title", nil))
}

func TestSignInProblems(t *testing.T) {
	u, _, s, _ := candidateSetup(t, "sq", "professional-choice")
	loc := u.Loc
	signInWith := func(code string) {
		t.Helper()
		entry := entries(u.Win.Content())[0]
		test.Type(entry, code)
		entry.OnSubmitted(entry.Text)
	}
	signInWith("NOBODY-1")
	wantShown(t, u, loc.T("candidate.signin.unknown", nil))

	signInWith("DEMO-0099")
	wantShown(t, u, "Testna Kandidatkinja", "OTHER-1/2026")
	tap(t, u, loc.T("candidate.signin.details_correct", nil))
	wantShown(t, u, loc.T("candidate.signin.wrong_part", nil))

	signInWith("DEMO-0004")
	wantShown(t, u, "Arbër Krasniqi")
	tap(t, u, loc.T("candidate.signin.details_wrong", nil))
	wantShown(t, u, loc.T("candidate.signin.prompt", nil))
	if u.cand.a != nil {
		t.Fatal("“not my details” admitted the candidate")
	}

	if _, err := s.Admit("DEMO-0001", "professional-choice"); err != nil {
		t.Fatal(err)
	}
	signInWith("demo-0001")
	tap(t, u, loc.T("candidate.signin.details_correct", nil))
	wantShown(t, u, loc.T("candidate.signin.already_attempted", map[string]any{"Terminal": "T-01", "State": loc.T("state.admitted", nil)}))

	// Before a session runs, the screen says to wait.
	u.session = nil
	u.showSignIn()
	wantShown(t, u, loc.T("candidate.signin.wait", nil))
}

func TestProctorButtonOnSignIn(t *testing.T) {
	u, _, _, _ := candidateSetup(t, "en", "public")
	tap(t, u, u.t("proctor.title", nil))
	entry, _ := overlayPIN(t, u)
	submit(u, entry, "246810")
	wantShown(t, u, u.t("proctor.menu.lock", nil))
}

func TestLanguageSwitch(t *testing.T) {
	u, _, _, _ := candidateSetup(t, "en", "public")
	entry := entries(u.Win.Content())[0]
	test.Type(entry, "DEMO-0003") // Драгана Петровић, who prefers sr-Cyrl
	entry.OnSubmitted(entry.Text)
	tap(t, u, u.t("candidate.signin.details_correct", nil))
	if u.Loc.Lang() != "sr-Cyrl" {
		t.Errorf("the language screen is in %s, not the candidate's sr-Cyrl", u.Loc.Lang())
	}
	wantShown(t, u, "Изаберите") // the language screen in Cyrillic
	tap(t, u, "Shqip")
	wantShown(t, u, "Rregullat", "Filloni provimin")
	tap(t, u, "Filloni provimin")
	a := u.cand.a
	v, _ := a.Item(0)
	wantShown(t, u, "Pyetja 1 nga 21", v.Item.Stem["sq"], v.Options[0].Text["sq"])
	if a.Language() != "sq" {
		t.Errorf("the attempt's language is %s", a.Language())
	}

	tap(t, u, "Shqip") // the language button of the status bar
	tap(t, u, "Српски (ћирилица)")
	wantShown(t, u, "Питање 1 од 21", v.Item.Stem["sr-Cyrl"], v.Options[0].Text["sr-Cyrl"], "Преостало време")
	if a.Language() != "sr-Cyrl" {
		t.Errorf("after switching, the attempt's language is %s", a.Language())
	}
	if strings.Contains(screen(u), v.Item.Stem["sq"]) {
		t.Error("the Albanian stem is still shown")
	}
}

// tabTo moves the focus with Tab until it is on the button whose text starts with text.
func tabTo(t *testing.T, u *UI, text string) {
	t.Helper()
	tabUntil(t, u, text, func(f fyne.Focusable) bool {
		b, ok := f.(*keyButton)
		return ok && strings.HasPrefix(b.Text, text)
	})
}

func tabUntil(t *testing.T, u *UI, what string, found func(fyne.Focusable) bool) {
	t.Helper()
	c := u.Win.Canvas()
	for range 80 {
		if f := c.Focused(); f != nil && found(f) {
			return
		}
		c.FocusNext()
	}
	t.Fatalf("Tab never reaches %s", what)
}

func TestKeyboardAlone(t *testing.T) {
	u, _, _, _ := candidateSetup(t, "en", "public")
	loc := u.Loc
	typeRunes(u, "DEMO-0007") // the code entry has the focus
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, "Nikola Stojanović")
	typeKey(u, fyne.KeyReturn) // "My details are correct" has the focus
	wantShown(t, u, loc.T("candidate.language.title", nil))
	tabTo(t, u, "English")
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, "This part has 21 questions.")
	typeKey(u, fyne.KeyReturn) // "Start the exam" has the focus
	a := u.cand.a
	wantShown(t, u, "Question 1 of 21")

	first := u.cand.exam.options[0].button
	tabUntil(t, u, "the first option", func(f fyne.Focusable) bool { return f == first })
	typeKey(u, fyne.KeySpace)
	if got, want := chosen(t, a, 0), option(t, a, 0, 0); got != want {
		t.Fatalf("Space on the first option chose %q, want %q", got, want)
	}
	tabTo(t, u, loc.T("candidate.review.open", nil))
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, loc.T("candidate.review.title", nil))
	tabTo(t, u, loc.T("candidate.submit.button", nil))
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, loc.T("candidate.submit.confirm_title", nil))
	tabTo(t, u, loc.T("candidate.submit.yes", nil))
	typeKey(u, fyne.KeyReturn)
	if st, _ := a.State(); st != exam.StateSubmitted {
		t.Fatalf("submitting by keyboard left the attempt %s", st)
	}
	wantShown(t, u, loc.T("candidate.receipt.title", nil))
}

func TestFocusStaysOnTheNavigator(t *testing.T) {
	u, _, _, _ := candidateSetup(t, "en", "public")
	signIn(t, u, "DEMO-0005", "English")
	c := u.Win.Canvas()
	c.Focus(u.cand.exam.nav.cells[4].button)
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, "Question 5 of 21")
	if c.Focused() != u.cand.exam.nav.cells[4].button {
		t.Error("after going to question 5 the focus left the navigator")
	}
	c.Focus(u.cand.exam.options[2].button)
	typeKey(u, fyne.KeyRight)
	wantShown(t, u, "Question 6 of 21")
	if c.Focused() != nil {
		t.Error("the focus stays on an option of the previous question")
	}
	tap(t, u, u.t("candidate.review.open", nil))
	tabTo(t, u, u.t("candidate.review.back", nil))
	typeKey(u, fyne.KeyReturn)
	wantShown(t, u, "Question 6 of 21")
	if c.Focused() != u.cand.exam.review {
		t.Error("back from the review, the focus is not on “Review and submit”")
	}
}

func TestSaveFailureIsShown(t *testing.T) {
	u, k, _, _ := candidateSetup(t, "sq", "public")
	signIn(t, u, "DEMO-0004", "Shqip")
	typeRunes(u, "1")
	wantShown(t, u, u.t("candidate.save.saved", nil))
	if err := k.Engine.Close(); err != nil { // the disk goes away
		t.Fatal(err)
	}
	typeRunes(u, "2")
	wantShown(t, u, u.t("candidate.save.not_saved", nil), u.t("error.save_failed", nil))
	if strings.Contains(screen(u), u.t("candidate.save.saved", nil)) {
		t.Error("an answer the engine refused is shown as saved")
	}
	if !u.cand.exam.options[0].chosen.Visible() || u.cand.exam.options[1].chosen.Visible() {
		t.Error("the screen does not show the answer the engine holds")
	}
}
