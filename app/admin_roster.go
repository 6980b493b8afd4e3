package app

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
)

// refreshRoster shows the kiosk's roster, checked again now: how many candidates for which
// positions, and who signed it.
func (a *adminView) refreshRoster() {
	u := a.u
	s, err := u.K.RosterInfo()
	switch {
	case errors.Is(err, kiosk.ErrNoRoster):
		a.setBody(a.rosterBody, []fyne.CanvasObject{wrapped(u.t("admin.roster.none", nil))})
		return
	case err != nil:
		status := wrapped("✘ " + u.t("admin.status.refused", nil))
		status.Importance = widget.DangerImportance
		a.setBody(a.rosterBody, []fyne.CanvasObject{status, wrapped(u.t("admin.reason", map[string]any{"Reason": u.refusal(err, nil)}))})
		return
	}
	ok := wrapped("✔ " + u.t("admin.status.verified", nil))
	ok.Importance = widget.SuccessImportance
	signer := s.SignerKey
	if s.Signer != "" {
		signer = s.Signer + " (" + s.SignerKey + ")"
	}
	positions := container.NewVBox()
	for _, p := range s.Positions {
		positions.Add(wrapped(u.Loc.N("admin.roster.position", p.Candidates, map[string]any{"Position": p.Code})))
	}
	a.setBody(a.rosterBody, []fyne.CanvasObject{
		ok,
		wrapped(u.t("admin.signed_by", map[string]any{"Signer": signer})),
		facts(
			fact(u.t("admin.roster.title", nil), u.Loc.N("admin.roster.candidates", s.Candidates, nil)),
			[2]fyne.CanvasObject{factLabel(u.Loc.N("admin.manifest.positions", len(s.Positions), nil)), positions},
		),
	})
}

// chooseRoster asks for a signed roster file on the USB stick.
func (a *adminView) chooseRoster() {
	a.openFile(a.u.t("admin.roster.choose", nil), rosterExtensions, a.rosterStatus, a.loadRosterFile)
}

// loadRosterFile checks the signed roster at path and, if it verifies, makes it the kiosk's
// roster; the status says which, and why a roster is refused.
func (a *adminView) loadRosterFile(path string) {
	u := a.u
	a.setStatus(a.rosterStatus, widget.MediumImportance, u.t("admin.verifying", nil))
	a.loadRoster.Disable()
	var err error
	var count int
	u.background(func() {
		r, e := u.K.LoadRoster(path)
		if err = e; r != nil {
			count = len(r.Candidates)
		}
	}, func() {
		a.loadRoster.Enable()
		file := u.t("admin.file", map[string]any{"File": filepath.Base(path)})
		switch {
		case err == nil:
			a.setStatus(a.rosterStatus, widget.SuccessImportance, u.Loc.N("admin.roster.verified", count, nil), file)
		case errors.Is(err, kiosk.ErrRosterInUse):
			a.setStatus(a.rosterStatus, widget.DangerImportance, u.t("admin.roster.refused", nil), u.t("admin.reason", map[string]any{"Reason": u.t("admin.roster.in_use", nil)}), file)
		default:
			lines := []string{u.t("admin.roster.refused", nil), u.t("admin.reason", map[string]any{"Reason": u.refusal(err, nil)}), file}
			a.setStatus(a.rosterStatus, widget.DangerImportance, append(lines, a.details(err)...)...)
		}
		a.refreshRoster()
	})
}
