package app

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// showMoved tells the candidate, in their language, that the exam goes on at another
// terminal and that nothing here can change it; the only way on is the proctor's PIN.
func (cv *candidateView) showMoved() {
	u := cv.u
	d, _ := cv.a.Departure()
	where := u.t("candidate.moved.to", map[string]any{"Terminal": d.To})
	if d.Exported {
		where = u.t("candidate.moved.exported", nil)
	}
	msg := wrapped(where)
	msg.TextStyle.Bold = true
	proctor := cv.proctorButton(nil)
	cv.page(container.NewVBox(
		heading(u.t("candidate.moved.title", nil)),
		msg,
		wrapped(u.t("candidate.moved.nothing_here", nil)),
		widget.NewSeparator(),
		container.NewHBox(layout.NewSpacer(), proctor),
	), nil)
}
