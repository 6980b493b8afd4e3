package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
)

// showSession is the proctor's screen while a session runs on this terminal.
func (u *UI) showSession() { u.showSessionNotice("") }

// showSessionNotice is showSession with a message at its top: what the last action did.
func (u *UI) showSessionNotice(notice string) { u.showSessionMessage(notice, widget.SuccessImportance) }

// showSessionMessage is showSession with a message at its top in the importance given: what
// the last action did, or why it failed.
func (u *UI) showSessionMessage(notice string, importance widget.Importance) {
	s := u.session
	items := []fyne.CanvasObject{heading(u.t("proctor.title", nil))}
	if notice != "" {
		n := wrapped(notice)
		n.Importance = importance
		items = append(items, n)
	}
	items = append(items,
		bold(u.title(s.Bank.Manifest.Title)+" ("+s.Bank.Manifest.BankID+")"),
		wrapped(u.t("proctor.session.running", map[string]any{"Time": u.date(s.Info.StartedAt)})))
	if p, ok := s.Bank.Manifest.Part(u.part); ok {
		items = append(items, wrapped(u.t("proctor.session.part", nil)+": "+u.title(p.Title)))
	}
	items = append(items, widget.NewSeparator())

	var first fyne.Focusable
	if a := kiosk.CurrentAttempt(s); a != nil {
		controls, focus := u.attemptControls(a)
		items = append(items, controls...)
		first = focus
	} else {
		controls, focus := u.admitControls()
		items = append(items, controls...)
		first = focus
	}
	items = append(items, u.movedList()...)

	items = append(items, widget.NewSeparator(), u.outboxSummary())
	end := newButton(u.t("proctor.session.end", nil), u.confirmEndSession)
	end.Importance = widget.DangerImportance
	// Ending the session and locking stay in view below what scrolls.
	u.showPage(container.NewVBox(items...), container.NewGridWithColumns(2, end, u.lockButton()), first)
}

// lockButton leaves the proctor's screen for the candidates' screen.
func (u *UI) lockButton() *keyButton {
	return newButton(u.t("proctor.menu.lock", nil), u.lock)
}

// lock shows what a candidate should see now: their running attempt, the sign-in screen of
// the session, or the terminal screen when no session runs.
func (u *UI) lock() {
	if u.session == nil || !u.session.Info.EndedAt.IsZero() {
		u.session, u.part = nil, ""
		u.showTerminal()
		return
	}
	if a := kiosk.CurrentAttempt(u.session); a != nil {
		u.showAttempt(a)
		return
	}
	u.showSignIn()
}

