package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// pageLayout lays a screen out: content in a column of readable width that scrolls when it
// does not fit and, when actions is not nil, the screen's actions at its foot below a line,
// in view at every window and text size while the content scrolls above them. The actions
// come after the content in the order Tab goes.
func pageLayout(content, actions fyne.CanvasObject) fyne.CanvasObject {
	scroll := container.NewVScroll(readable(content))
	if actions == nil {
		return scroll
	}
	foot := readable(container.NewVBox(widget.NewSeparator(), actions))
	return container.NewBorder(nil, foot, nil, nil, scroll)
}

// showPage shows a screen of the terminal, the proctor or the administrator: content that
// scrolls, actions that stay (see pageLayout), and the focus on first.
func (u *UI) showPage(content, actions fyne.CanvasObject, first fyne.Focusable) {
	root := container.NewPadded(pageLayout(content, actions))
	u.Win.SetContent(root)
	// Wrapped text knows its height only once laid out at its width: a second pass places
	// what comes under it.
	root.Refresh()
	if first != nil {
		u.Win.Canvas().Focus(first)
	}
}
