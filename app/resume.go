package app

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
)

// The exam log's reasons for the pause while a restarted kiosk waits for the proctor.
const (
	restartPauseReason  = "the kiosk restarted; the attempt waits for the proctor's PIN"
	restartResumeReason = "the proctor resumed the attempt after the restart"
)

// showStart is the first screen after the window opens: the attempt that was running when the
// kiosk stopped (behind the proctor's PIN), the session's sign-in screen, or the terminal
// screen.
func (u *UI) showStart() {
	if u.needsSetup() {
		u.showSetup()
		return
	}
	s, err := u.K.Resume()
	if err != nil || s == nil {
		if err != nil {
			u.showProblem(err)
			return
		}
		u.showTerminal()
		return
	}
	u.session = s
	u.part = s.Info.Part
	a := kiosk.CurrentAttempt(s)
	if a == nil {
		if moved := kiosk.LastMoved(s); moved != nil {
			u.showAttempt(moved) // its candidate learns where the exam goes on
			return
		}
		u.showSignIn()
		return
	}
	// The candidate's time stands still until the proctor is there to hand the screen back.
	paused := false
	if st, _ := a.State(); st == exam.StateRunning {
		paused = a.Pause("kiosk", restartPauseReason) == nil
	}
	u.showInterrupted(a, paused)
}

// showInterrupted asks the proctor's PIN before the interrupted attempt is shown again. The PIN
// dialog opens at once, so that the proctor only has to type; Resume opens it again after a
// Cancel. If the scorer answers meanwhile that the attempt moved to another terminal, the
// candidate is told so instead.
func (u *UI) showInterrupted(a *exam.Attempt, pausedByRestart bool) {
	c := a.Candidate()
	resume := newButton(u.t("proctor.attempt.resume", nil), nil)
	resume.Importance = widget.HighImportance
	var pin dialog.Dialog
	stop := u.onMoved(a, func() {
		if pin != nil {
			pin.Hide()
		}
		u.showAttempt(a)
	})
	resume.OnTapped = func() {
		if pin != nil {
			pin.Hide()
		}
		pin = u.askPIN(exam.RoleProctor, u.t("proctor.pin.title", nil), u.t("proctor.pin.resume_prompt", nil), func() {
			stop()
			if pausedByRestart {
				if err := a.Resume(proctorName, restartResumeReason); err != nil && !errors.Is(err, exam.ErrMoved) {
					u.showProblem(err)
					return
				}
			}
			u.showAttempt(a)
		})
	}
	u.show(container.NewVBox(
		heading(u.t("common.app_title", nil)),
		wrapped(u.t("proctor.pin.resume_prompt", nil)),
		wrapped(u.t("proctor.attempt.candidate", map[string]any{"Name": c.Name})),
		wrapped(u.t("candidate.time_left", map[string]any{"Time": clockTime(a.TimeLeft())})),
		resume,
	), resume)
	resume.OnTapped()
	if st, _ := a.State(); st == exam.StateMoved { // moved before the engine could tell us
		stop()
		if pin != nil {
			pin.Hide()
		}
		u.showAttempt(a)
	}
}

// showProblem shows an error that stops the kiosk from going on, in words for the proctor. A
// damaged exam database has closed the kiosk (kiosk.DamagedError): its screen says what to do.
func (u *UI) showProblem(err error) {
	var damaged *kiosk.DamagedError
	if errors.As(err, &damaged) {
		u.K = nil
		u.showDamaged(damaged, "")
		return
	}
	msg := u.t("error.unexpected", map[string]any{"Error": err.Error()})
	switch {
	case errors.Is(err, exam.ErrTampered):
		msg = u.t("error.record_tampered", nil)
	case errors.Is(err, exam.ErrCorrupt):
		msg = u.t("error.database_damaged", nil)
	}
	u.show(container.NewVBox(
		heading(u.t("common.error", nil)),
		wrapped(msg),
		wrapped(u.t("error.tell_proctor", nil)),
	), nil)
}

// onMoved calls moved on the UI thread, once, when the engine reports that attempt a moved to
// another terminal; the returned function, called on the UI thread, stops waiting for it.
func (u *UI) onMoved(a *exam.Attempt, moved func()) (stop func()) {
	ch, unsubscribe := u.K.Engine.Subscribe()
	var once sync.Once
	stopped := false // read and written on the UI thread only
	stop = func() {
		stopped = true
		once.Do(unsubscribe)
	}
	id, post := a.ID(), postUI
	go func() {
		for n := range ch {
			if n.Attempt == id && n.Kind == exam.NotifyMoved {
				post(func() {
					if !stopped {
						stop()
						moved()
					}
				})
				return
			}
		}
	}()
	return stop
}
