package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"ispit/exam"
)

// postUI runs f on the UI thread. The tests replace it to run the engine's notifications on
// the test's goroutine.
var postUI = fyne.Do

// candidateView is one candidate's way through the screens: sign-in, language, rules, the
// items, review, and the receipt. It shows what the attempt says and asks the attempt to
// change; every exam rule is the engine's.
type candidateView struct {
	u *UI
	// homeLang is the interface language before the candidate chose one; it comes back for
	// the next candidate.
	homeLang string
	// lang is the language the candidate chose (setLanguage), or "" before a choice.
	lang string

	a    *exam.Attempt
	stop func() // ends the subscription to the engine's notifications
	// root is the window content the view last showed; while another screen (the proctor's)
	// is shown, notifications change the view's state but not the window.
	root fyne.CanvasObject
	// runeKeys and keys are the current screen's keyboard shortcuts.
	runeKeys func(rune)
	keys     func(*fyne.KeyEvent)

	dialog   dialog.Dialog  // the view's dialog while it is shown
	exam     *examScreen    // the item screens, while shown
	finished *receiptScreen // the receipt screen, while shown
	paused   bool           // the pause screen is shown
	timedOut bool
	// elsewhere is the scorer's answer, while the candidate checks their details, that they
	// sit this part on another terminal; nil when not, or not known.
	elsewhere *exam.AlreadyAttemptedError
}

// showSignIn is the candidate's first screen in a running session: it ends the previous
// candidate's screens and gives the interface its language back.
func (u *UI) showSignIn() {
	home := u.Loc.Lang()
	if u.cand != nil {
		home = u.cand.homeLang
		u.cand.close()
		u.Loc.SetLang(home)
	}
	u.cand = &candidateView{u: u, homeLang: home}
	u.cand.showSignIn("")
}

// showAttempt shows an attempt where it stands: the language screen before it began, the
// item the candidate was last on while it runs, the pause screen, the receipt, or where it
// went on once it moved to another terminal.
func (u *UI) showAttempt(a *exam.Attempt) {
	cv := u.cand
	if cv == nil || cv.a != a {
		home := u.Loc.Lang()
		if cv != nil {
			home = cv.homeLang
			cv.close()
		}
		cv = &candidateView{u: u, homeLang: home}
		u.cand = cv
		cv.attach(a)
	}
	state, _ := a.State()
	if state != exam.StateAdmitted {
		u.Loc.SetLang(a.Language())
	}
	switch state {
	case exam.StateAdmitted:
		cv.showLanguage()
	case exam.StatePaused:
		cv.showPaused()
	case exam.StateSubmitted:
		cv.showFinished()
	case exam.StateMoved:
		cv.showMoved()
	default:
		cv.showExam(a.Current())
	}
}

// attach makes a the view's attempt, shows it in its display settings, and follows its
// notifications.
func (cv *candidateView) attach(a *exam.Attempt) {
	cv.a = a
	cv.takeDisplay()
	ch, stop := cv.u.K.Engine.Subscribe()
	cv.stop = stop
	id, post := a.ID(), postUI
	go func() {
		for n := range ch {
			if n.Attempt == id {
				post(func() { cv.notified(n) })
			}
		}
	}()
}

// close stops following the attempt.
func (cv *candidateView) close() {
	if cv.stop != nil {
		cv.stop()
		cv.stop = nil
	}
	if d := cv.dialog; d != nil {
		cv.dialog = nil
		d.Hide()
	}
	cv.exam, cv.finished, cv.runeKeys, cv.keys, cv.paused = nil, nil, nil, nil, false
}

// current reports whether the window shows this view.
func (cv *candidateView) current() bool {
	return cv.u.cand == cv && cv.root != nil && cv.u.Win.Content() == cv.root
}

