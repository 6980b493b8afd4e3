package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
)

// showDamaged is the screen of a terminal whose exam database is damaged (kiosk.DamagedError):
// what happened and what to do, for the candidate and for the proctor, in the terminal's
// language with the six languages offered at its top (picked is the one just chosen, or "");
// then where the damaged database is kept, for the administrator, and SQLite's own words in
// small print, for the technician. There is no PIN to ask (the PINs are in the damaged
// database) and nothing left to protect: closing the window ends the kiosk, and the exam-room
// PC's session starts it again on this same screen.
func (u *UI) showDamaged(d *kiosk.DamagedError, picked string) {
	languages, first := languageRow(u.Loc.Lang(), picked, func(tag string) {
		u.Loc.SetLang(tag)
		u.showDamaged(d, tag)
	})
	kept := widget.NewLabelWithStyle(d.Kept, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	kept.Wrapping = fyne.TextWrapBreak
	kept.Selectable = true
	details := wrapped(u.t("damaged.details", map[string]any{"Detail": d.Detail}))
	details.SizeName = theme.SizeNameCaptionText
	u.show(container.NewVBox(
		heading(u.t("damaged.title", nil)),
		languages,
		wrapped(u.t("damaged.what", nil)),
		strong(u.t("damaged.for_candidate", nil)),
		wrapped(u.t("damaged.candidate", nil)),
		strong(u.t("damaged.for_proctor", nil)),
		wrapped(u.t("damaged.proctor", nil)),
		wrapped(u.t("damaged.kept", nil)),
		kept,
		widget.NewSeparator(),
		details,
	), first)
}
