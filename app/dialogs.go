package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// kioskDialog is how the kiosk makes every dialog of its own: a title, content, and a row of
// keyButtons at the foot, so that Enter and the keypad's Enter press the focused button as
// Space does (Fyne's own dialog buttons take Space only). The first button is the safe
// choice — Cancel, Back to the exam — and has the focus when the dialog opens, unless the
// dialog asks for something to be typed first: a stray Enter never does what cannot be undone.
type kioskDialog struct {
	*dialog.CustomDialog
	win  fyne.Window
	safe *keyButton
}

// newDialog makes a dialog over win with safe, the choice that changes nothing, at the left of
// its buttons and the others after it, the action last.
func newDialog(win fyne.Window, title string, content fyne.CanvasObject, safe *keyButton, others ...*keyButton) *kioskDialog {
	d := &kioskDialog{CustomDialog: dialog.NewCustomWithoutButtons(title, content, win), win: win, safe: safe}
	buttons := []fyne.CanvasObject{safe}
	for _, b := range others {
		buttons = append(buttons, b)
	}
	d.SetButtons(buttons)
	return d
}

// open shows the dialog width wide (0: as wide as its content needs) and gives the focus to
// first, or to the safe choice when first is nil.
func (d *kioskDialog) open(width float32, first fyne.Focusable) {
	if width > 0 {
		d.Resize(fyne.NewSize(width, 0))
	}
	d.Show()
	if first == nil {
		first = d.safe
	}
	d.win.Canvas().Focus(first)
}
