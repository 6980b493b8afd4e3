package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyHandler takes the keys a focused control does not use itself.
type keyHandler interface {
	TypedRune(rune)
	TypedKey(*fyne.KeyEvent)
}

// keyButton is a button that Enter activates as well as Space, and that hands every other key
// to the screen: a focused button would otherwise swallow the keys that choose an answer or
// turn the page.
type keyButton struct {
	widget.Button
	keys keyHandler
}

func newKeyButton(text string, icon fyne.Resource, tapped func(), keys keyHandler) *keyButton {
	b := &keyButton{keys: keys}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey activates the button on Space or Enter and passes other keys on.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
		return
	}
	if b.keys != nil {
		b.keys.TypedKey(ev)
	}
}

// TypedRune passes typed characters on to the screen.
func (b *keyButton) TypedRune(r rune) {
	if b.keys != nil {
		b.keys.TypedRune(r)
	}
}

// target is a large tappable area: a keyButton spanning content that may wrap over several
// lines (a button's own text does not wrap), with a frame that marks it as chosen or current.
type target struct {
	*fyne.Container
	button *keyButton
	frame  *canvas.Rectangle
}

func newTarget(content fyne.CanvasObject, tapped func(), keys keyHandler) *target {
	t := &target{button: newKeyButton("", nil, tapped, keys), frame: canvas.NewRectangle(color.Transparent)}
	t.frame.CornerRadius = theme.InputRadiusSize()
	t.Container = container.NewStack(t.button, t.frame, container.NewPadded(content))
	return t
}

// highlight draws a thick frame around the target, or none.
func (t *target) highlight(on bool) {
	if on {
		t.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
		t.frame.StrokeWidth = 3 * theme.InputBorderSize()
		t.frame.FillColor = theme.Color(theme.ColorNameSelection)
	} else {
		t.frame.StrokeWidth = 0
		t.frame.FillColor = color.Transparent
	}
	t.frame.Refresh()
}

// relayout lays a container and the containers in it out again after their children changed
// size or were shown or hidden, which Fyne does not tell containers about. It stops at widgets,
// so that an editor holding a long text is not refreshed for it.
func relayout(o fyne.CanvasObject) {
	c, ok := o.(*fyne.Container)
	if !ok || c == nil {
		return
	}
	if c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
	for _, child := range c.Objects {
		relayout(child)
	}
	canvas.Refresh(c)
}

// readableWidth keeps lines of text short enough to read on a wide screen: about 75
// characters, growing with the text size.
func readableWidth() float32 { return 50 * theme.TextSize() }

// maxWidth centres its objects in at most width, or the whole width on a narrower window.
type maxWidth struct{ width func() float32 }

func (l maxWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l maxWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.width())
	for _, o := range objects {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// readable centres content in a column of readable width.
func readable(content fyne.CanvasObject) *fyne.Container {
	return container.New(maxWidth{readableWidth}, content)
}

// strong is a bold label.
func strong(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// flagIcon is a flag, the mark of an item flagged for review.
var flagIcon = theme.NewThemedResource(fyne.NewStaticResource("flag.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
		`<path fill="#000000" d="M5 2h2v20H5z M8 3h12l-3.5 5 3.5 5H8z"/></svg>`)))
