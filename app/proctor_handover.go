package app

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
	"ispit/sheet"
)

// handoverTimeout bounds the wait for the scorer's answer to a hand-over request.
const handoverTimeout = 30 * time.Second

// showContinueHere is the spare terminal's screen for taking up a candidate's attempt that
// another terminal started: by the candidate's code from the scorer, or from a file the old
// terminal exported to a removable drive. Either way the proctor confirms what it restores
// before the candidate goes on (confirmHandover).
func (u *UI) showContinueHere() { u.showContinueHereWith("") }

// showContinueHereWith is showContinueHere saying why the last try failed.
func (u *UI) showContinueHereWith(problem string) {
	code := widget.NewEntry()
	code.SetPlaceHolder(u.t("candidate.signin.code", nil))
	status := wrapped(problem)
	status.Importance = widget.DangerImportance
	waiting := widget.NewProgressBarInfinite()
	waiting.Stop()
	waiting.Hide()
	back := newButton(u.t("common.back", nil), u.showSession)
	ask := newButton(u.t("proctor.handover.ask", nil), nil)
	ask.Importance = widget.HighImportance
	open := newButton(u.t("proctor.handover.import", nil), nil)
	busy := func(on bool) {
		for _, b := range []*keyButton{back, ask, open} {
			if on {
				b.Disable()
			} else {
				b.Enable()
			}
		}
		if on {
			code.Disable()
			waiting.Show()
			waiting.Start()
		} else {
			code.Enable()
			waiting.Stop()
			waiting.Hide()
		}
	}
	ask.OnTapped = func() {
		if code.Text == "" {
			u.Win.Canvas().Focus(code)
			return
		}
		typed := code.Text
		status.Importance = widget.MediumImportance
		status.SetText(u.t("proctor.handover.asking", nil))
		u.Win.Content().Refresh()
		busy(true)
		var h *kiosk.Handover
		var err error
		u.background(func() {
			ctx, cancel := context.WithTimeout(context.Background(), handoverTimeout)
			defer cancel()
			h, err = u.K.RequestHandover(ctx, u.session, typed)
		}, func() {
			busy(false)
			u.handoverAnswered(h, err, status)
		})
	}
	code.OnSubmitted = func(string) { ask.OnTapped() }
	open.OnTapped = u.chooseExportedAttempt
	u.showPage(container.NewVBox(
		heading(u.t("proctor.handover.title", nil)),
		wrapped(u.t("proctor.handover.intro", nil)),
		widget.NewLabelWithStyle(u.t("candidate.signin.code", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		code,
		status,
		waiting,
		widget.NewSeparator(),
		wrapped(u.t("proctor.handover.offline", nil)),
	), container.NewVBox(container.NewGridWithColumns(2, back, ask), open), code)
}

// handoverAnswered shows what came of a request: the confirmation, or why not.
func (u *UI) handoverAnswered(h *kiosk.Handover, err error, status *widget.Label) {
	if err != nil {
		status.Importance = widget.DangerImportance
		status.SetText(u.handoverProblem(err, false))
		u.Win.Content().Refresh() // the message may take more lines than the one before
		return
	}
	status.SetText("")
	u.confirmHandover(h)
}

// chooseExportedAttempt asks for the file of an exported attempt on the removable drive.
func (u *UI) chooseExportedAttempt() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showContinueHereWith(u.t("error.unexpected", map[string]any{"Error": err.Error()}))
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		u.importAttemptFrom(path)
	}, u.Win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{sheet.AttemptExportExt}))
	u.prepareFileDialog(d, u.t("proctor.handover.import_choose", nil), u.t("fyne.open", nil), kiosk.RemovableMediaDir())
	d.Show()
}

// importAttemptFrom opens an exported attempt (the start code's key derivation takes a moment)
// and asks the proctor to confirm it, or says why it cannot be continued here.
func (u *UI) importAttemptFrom(path string) {
	var h *kiosk.Handover
	var err error
	u.background(func() {
		h, err = u.K.ImportAttempt(u.session, path)
	}, func() {
		if err != nil {
			u.showContinueHereWith(u.handoverProblem(err, true))
			return
		}
		u.confirmHandover(h)
	})
}

