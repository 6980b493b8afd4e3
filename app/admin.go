package app

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// showAdmin is the administrator's screen: the library of banks and whether each verifies.
func (u *UI) showAdmin() {
	back := widget.NewButton(u.t("common.back", nil), u.showTerminal)
	items := []fyne.CanvasObject{heading(u.t("admin.title", nil)), widget.NewLabelWithStyle(u.t("admin.banks.title", nil), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	banks, err := u.K.Banks()
	switch {
	case err != nil:
		items = append(items, wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})))
	case len(banks) == 0:
		items = append(items, wrapped(u.t("admin.banks.empty", nil)))
	}
	for _, b := range banks {
		items = append(items, widget.NewSeparator())
		name := filepath.Base(b.File)
		if b.Manifest != nil {
			name = u.title(b.Manifest.Title) + " (" + b.Manifest.BankID + ")"
		}
		items = append(items, widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		if b.Err == nil {
			items = append(items, widget.NewLabel("✔ "+u.t("admin.status.verified", nil)))
			items = append(items, wrapped(u.t("admin.signed_by", map[string]any{"Signer": b.Signer})))
		} else {
			status := widget.NewLabel("✘ " + u.t("admin.status.refused", nil))
			status.Importance = widget.DangerImportance
			items = append(items, status, wrapped(u.t("admin.reason", map[string]any{"Reason": u.refusal(b.Err, b.Manifest)})))
		}
		if m := b.Manifest; m != nil {
			items = append(items, wrapped(u.t("admin.manifest.validity", map[string]any{"From": u.date(m.ValidFrom), "Until": u.date(m.ValidUntil)})))
		}
	}
	items = append(items, widget.NewSeparator(), back)
	u.show(container.NewVBox(items...), back)
}
