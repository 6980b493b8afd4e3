package app

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// showPaused covers the items while the proctor has paused the attempt. The proctor resumes
// it from the proctor's screen.
func (cv *candidateView) showPaused() {
	u := cv.u
	left := strong(u.t("candidate.time_left", map[string]any{"Time": clockTime(cv.a.TimeLeft())}))
	proctor := cv.proctorButton(nil)
	msg := wrapped(u.t("candidate.paused", nil))
	msg.TextStyle.Bold = true
	cv.page(container.NewVBox(
		heading(u.t("candidate.paused.title", nil)),
		msg,
		left,
		widget.NewSeparator(),
		container.NewHBox(layout.NewSpacer(), proctor),
	), nil)
	cv.paused = true
}
