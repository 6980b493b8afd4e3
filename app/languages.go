package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"ispit/i18n"
)

// languageRow offers the kiosk's six languages, each named in itself, so that someone who does
// not read the terminal's language finds their own; the language in use, current, is ticked,
// and choosing one calls choose with its tag. It returns the row and the button of picked, the
// language just chosen ("" for none; the focus goes back to it), else nil.
func languageRow(current, picked string, choose func(tag string)) (*fyne.Container, fyne.Focusable) {
	row := container.NewGridWithColumns(3)
	var pickedButton fyne.Focusable
	for _, l := range i18n.Languages() {
		b := newKeyButton(l.Name, nil, func() { choose(l.Tag) }, nil)
		if l.Tag == current {
			b.Icon = theme.ConfirmIcon()
		}
		if l.Tag == picked {
			pickedButton = b
		}
		row.Add(b)
	}
	return row, pickedButton
}
