package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"ispit/bank"
	"ispit/exam"
)

// showSignIn asks for the candidate code; problem is why the last try was refused, or "".
func (cv *candidateView) showSignIn(problem string) { cv.signInScreen(problem, "", "") }

// signInScreen is the sign-in screen with typed in the code field. Its first row offers the
// kiosk's languages, each named in itself, so that a candidate who does not read the
// terminal's language finds their own: choosing one shows the screen in it at once, keeps
// what was typed, and is the candidate's choice of language from then on (setLanguage).
// picked is the language just chosen, or "".
func (cv *candidateView) signInScreen(problem, typed, picked string) {
	u := cv.u
	code := widget.NewEntry()
	code.TextStyle = fyne.TextStyle{Monospace: true}
	code.SetText(typed)
	languages, pickedButton := languageRow(u.Loc.Lang(), picked, func(tag string) {
		cv.setLanguage(tag)
		cv.signInScreen("", code.Text, tag)
	})

	items := []fyne.CanvasObject{heading(u.t("candidate.signin.title", nil)), languages}
	if u.session != nil {
		if p, ok := u.session.Bank.Manifest.Part(u.part); ok {
			items = append(items, strong(u.title(u.session.Bank.Manifest.Title)), wrapped(u.title(p.Title)))
		}
	}
	items = append(items, wrapped(u.t("candidate.signin.welcome", nil)))

	status := wrapped(problem)
	status.Importance = widget.DangerImportance
	signIn := newKeyButton(u.t("candidate.signin.button", nil), nil, func() { cv.signIn(code.Text) }, nil)
	signIn.Importance = widget.HighImportance
	code.OnSubmitted = func(typed string) { cv.signIn(typed) }
	if !cv.sessionOpen() {
		status.SetText(u.t("candidate.signin.wait", nil))
		status.Importance = widget.MediumImportance
		code.Disable()
		signIn.Disable()
	}
	proctor := cv.proctorButton(nil)
	items = append(items,
		wrapped(u.t("candidate.signin.prompt", nil)),
		strong(u.t("candidate.signin.code", nil)), code, status, signIn,
		widget.NewSeparator(),
		container.NewHBox(layout.NewSpacer(), proctor))
	// The code is what the candidate types next, also after choosing a language.
	var first fyne.Focusable = code
	if code.Disabled() {
		first = pickedButton
	}
	cv.page(container.NewVBox(items...), first)
}

// setLanguage switches the interface to the language the candidate chose, on the sign-in
// screen or the language screen; the language screen offers it first.
func (cv *candidateView) setLanguage(tag string) {
	cv.lang = tag
	cv.u.Loc.SetLang(tag)
}

// proctorButton is the small button that opens the proctor's screen behind the proctor PIN.
func (cv *candidateView) proctorButton(keys keyHandler) *keyButton {
	u := cv.u
	b := newKeyButton(u.t("proctor.title", nil), nil, func() {
		u.askPIN(exam.RoleProctor, u.t("proctor.pin.title", nil), u.t("proctor.pin.prompt", nil), u.showProctor)
	}, keys)
	b.Importance = widget.LowImportance
	return b
}

// sessionOpen reports whether candidates can sign in: a session runs with its part chosen.
func (cv *candidateView) sessionOpen() bool {
	s := cv.u.session
	return s != nil && s.Info.EndedAt.IsZero() && cv.u.part != ""
}

// signIn looks the code up in the session's roster and asks the candidate to check the details.
func (cv *candidateView) signIn(code string) {
	u := cv.u
	if strings.TrimSpace(code) == "" {
		return
	}
	if !cv.sessionOpen() {
		cv.showSignIn(u.t("candidate.signin.wait", nil))
		return
	}
	c, ok := u.session.Roster.Candidate(code)
	if !ok {
		cv.showSignIn(u.t("candidate.signin.unknown", nil))
		return
	}
	cv.showDetails(c)
}

// showDetails shows the candidate's name and position for the candidate to confirm. Meanwhile
// the scorer is asked whether the candidate sits this part on another terminal.
func (cv *candidateView) showDetails(c *bank.Candidate) {
	u := cv.u
	cv.elsewhere = nil
	if u.K != nil {
		var found *exam.AlreadyAttemptedError
		bankID := u.session.Bank.Manifest.BankID
		u.background(func() { found = u.K.Elsewhere(bankID, c.Code, u.part) }, func() { cv.elsewhere = found })
	}
	position := c.Position
	for _, p := range u.session.Bank.Manifest.Positions {
		if p.Code == c.Position {
			position += " — " + u.title(p.Department)
		}
	}
	wrong := newKeyButton(u.t("candidate.signin.details_wrong", nil), nil, func() { cv.showSignIn("") }, nil)
	right := newKeyButton(u.t("candidate.signin.details_correct", nil), nil, func() { cv.admit(c.Code) }, nil)
	right.Importance = widget.HighImportance
	name := wrapped(u.t("candidate.signin.name", map[string]any{"Name": c.Name}))
	name.TextStyle = fyne.TextStyle{Bold: true}
	cv.page(container.NewVBox(
		heading(u.t("candidate.signin.title", nil)),
		wrapped(u.t("candidate.signin.check_details", nil)),
		name,
		wrapped(u.t("candidate.signin.position", map[string]any{"Position": position})),
		container.NewGridWithColumns(2, wrong, right),
	), right)
}

// admit admits the candidate to the session's part on this terminal, unless the scorer said
// they sit it on another.
func (cv *candidateView) admit(code string) {
	if e := cv.elsewhere; e != nil && strings.EqualFold(e.Candidate, code) {
		cv.showSignIn(cv.u.admissionProblem(e))
		return
	}
	a, err := cv.u.session.Admit(code, cv.u.part)
	if err != nil {
		cv.showSignIn(cv.u.admissionProblem(err))
		return
	}
	cv.attach(a)
	cv.showLanguage()
}

// admissionProblem says why a candidate was not admitted.
func (u *UI) admissionProblem(err error) string {
	var already *exam.AlreadyAttemptedError
	switch {
	case errors.As(err, &already):
		return u.t("candidate.signin.already_attempted", map[string]any{"Terminal": already.Terminal, "State": u.stateName(already.State)})
	case errors.Is(err, exam.ErrUnknownCand):
		return u.t("candidate.signin.unknown", nil)
	case errors.Is(err, exam.ErrPartNotForCand):
		return u.t("candidate.signin.wrong_part", nil)
	case errors.Is(err, exam.ErrSessionEnded):
		return u.t("candidate.signin.wait", nil)
	}
	return u.t("error.unexpected", map[string]any{"Error": err.Error()})
}

// stateName is an attempt state in the interface language.
func (u *UI) stateName(s exam.State) string {
	switch s {
	case exam.StateAdmitted:
		return u.t("state.admitted", nil)
	case exam.StateRunning:
		return u.t("state.running", nil)
	case exam.StatePaused:
		return u.t("state.paused", nil)
	case exam.StateSubmitted:
		return u.t("state.submitted", nil)
	case exam.StateMoved:
		return u.t("state.moved", nil)
	}
	return string(s)
}
