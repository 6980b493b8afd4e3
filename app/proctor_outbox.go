package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"ispit/app/kiosk"
	"ispit/exam"
)

// outboxSummary is a line of how many sheets are delivered and waiting, and a button to the
// outbox screen.
func (u *UI) outboxSummary() fyne.CanvasObject {
	open := newButton(u.t("proctor.outbox.title", nil), func() { u.showOutbox("") })
	entries, err := u.K.Engine.Outbox()
	if err != nil {
		return container.NewVBox(wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})), open)
	}
	delivered, waiting := countOutbox(entries)
	return container.NewVBox(
		wrapped(u.Loc.N("proctor.outbox.delivered", delivered, nil)),
		wrapped(u.Loc.N("proctor.outbox.waiting", waiting, nil)),
		open)
}

func countOutbox(entries []exam.OutboxEntry) (delivered, waiting int) {
	for i := range entries {
		if entries[i].Delivered() {
			delivered++
		} else {
			waiting++
		}
	}
	return delivered, waiting
}

// showOutbox lists the sheets of this terminal, delivered or waiting with their last error,
// and exports the waiting ones to a folder.
func (u *UI) showOutbox(notice string) {
	items := []fyne.CanvasObject{heading(u.t("proctor.outbox.title", nil))}
	if notice != "" {
		n := wrapped(notice)
		n.Importance = widget.SuccessImportance
		items = append(items, n)
	}
	entries, err := u.K.Engine.Outbox()
	if err != nil {
		items = append(items, wrapped(u.t("error.unexpected", map[string]any{"Error": err.Error()})))
	}
	delivered, waiting := countOutbox(entries)
	switch {
	case err != nil:
	case len(entries) == 0:
		items = append(items, wrapped(u.t("proctor.outbox.none", nil)))
	case waiting == 0:
		items = append(items, wrapped(u.t("proctor.outbox.all_delivered", nil)))
	default:
		items = append(items, wrapped(u.Loc.N("proctor.outbox.delivered", delivered, nil)), wrapped(u.Loc.N("proctor.outbox.waiting", waiting, nil)))
		if ok, _ := u.K.Enrolled(); !ok || anyFailed(entries) {
			warn := wrapped(u.t("proctor.outbox.unreachable", nil))
			warn.Importance = widget.WarningImportance
			items = append(items, warn)
		}
	}
	for _, e := range entries {
		items = append(items, widget.NewSeparator(), u.outboxEntry(e))
	}
	deliver := newButton(u.t("proctor.outbox.deliver_now", nil), func() {
		u.K.DeliverNow()
		u.showOutbox("")
	})
	export := newButton(u.t("proctor.outbox.export", nil), u.chooseExportFolder)
	if waiting == 0 {
		deliver.Disable()
		export.Disable()
	}
	back := newButton(u.t("common.back", nil), u.showProctor)
	// Exporting has a row of its own: its label is long in some languages, and three buttons
	// side by side would not fit the window.
	actions := container.NewVBox(container.NewGridWithColumns(2, back, deliver), export)
	u.showPage(container.NewVBox(items...), actions, back)
}

func anyFailed(entries []exam.OutboxEntry) bool {
	for i := range entries {
		if !entries[i].Delivered() && entries[i].LastError != "" {
			return true
		}
	}
	return false
}

// outboxEntry is one sheet: whose, whether the scorer has confirmed it, and its receipt code,
// which the candidate took away on the receipt screen whether delivered or not.
func (u *UI) outboxEntry(e exam.OutboxEntry) fyne.CanvasObject {
	lines := []fyne.CanvasObject{bold(u.t("proctor.outbox.sheet", map[string]any{"Sheet": e.SheetID, "Candidate": e.Candidate}))}
	receipt := kiosk.ReceiptOf(&e)
	code := widget.NewLabelWithStyle(u.t("proctor.outbox.receipt", map[string]any{"Code": receipt.Code}), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	if receipt.Delivered {
		lines = append(lines, widget.NewLabel("✔ "+u.t("proctor.outbox.status.delivered", nil)), code)
		return container.NewVBox(lines...)
	}
	lines = append(lines, widget.NewLabel("… "+u.t("proctor.outbox.status.waiting", nil)), code)
	if e.LastError != "" {
		lines = append(lines, wrapped(u.t("proctor.outbox.last_error", map[string]any{"Error": e.LastError})))
	}
	return container.NewVBox(lines...)
}

// chooseExportFolder asks for a folder on removable media and exports the waiting sheets there.
func (u *UI) chooseExportFolder() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showOutbox(u.t("proctor.outbox.export_failed", map[string]any{"Error": err.Error()}))
			return
		}
		if dir != nil {
			u.exportTo(dir.Path())
		}
	}, u.Win)
	u.prepareFileDialog(d, u.t("proctor.outbox.export_choose", nil), u.t("common.save", nil), kiosk.RemovableMediaDir())
	d.Show()
}

// exportTo writes every undelivered sheet to dir and shows how many.
func (u *UI) exportTo(dir string) {
	n, err := u.K.ExportOutbox(dir)
	switch {
	case err != nil:
		u.showOutbox(u.t("proctor.outbox.export_failed", map[string]any{"Error": err.Error()}))
	case n == 0:
		u.showOutbox(u.t("proctor.outbox.export_none", nil))
	default:
		u.showOutbox(u.Loc.N("proctor.outbox.exported", n, map[string]any{"Folder": dir}))
	}
}