// confirmHandover shows what the attempt will restore and where it comes from; Cancel, the
// choice that changes nothing, has the focus.
func (u *UI) confirmHandover(h *kiosk.Handover) {
	lines := []fyne.CanvasObject{
		bold(u.t("proctor.attempt.candidate", map[string]any{"Name": h.Candidate.Name + " (" + h.Candidate.Code + ")"})),
		wrapped(u.t("proctor.handover.from", map[string]any{"Terminal": h.From})),
		wrapped(u.t("proctor.handover.answered", map[string]any{"Answered": h.Answered, "Total": h.Items})),
		wrapped(u.t("candidate.time_left", map[string]any{"Time": clockTime(h.TimeLeft)})),
	}
	if age := h.Age(u.now()); age < 2*time.Minute {
		lines = append(lines, wrapped(u.Loc.N("proctor.handover.age_seconds", int(age/time.Second), nil)))
	} else {
		lines = append(lines, wrapped(u.Loc.N("proctor.handover.age_minutes", int(age/time.Minute), nil)))
	}
	if h.Exported {
		lines = append(lines, wrapped(u.t("proctor.handover.exported", map[string]any{"Time": h.ExportedAt.Local().Format("15:04")})))
	} else {
		lines = append(lines, wrapped(u.t("proctor.handover.after_checkpoint", nil)))
	}
	if h.ConfirmedBy != "" {
		lines = append(lines, wrapped(u.t("proctor.handover.confirmed_by", map[string]any{"Name": h.ConfirmedBy})))
	}
	lines = append(lines, wrapped(u.t("proctor.handover.stops_there", map[string]any{"Terminal": h.From})))
	status := wrapped("")
	status.Importance = widget.DangerImportance
	lines = append(lines, status)
	var d *kioskDialog
	cancel := newButton(u.t("common.cancel", nil), func() { d.Hide() })
	go_ := newButton(u.t("proctor.handover.continue", nil), func() {
		a, err := h.Continue(u.session, proctorName)
		if a == nil {
			status.SetText(u.handoverProblem(err, h.Exported))
			d.Refresh()
			return
		}
		d.Hide()
		u.showAttempt(a) // paused, if it could not be resumed: the proctor resumes it
	})
	go_.Importance = widget.HighImportance
	d = newDialog(u.Win, u.t("proctor.handover.confirm_title", nil), container.NewVBox(lines...), cancel, go_)
	d.open(u.Win.Canvas().Size().Width*0.7, nil)
}

// handoverProblem says in the proctor's language why an attempt cannot be continued here;
// fromFile: it came on a removable drive, whose file may be of another exam or damaged.
func (u *UI) handoverProblem(err error, fromFile bool) string {
	var refused *kiosk.HandoverRefusedError
	var already *exam.AlreadyAttemptedError
	switch {
	case errors.As(err, &refused):
		switch refused.Reason {
		case sheet.HandoverStillAlive:
			return u.Loc.N("proctor.handover.still_alive", int(refused.Silent/time.Second), map[string]any{"Terminal": refused.Terminal}) + " " +
				u.Loc.N("proctor.handover.silence_needed", int(refused.Needed/time.Second), nil)
		case sheet.HandoverNoAttempt:
			return u.t("proctor.handover.no_attempt", nil)
		case sheet.HandoverSubmitted:
			return u.t("proctor.handover.submitted", nil)
		case sheet.HandoverSameTerm:
			return u.t("proctor.handover.same_terminal", nil)
		case sheet.HandoverChanged:
			return u.t("proctor.handover.changed", nil)
		case sheet.HandoverReplayed:
			return u.t("proctor.handover.replayed", nil)
		}
	case errors.As(err, &already):
		return u.t("proctor.handover.already_here", map[string]any{"State": u.stateName(already.State)})
	case errors.Is(err, exam.ErrNotHere):
		return u.t("proctor.handover.same_terminal", nil)
	case errors.Is(err, exam.ErrUnknownCand):
		return u.t("proctor.handover.unknown", nil)
	case errors.Is(err, exam.ErrSessionMismatch), errors.Is(err, exam.ErrUnknownPart), errors.Is(err, exam.ErrUnknownOption),
		errors.Is(err, exam.ErrWrongItemKind), errors.Is(err, exam.ErrUnknownLanguage):
		return u.t("proctor.handover.wrong_session", nil)
	case errors.Is(err, kiosk.ErrScorerUnreachable):
		return u.t("proctor.handover.unreachable", nil)
	case errors.Is(err, kiosk.ErrNotEnrolled):
		return u.t("admin.enrol.intro", nil)
	case fromFile && errors.Is(err, sheet.ErrDecrypt):
		return u.t("proctor.handover.not_an_export", nil)
	case fromFile && (errors.Is(err, sheet.ErrMalformed) || errors.Is(err, sheet.ErrSignature) || errors.Is(err, sheet.ErrBinding) ||
		errors.Is(err, sheet.ErrUnsupportedFormat) || errors.Is(err, sheet.ErrTooLarge)):
		return u.t("proctor.handover.damaged", nil)
	}
	return u.t("error.unexpected", map[string]any{"Error": err.Error()})
}
