package app

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
)

// refreshEnrolment shows who this terminal is to the scorer: its id, its key's fingerprint and
// public key file to register, and the scorer it is enrolled with.
func (a *adminView) refreshEnrolment() {
	u, k := a.u, a.u.K
	fp := widget.NewLabelWithStyle(k.Fingerprint(), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	fp.Wrapping = fyne.TextWrapBreak
	fp.Selectable = true
	pub := widget.NewLabel(k.PublicKeyFile())
	pub.Wrapping = fyne.TextWrapBreak
	pub.Selectable = true
	rows := [][2]fyne.CanvasObject{
		fact(u.t("admin.enrol.terminal_id", nil), k.TerminalID()),
		{factLabel(u.t("admin.enrol.fingerprint", nil)), fp},
		{factLabel(u.t("admin.enrol.public_key_file", nil)), pub},
	}
	var state *widget.Label
	if ok, scorer := k.Enrolled(); ok {
		rows = append(rows, fact(u.t("admin.enrol.scorer_address", nil), scorer))
		state = wrapped("✔ " + u.t("admin.enrol.done", map[string]any{"Terminal": k.TerminalID()}))
		state.Importance = widget.SuccessImportance
	} else {
		state = wrapped(u.t("admin.enrol.intro", nil))
	}
	a.setBody(a.enrolBody, []fyne.CanvasObject{state, facts(rows...)})
}

// chooseKeyFolder asks for the folder to save the public key in.
func (a *adminView) chooseKeyFolder() {
	u := a.u
	a.openFolder(u.t("admin.enrol.save_key_choose", nil), u.t("common.save", nil), a.enrolStatus, a.saveKeyTo)
}

// saveKeyTo saves the terminal's public key into dir, for the scorer's operator.
func (a *adminView) saveKeyTo(dir string) {
	u := a.u
	path, err := u.K.ExportPublicKey(dir)
	if err != nil {
		a.setStatus(a.enrolStatus, widget.DangerImportance, u.t("admin.enrol.key_save_failed", map[string]any{"Reason": err.Error()}))
		return
	}
	a.setStatus(a.enrolStatus, widget.SuccessImportance, u.t("admin.enrol.key_saved", map[string]any{"File": path}))
}

// chooseEnrolment asks for the enrolment file the scorer handed out.
func (a *adminView) chooseEnrolment() {
	a.openFile(a.u.t("admin.enrol.choose", nil), enrolmentExtensions, a.enrolStatus, a.enrolFrom)
}

// enrolFrom enrols the terminal with the enrolment file at path, or says why the file is refused.
func (a *adminView) enrolFrom(path string) {
	u := a.u
	_, err := u.K.EnrolFile(path)
	if err == nil {
		a.setStatus(a.enrolStatus, widget.SuccessImportance, u.t("admin.enrol.done", map[string]any{"Terminal": u.K.TerminalID()}))
		a.refreshEnrolment()
		return
	}
	file := u.t("admin.file", map[string]any{"File": filepath.Base(path)})
	details := u.t("admin.details", map[string]any{"Details": err.Error()})
	var reason string
	switch {
	case errors.Is(err, kiosk.ErrNotEnrolmentFile):
		reason = u.t("admin.enrol.refusal.not_enrolment", nil)
	case errors.Is(err, kiosk.ErrEnrolmentVersion):
		reason = u.t("admin.enrol.refusal.version", nil)
	case errors.Is(err, kiosk.ErrEnrolmentInvalid):
		reason = u.t("admin.enrol.refusal.invalid", nil)
	case errors.Is(err, kiosk.ErrSessionOpen):
		reason, details = u.t("admin.enrol.session_open", nil), ""
	default:
		reason, details = u.t("admin.refusal.unreadable", map[string]any{"Reason": err.Error()}), ""
	}
	lines := []string{u.t("admin.enrol.failed", map[string]any{"Reason": reason}), file}
	if details != "" {
		lines = append(lines, details)
	}
	a.setStatus(a.enrolStatus, widget.DangerImportance, lines...)
}
