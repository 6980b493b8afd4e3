package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// The extensions of the files the administrator loads: banks and signed rosters as bankctl
// writes them (docs/bank-format.md), and the scorer's enrolment file (JSON).
var (
	bankExtensions      = []string{".bank"}
	rosterExtensions    = []string{".roster", ".signed"}
	enrolmentExtensions = []string{".json"}
)

// openFile shows a file dialog for files with these extensions, opened on the USB stick, and
// calls picked with the path of the file chosen. An error of the dialog goes to status.
func (a *adminView) openFile(title string, extensions []string, status *fyne.Container, picked func(path string)) *dialog.FileDialog {
	u := a.u
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.setStatus(status, widget.DangerImportance, u.t("admin.refusal.unreadable", map[string]any{"Reason": err.Error()}))
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		picked(path)
	}, u.Win)
	d.SetFilter(storage.NewExtensionFileFilter(extensions))
	a.prepare(d, title, u.t("fyne.open", nil))
	d.Show()
	return d
}

// openFolder shows a folder dialog opened on the USB stick and calls picked with the path of
// the folder chosen.
func (a *adminView) openFolder(title, confirm string, status *fyne.Container, picked func(path string)) *dialog.FileDialog {
	u := a.u
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			a.setStatus(status, widget.DangerImportance, u.t("admin.enrol.key_save_failed", map[string]any{"Reason": err.Error()}))
			return
		}
		if dir == nil {
			return // cancelled
		}
		picked(dir.Path())
	}, u.Win)
	a.prepare(d, title, confirm)
	d.Show()
	return d
}

// prepare labels a file dialog from the catalogue in the screen's language (Fyne's own labels
// follow the system locale, which an exam-room PC may not have set), opens it on the USB
// stick and gives it most of the window.
func (a *adminView) prepare(d *dialog.FileDialog, title, confirm string) {
	a.u.prepareFileDialog(d, title, confirm, a.mediaDir())
}

// prepareFileDialog labels a file dialog from the catalogue, opens it in dir (when not "") and
// gives it most of the window.
func (u *UI) prepareFileDialog(d *dialog.FileDialog, title, confirm, dir string) {
	d.SetTitleText(title)
	d.SetConfirmText(confirm)
	d.SetDismissText(u.t("common.cancel", nil))
	if dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	size := u.Win.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*0.9, size.Height*0.9))
}