// admitControls admit a candidate to this terminal by code, or hand the screen to candidates
// to sign in themselves.
func (u *UI) admitControls() ([]fyne.CanvasObject, fyne.Focusable) {
	code := widget.NewEntry()
	code.SetPlaceHolder(u.t("candidate.signin.code", nil))
	status := wrapped("")
	status.Importance = widget.DangerImportance
	admit := newButton(u.t("proctor.admit.button", nil), func() {
		a, err := u.session.Admit(code.Text, u.part)
		if err != nil {
			status.SetText(u.admissionProblem(err))
			return
		}
		u.showSessionNotice(u.t("proctor.admit.done", map[string]any{"Name": a.Candidate().Name}))
	})
	code.OnSubmitted = func(string) { admit.OnTapped() }
	toCandidates := newButton(u.t("proctor.session.to_candidates", nil), u.showSignIn)
	toCandidates.Importance = widget.HighImportance
	elsewhere := newButton(u.t("proctor.handover.open", nil), u.showContinueHere)
	return []fyne.CanvasObject{
		wrapped(u.t("proctor.attempt.none", nil)),
		toCandidates,
		widget.NewLabelWithStyle(u.t("proctor.admit.title", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(u.t("proctor.admit.prompt", nil)),
		container.NewBorder(nil, nil, nil, admit, code),
		status,
		widget.NewSeparator(),
		elsewhere,
	}, toCandidates
}

// attemptControls show the candidate at this terminal with pause, resume and extend, each
// with a reason for the exam log.
func (u *UI) attemptControls(a *exam.Attempt) ([]fyne.CanvasObject, fyne.Focusable) {
	c := a.Candidate()
	state, _ := a.State()
	items := []fyne.CanvasObject{
		bold(u.t("proctor.attempt.candidate", map[string]any{"Name": c.Name + " (" + c.Code + ")"})),
		wrapped(u.t("proctor.attempt.state", map[string]any{"State": u.stateName(state)})),
		wrapped(u.t("candidate.time_left", map[string]any{"Time": clockTime(a.TimeLeft())})),
	}
	reason := widget.NewEntry()
	reason.SetPlaceHolder(u.t("proctor.attempt.reason", nil))
	minutes := widget.NewEntry()
	minutes.SetPlaceHolder(u.t("proctor.attempt.extend_minutes", nil))
	status := wrapped("")
	status.Importance = widget.DangerImportance
	act := func(do func(reason string) error, done string) func() {
		return func() {
			r := strings.TrimSpace(reason.Text)
			if r == "" {
				status.SetText(u.t("proctor.attempt.reason_required", nil))
				u.Win.Canvas().Focus(reason)
				return
			}
			if err := do(r); err != nil {
				status.SetText(u.actionError(err))
				return
			}
			u.showSessionNotice(done)
		}
	}
	pause := newButton(u.t("proctor.attempt.pause", nil), act(func(r string) error { return a.Pause(proctorName, r) }, u.t("proctor.attempt.paused", nil)))
	resume := newButton(u.t("proctor.attempt.resume", nil), act(func(r string) error { return a.Resume(proctorName, r) }, u.t("proctor.attempt.resumed", nil)))
	if state == exam.StatePaused {
		pause.Disable()
	} else {
		resume.Disable()
	}
	extend := newButton(u.t("proctor.attempt.extend", nil), func() {
		n, err := strconv.Atoi(strings.TrimSpace(minutes.Text))
		if err != nil || n <= 0 || n > 600 {
			status.SetText(u.t("proctor.attempt.extend_minutes", nil))
			u.Win.Canvas().Focus(minutes)
			return
		}
		act(func(r string) error { return a.Extend(proctorName, r, time.Duration(n)*time.Minute) }, u.Loc.N("proctor.attempt.extended", n, nil))()
	})
	back := newButton(u.t("proctor.session.candidate_screen", nil), func() { u.showAttempt(a) })
	back.Importance = widget.HighImportance
	// For a spare terminal while the scorer cannot be reached: the attempt stops here.
	export := newButton(u.t("proctor.export.button", nil), func() {
		r := strings.TrimSpace(reason.Text)
		if r == "" {
			status.SetText(u.t("proctor.attempt.reason_required", nil))
			u.Win.Canvas().Focus(reason)
			return
		}
		u.confirmExport(a, r)
	})
	if state == exam.StateAdmitted {
		export.Disable() // nothing to carry: the candidate is admitted on the spare instead
	}
	items = append(items,
		widget.NewLabel(u.t("proctor.attempt.reason", nil)), reason,
		container.NewGridWithColumns(2, pause, resume),
		container.NewBorder(nil, nil, nil, extend, minutes),
		status, back, widget.NewSeparator(), export)
	return items, back
}

// actionError says why a proctor action on an attempt failed.
func (u *UI) actionError(err error) string {
	switch {
	case errors.Is(err, exam.ErrReasonRequired):
		return u.t("proctor.attempt.reason_required", nil)
	case errors.Is(err, exam.ErrNotRunning):
		return u.t("error.not_running", nil)
	}
	return u.t("error.unexpected", map[string]any{"Error": err.Error()})
}

// confirmEndSession asks for a reason and confirmation, then ends the session: attempts still
// open are submitted.
func (u *UI) confirmEndSession() {
	reason := widget.NewEntry()
	reason.SetPlaceHolder(u.t("proctor.attempt.reason", nil))
	status := wrapped("")
	status.Importance = widget.DangerImportance
	var d *kioskDialog
	end := newButton(u.t("proctor.session.end", nil), func() {
		r := strings.TrimSpace(reason.Text)
		if r == "" {
			status.SetText(u.t("proctor.attempt.reason_required", nil))
			d.Refresh()
			return
		}
		if err := u.session.End(proctorName, r); err != nil {
			status.SetText(u.t("error.unexpected", map[string]any{"Error": err.Error()}))
			d.Refresh()
			return
		}
		d.Hide()
		u.session, u.part = nil, ""
		u.showOutbox(u.t("proctor.session.ended", nil))
	})
	end.Importance = widget.DangerImportance
	cancel := newButton(u.t("common.cancel", nil), func() { d.Hide() })
	content := container.NewVBox(wrapped(u.t("proctor.session.end_confirm", nil)), widget.NewLabel(u.t("proctor.attempt.reason", nil)), reason, status)
	d = newDialog(u.Win, u.t("proctor.session.end", nil), content, cancel, end)
	// The reason is typed first; Enter in it does not end the session.
	d.open(u.Win.Canvas().Size().Width*0.6, reason)
}
