package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
)

// confirmExport explains what exporting the attempt does — it stops here and goes on at the
// spare that opens the file — and, once the proctor agrees, asks for the folder on the
// removable drive. Cancel has the focus.
func (u *UI) confirmExport(a *exam.Attempt, reason string) {
	var d *kioskDialog
	cancel := newButton(u.t("common.cancel", nil), func() { d.Hide() })
	choose := newButton(u.t("proctor.export.choose", nil), func() {
		d.Hide()
		u.chooseAttemptExportFolder(a, reason)
	})
	choose.Importance = widget.DangerImportance
	d = newDialog(u.Win, u.t("proctor.export.title", nil), wrapped(u.t("proctor.export.explain", nil)), cancel, choose)
	d.open(u.Win.Canvas().Size().Width*0.6, nil)
}

// chooseAttemptExportFolder asks for a folder on the removable drive and exports the attempt
// there.
func (u *UI) chooseAttemptExportFolder(a *exam.Attempt, reason string) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showSessionMessage(u.t("proctor.export.failed", map[string]any{"Error": err.Error()}), widget.DangerImportance)
			return
		}
		if dir != nil {
			u.exportAttemptTo(a, dir.Path(), reason)
		}
	}, u.Win)
	u.prepareFileDialog(d, u.t("proctor.outbox.export_choose", nil), u.t("common.save", nil), kiosk.RemovableMediaDir())
	d.Show()
}

// exportAttemptTo writes the attempt to dir for a spare terminal and shows what came of it:
// the file, and that the attempt stopped here; or why not, and that it waits here, paused.
func (u *UI) exportAttemptTo(a *exam.Attempt, dir, reason string) {
	path, err := u.K.ExportAttempt(u.session, a, dir, proctorName, reason)
	if err != nil {
		u.showSessionMessage(u.t("proctor.export.failed", map[string]any{"Error": err.Error()}), widget.DangerImportance)
		return
	}
	u.showSessionMessage(u.t("proctor.export.done", map[string]any{"File": path}), widget.SuccessImportance)
}

// movedList lists the session's attempts that went on at other terminals, and where.
func (u *UI) movedList() []fyne.CanvasObject {
	moved := kiosk.MovedAttempts(u.session)
	if len(moved) == 0 {
		return nil
	}
	items := []fyne.CanvasObject{widget.NewSeparator(), bold(u.t("proctor.moved.title", nil))}
	for _, a := range moved {
		c := a.Candidate()
		name := c.Name + " (" + c.Code + ")"
		d, _ := a.Departure()
		if d.Exported {
			items = append(items, wrapped(u.t("proctor.moved.exported", map[string]any{"Name": name})))
		} else {
			items = append(items, wrapped(u.t("proctor.moved.to", map[string]any{"Name": name, "Terminal": d.To})))
		}
	}
	return items
}
