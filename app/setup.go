package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/exam"
)

// needsSetup reports a terminal with no PIN at all: its first screen sets them.
func (u *UI) needsSetup() bool {
	hasAdmin, err1 := u.K.Engine.HasPIN(exam.RoleAdmin)
	hasProctor, err2 := u.K.Engine.HasPIN(exam.RoleProctor)
	return err1 == nil && err2 == nil && !hasAdmin && !hasProctor
}

// showSetup is the first start: the administrator sets the administrator PIN and the
// proctor PIN, each typed twice.
func (u *UI) showSetup() {
	pinEntry := func() *widget.Entry {
		e := widget.NewPasswordEntry()
		return e
	}
	admin, adminAgain, proctor, proctorAgain := pinEntry(), pinEntry(), pinEntry(), pinEntry()
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Importance = widget.DangerImportance
	save := newButton(u.t("setup.save", nil), nil)
	save.Importance = widget.HighImportance
	save.OnTapped = func() {
		msg := ""
		switch {
		case admin.Text != adminAgain.Text || proctor.Text != proctorAgain.Text:
			msg = u.t("setup.mismatch", nil)
		case admin.Text == proctor.Text:
			msg = u.t("setup.same", nil)
		}
		if msg != "" {
			status.SetText(msg)
			return
		}
		save.Disable()
		status.SetText(u.t("common.please_wait", nil))
		var err error
		u.background(func() {
			if err = u.K.Engine.SetPIN(exam.RoleAdmin, admin.Text); err == nil {
				err = u.K.Engine.SetPIN(exam.RoleProctor, proctor.Text)
			}
		}, func() {
			save.Enable()
			switch {
			case errors.Is(err, exam.ErrBadPIN):
				status.SetText(u.t("setup.invalid", nil))
			case err != nil:
				status.SetText(u.t("error.unexpected", map[string]any{"Error": err.Error()}))
			default:
				u.showTerminal()
			}
		})
	}
	proctorAgain.OnSubmitted = func(string) { save.OnTapped() }
	form := container.NewVBox(
		heading(u.t("setup.title", nil)),
		wrapped(u.t("setup.intro", nil)),
		widget.NewLabel(u.t("setup.admin_pin", nil)), admin,
		widget.NewLabel(u.t("setup.repeat", nil)), adminAgain,
		widget.NewLabel(u.t("setup.proctor_pin", nil)), proctor,
		widget.NewLabel(u.t("setup.repeat", nil)), proctorAgain,
		status, save,
	)
	u.show(form, admin)
}