// setContent shows a screen of the view with its keyboard shortcuts, and focuses first.
func (cv *candidateView) setContent(content fyne.CanvasObject, first fyne.Focusable, runes func(rune), keys func(*fyne.KeyEvent)) {
	if d := cv.dialog; d != nil {
		cv.dialog = nil
		d.Hide()
	}
	cv.root = container.NewPadded(content)
	cv.runeKeys, cv.keys = runes, keys
	c := cv.u.Win.Canvas()
	cv.u.Win.SetContent(cv.root)
	// Wrapped text knows its height only once laid out at its width: a second pass places
	// what comes under it.
	cv.root.Refresh()
	c.SetOnTypedRune(cv.TypedRune)
	c.SetOnTypedKey(cv.TypedKey)
	if first != nil {
		c.Focus(first)
	}
}

// showDialog shows a dialog of the view with the focus on first (nil: its safe choice); it
// goes when the view shows another screen.
func (cv *candidateView) showDialog(d *kioskDialog, first fyne.Focusable) {
	cv.dialog = d
	d.SetOnClosed(func() {
		if cv.dialog == d {
			cv.dialog = nil
		}
	})
	d.open(min(cv.u.Win.Canvas().Size().Width*0.9, readableWidth()), first)
}

// page shows a simple screen: a readable column that scrolls when it does not fit.
func (cv *candidateView) page(content fyne.CanvasObject, first fyne.Focusable) {
	cv.pageWithActions(content, nil, first)
}

// pageWithActions shows a screen whose content scrolls above actions that stay in view (see
// pageLayout).
func (cv *candidateView) pageWithActions(content, actions fyne.CanvasObject, first fyne.Focusable) {
	cv.exam, cv.finished, cv.paused = nil, nil, false
	cv.setContent(pageLayout(content, actions), first, nil, nil)
}

// TypedRune gives a typed character to the current screen's shortcuts.
func (cv *candidateView) TypedRune(r rune) {
	if cv.current() && cv.dialog == nil && cv.runeKeys != nil {
		cv.runeKeys(r)
	}
}

// TypedKey gives a key to the current screen's shortcuts.
func (cv *candidateView) TypedKey(ev *fyne.KeyEvent) {
	if cv.current() && cv.dialog == nil && cv.keys != nil {
		cv.keys(ev)
	}
}

// notified follows one notification of the engine about the view's attempt.
func (cv *candidateView) notified(n exam.Notification) {
	if cv.u.cand != cv || cv.a == nil {
		return
	}
	switch n.Kind {
	case exam.NotifyTimeOut:
		cv.timedOut = true
		if cv.current() {
			cv.showFinished()
		}
	case exam.NotifyState:
		cv.stateChanged(n.State)
	case exam.NotifyMoved:
		if cv.current() {
			cv.showMoved()
		}
	case exam.NotifyDelivered:
		if cv.finished != nil && cv.current() {
			cv.finished.delivered(n.Receipt)
		}
	default:
		if cv.exam != nil && cv.current() {
			cv.exam.notified(n)
		}
	}
}

// stateChanged follows a pause, a resumption, an extension or a submission.
func (cv *candidateView) stateChanged(state exam.State) {
	if !cv.current() {
		return
	}
	switch state {
	case exam.StatePaused:
		cv.showPaused()
	case exam.StateSubmitted:
		cv.showFinished()
	case exam.StateRunning:
		if cv.paused {
			cv.showExam(cv.a.Current())
			cv.exam.banner.show(cv.u.t("candidate.resumed", nil), 10)
		} else if cv.exam != nil {
			cv.exam.extended()
		}
	}
}

// failed shows why the engine refused a change: the attempt moved on (paused, submitted,
// gone to another terminal), or the answer could not be saved.
func (cv *candidateView) failed(err error) {
	switch state, _ := cv.a.State(); {
	case state == exam.StateSubmitted:
		cv.showFinished()
	case state == exam.StateMoved:
		cv.showMoved()
	case state == exam.StatePaused:
		cv.showPaused()
	case errors.Is(err, exam.ErrNotRunning):
		if cv.exam != nil {
			cv.exam.banner.show(cv.u.t("error.not_running", nil), 0)
		}
	default:
		if cv.exam != nil {
			cv.exam.bar.setSave(saveFailed)
			cv.exam.banner.showError(cv.u.t("error.save_failed", nil))
		}
	}
}
