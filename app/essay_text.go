package app

import (
	"slices"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/app/textedit"
)

// essayText is the text box of a written task. What it holds — the text, the cursor, the
// selection and the undo history — is a textedit.Doc; the box turns keys and the pointer into
// the Doc's edits and moves (essay_input.go) and shows the Doc as a column of paragraphs, each
// its own Entry with its rows ended by soft breaks (essay_flow.go, essay_paragraph.go). Fyne
// re-wraps and re-measures an Entry's whole text at every keystroke, at a cost that grows with
// the square of a line's length: one Entry holding a long essay makes typing slow, while a row
// of a paragraph costs the same however long the essay and the paragraph grow. The Entries
// only draw: the box draws the selection over them, so that it runs across paragraphs.
type essayText struct {
	widget.BaseWidget
	// OnChanged follows every change of the text.
	OnChanged   func()
	onFocusLost func()               // the focus left the editor
	onFocus     func(fyne.Focusable) // a paragraph took the focus
	label       func(id string) string

	doc     *textedit.Doc
	paras   []*essayEntry // the Doc's paragraphs, shown
	objects []fyne.CanvasObject
	column  *essayColumn
	scroll  *container.Scroll
	frame   *canvas.Rectangle
	current *essayEntry // the paragraph with the cursor
	// moving is set while the editor itself moves the focus between its paragraphs, which is
	// not the focus leaving the editor; leaving while it passes the focus through a paragraph
	// on its way out.
	moving, leaving bool
	shift           bool      // Shift is held, as the paragraphs' key events tell (see shiftHeld)
	goal            goal      // where Up and Down aim
	doubleTapped    time.Time // when a double click selected a word: a click soon after selects the paragraph
}

// goal is the distance from the left the cursor keeps as Up and Down move it through rows
// shorter than it, while it is where the last of them put it.
type goal struct {
	at textedit.Pos
	x  float32
	ok bool
}

// essayRows is the height of the text box, in lines, when the screen is short.
const essayRows = 6

// newEssayText is an empty text box; label gives the texts of its context menu.
func newEssayText(label func(id string) string) *essayText {
	t := &essayText{frame: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)), label: label, doc: textedit.New("")}
	t.column = &essayColumn{t: t}
	t.column.ExtendBaseWidget(t.column)
	t.scroll = container.NewVScroll(t.column)
	t.paras = []*essayEntry{newEssayEntry(t, "")}
	t.objects = []fyne.CanvasObject{t.paras[0]}
	t.current = t.paras[0]
	t.ExtendBaseWidget(t)
	return t
}

// Text is the whole text: the paragraphs joined with line breaks.
func (t *essayText) Text() string { return t.doc.Text() }

// SetText replaces the whole text, a paragraph for each line, and forgets the undo history.
func (t *essayText) SetText(text string) {
	before := t.doc.Text()
	t.doc.Reset(text)
	t.sync(textedit.Change{First: 0, Old: len(t.paras), New: t.doc.Paragraphs()}, false)
	t.present(false)
	if t.doc.Text() != before {
		t.notify()
	}
}

// counts are the words and the characters of the whole text, as countText counts them: words
// do not cross paragraphs, and each line break between two is a character.
func (t *essayText) counts() (words, chars int) {
	for _, p := range t.paras {
		words += p.words
		chars += p.chars
	}
	return words, chars + len(t.paras) - 1
}

func (t *essayText) notify() {
	if t.OnChanged != nil {
		t.OnChanged()
	}
}

// apply shows what an edit of the Doc changed, and tells OnChanged.
func (t *essayText) apply(c textedit.Change) {
	if !c.Changed() {
		t.show(true)
		return
	}
	t.sync(c, true)
	t.present(true)
	t.notify()
}

// sync makes the paragraphs shown those of the Doc after a change of the Doc's, with the
// cursor where the Doc has it; take is present's, which follows.
func (t *essayText) sync(c textedit.Change, take bool) {
	for i := c.First; i < c.First+min(c.Old, c.New); i++ {
		t.paras[i].setText(t.doc.Paragraph(i))
	}
	if c.Old > c.New {
		t.paras = slices.Delete(t.paras, c.First+c.New, c.First+c.Old)
		t.objects = slices.Delete(t.objects, c.First+c.New, c.First+c.Old)
	}
	for i := c.First + c.Old; i < c.First+c.New; i++ {
		p := newEssayEntry(t, t.doc.Paragraph(i))
		t.paras = slices.Insert(t.paras, i, p)
		t.objects = slices.Insert(t.objects, i, fyne.CanvasObject(p))
	}
	if c.Old != c.New {
		t.layout() // before the cursor goes into a new paragraph: an Entry not yet as wide as the box wraps a row a word
		t.place(take)
		return
	}
	t.place(take) // first: it wraps the paragraph typed in, in the same refresh as it moves its cursor
	for _, p := range t.paras[c.First : c.First+c.New] {
		if p.MinSize().Height != p.Size().Height {
			t.layout()
			return
		}
	}
}

// show puts the cursor where the Doc has it and shows the selection; see present.
func (t *essayText) show(take bool) {
	t.place(take)
	t.present(take)
}

// place puts the cursor in the paragraph where the Doc has it, and shows it there unless
// present, with take, is to move the focus to the paragraph, which shows it as it takes it.
func (t *essayText) place(take bool) {
	c := t.doc.Cursor()
	t.current = t.paras[c.Para]
	t.current.placeCursor(c.Off, !t.focusing(take))
}

// focusing reports whether present moves the focus to the paragraph with the cursor: when take
// is set or the editor has the focus, and the paragraph does not.
func (t *essayText) focusing(take bool) bool {
	cv := t.canvas()
	if cv == nil {
		return false
	}
	focused := cv.Focused()
	if f, ok := focused.(*essayEntry); ok && f.t == t || focused == fyne.Focusable(t) {
		take = true
	}
	return take && focused != fyne.Focusable(t.paras[t.doc.Cursor().Para])
}

// present shows the selection. The paragraph with the cursor takes the focus when take is set
// or the editor has the focus, and, with the focus, scrolls into view.
func (t *essayText) present(take bool) {
	p := t.current
	t.showSelection()
	if t.focusing(take) {
		t.moving = true
		t.canvas().Focus(p)
		t.moving = false
	}
	if cv := t.canvas(); cv != nil && cv.Focused() == fyne.Focusable(p) {
		t.reveal(p)
	}
}

// showSelection marks in each paragraph what the Doc's selection holds of it.
func (t *essayText) showSelection() {
	from, to := t.doc.Selection()
	for i, p := range t.paras {
		var s paraSelection
		if from != to && i >= from.Para && i <= to.Para {
			s.to = p.length()
			if i == from.Para {
				s.from = from.Off
			}
			if i == to.Para {
				s.to = to.Off
			} else {
				s.lineBreak = true
			}
		}
		p.setSelection(s)
	}
}

// moveTo moves the cursor to a place, selecting from where it was when extend is set.
func (t *essayText) moveTo(at textedit.Pos, extend bool) {
	t.doc.MoveTo(at, extend)
	t.show(true)
}

// moveToOffset puts the cursor in paragraph p after so many characters.
func (t *essayText) moveToOffset(p *essayEntry, offset int) {
	t.moveTo(textedit.Pos{Para: t.index(p), Off: offset}, false)
}

// vertical is the place a row up or down from the cursor, as near as the row allows to the
// distance from the left where the cursor is (or where Up and Down aimed before): across the
// edge of a paragraph into the next, and before the first row or after the last, the start
// and the end of the text.
func (t *essayText) vertical(up bool) textedit.Pos {
	c := t.doc.Cursor()
	p := t.paras[c.Para]
	rows := p.rows()
	row := min(p.CursorRow, len(rows)-1)
	x := p.xAt(rows[row], c.Off)
	if t.goal.ok && t.goal.at == c {
		x = t.goal.x
	}
	var at textedit.Pos
	switch {
	case up && row > 0:
		at = textedit.Pos{Para: c.Para, Off: p.offsetIn(rows[row-1], x)}
	case up && c.Para > 0:
		q := t.paras[c.Para-1]
		qrows := q.rows()
		at = textedit.Pos{Para: c.Para - 1, Off: q.offsetIn(qrows[len(qrows)-1], x)}
	case up:
		at = textedit.Pos{}
	case row < len(rows)-1:
		at = textedit.Pos{Para: c.Para, Off: p.offsetIn(rows[row+1], x)}
	case c.Para < len(t.paras)-1:
		at = textedit.Pos{Para: c.Para + 1, Off: t.paras[c.Para+1].offsetIn(t.paras[c.Para+1].rows()[0], x)}
	default:
		at = t.doc.End()
	}
	t.goal = goal{at: at, x: x, ok: true}
	return at
}

// rowEdge is the start or the end of the row with the cursor.
func (t *essayText) rowEdge(end bool) textedit.Pos {
	c := t.doc.Cursor()
	p := t.paras[c.Para]
	rows := p.rows()
	row := rows[min(p.CursorRow, len(rows)-1)]
	if end {
		return textedit.Pos{Para: c.Para, Off: row.end}
	}
	return textedit.Pos{Para: c.Para, Off: row.start}
}

// paragraphAt is the paragraph at a height in the column, the first above it or below it.
func (t *essayText) paragraphAt(y float32) int {
	i := sort.Search(len(t.paras), func(i int) bool { return t.paras[i].Position().Y > y })
	return max(i-1, 0)
}

func (t *essayText) index(p *essayEntry) int { return slices.Index(t.paras, p) }

// layout places the paragraphs again after one changed its height or the column changed;
// the scroll learns the column's new height.
func (t *essayText) layout() { t.scroll.Refresh() }

// leave moves the focus out of the editor, to the control after it or, with Shift, before.
func (t *essayText) leave(back bool) {
	c := t.canvas()
	if c == nil {
		return
	}
	// The focus walks from the first or the last paragraph, past the others.
	edge := t.paras[len(t.paras)-1]
	if back {
		edge = t.paras[0]
	}
	t.moving, t.leaving = true, true
	c.Focus(edge)
	t.moving, t.leaving = false, false
	if back {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
}

// reveal scrolls the line with the cursor into view.
func (t *essayText) reveal(p *essayEntry) {
	view := t.scroll.Size().Height
	if view <= 0 {
		return
	}
	pad := p.Theme().Size(theme.SizeNameInnerPadding)
	top := p.Position().Y + p.CursorPosition().Y
	bottom := top + p.lineHeight() + pad
	top -= pad
	offset := t.scroll.Offset
	switch {
	case top < offset.Y:
		offset.Y = top
	case bottom > offset.Y+view:
		offset.Y = bottom - view
	default:
		return
	}
	t.scroll.ScrollToOffset(offset)
}

func (t *essayText) canvas() fyne.Canvas {
	return fyne.CurrentApp().Driver().CanvasForObject(t)
}

// shiftHeld reports whether Shift is held: the desktop driver knows; the paragraphs' own key
// events tell on others (the test driver).
func (t *essayText) shiftHeld() bool {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok && d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0 {
		return true
	}
	return t.shift
}

// paragraphFocused follows the focus into a paragraph: the box shows it. When the focus came
// from elsewhere into a paragraph without the cursor, the cursor goes there.
func (t *essayText) paragraphFocused(p *essayEntry) {
	if t.leaving {
		return
	}
	if !t.moving && p != t.current {
		t.doc.MoveTo(textedit.Pos{Para: t.index(p), Off: p.CursorTextOffset()}, false)
		t.current = p
		t.showSelection()
	}
	t.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	t.frame.Refresh()
	if t.onFocus != nil {
		t.onFocus(p)
	}
}

func (t *essayText) paragraphUnfocused() {
	t.frame.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	t.frame.Refresh()
	if !t.moving && t.onFocusLost != nil {
		t.onFocusLost()
	}
}

// FocusGained passes the focus on to the paragraph with the cursor.
func (t *essayText) FocusGained() { t.show(true) }

// FocusLost does nothing: the paragraphs have the focus.
func (t *essayText) FocusLost() {}

// TypedRune passes a character on to the paragraph with the cursor.
func (t *essayText) TypedRune(r rune) { t.current.TypedRune(r) }

// TypedKey passes a key on to the paragraph with the cursor.
func (t *essayText) TypedKey(ev *fyne.KeyEvent) { t.current.TypedKey(ev) }

// Tapped below the text puts the cursor at its end.
func (t *essayText) Tapped(*fyne.PointEvent) { t.moveTo(t.doc.End(), false) }

// Cursor is the text cursor, over the box as over the text.
func (t *essayText) Cursor() desktop.Cursor { return desktop.TextCursor }

// CreateRenderer draws the box around the column of paragraphs.
func (t *essayText) CreateRenderer() fyne.WidgetRenderer {
	return &essayTextRenderer{t: t, objects: []fyne.CanvasObject{t.frame, t.scroll}}
}

type essayTextRenderer struct {
	t       *essayText
	objects []fyne.CanvasObject
}

func (r *essayTextRenderer) Layout(size fyne.Size) {
	border := r.t.Theme().Size(theme.SizeNameInputBorder)
	r.t.frame.Resize(size)
	r.t.scroll.Move(fyne.NewSquareOffsetPos(border))
	r.t.scroll.Resize(size.Subtract(fyne.NewSquareSize(2 * border)))
}

func (r *essayTextRenderer) MinSize() fyne.Size {
	th := r.t.Theme()
	p := r.t.paras[0]
	h := essayRows*p.lineHeight() + 2*th.Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(p.Entry.MinSize().Width, h).Add(fyne.NewSquareSize(2 * th.Size(theme.SizeNameInputBorder)))
}

func (r *essayTextRenderer) Refresh() {
	th := r.t.Theme()
	f := r.t.frame
	f.FillColor = th.Color(theme.ColorNameInputBackground, fyne.CurrentApp().Settings().ThemeVariant())
	f.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	if c := r.t.canvas(); c != nil && c.Focused() == r.t.current {
		f.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	f.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	f.CornerRadius = th.Size(theme.SizeNameInputRadius)
	f.Refresh()
	r.Layout(r.t.Size())
}

func (r *essayTextRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *essayTextRenderer) Destroy() {}

// essayColumn stacks the paragraphs. Unlike a Container, refreshing it does not refresh every
// paragraph: only the one typed in changes.
type essayColumn struct {
	widget.BaseWidget
	t *essayText
}

func (c *essayColumn) CreateRenderer() fyne.WidgetRenderer { return &essayColumnRenderer{c.t} }

type essayColumnRenderer struct{ t *essayText }

// overlap is how far a paragraph reaches into the one above: the space between two
// paragraphs is one inner padding, not the two of two Entries.
func (r *essayColumnRenderer) overlap() float32 {
	return r.t.Theme().Size(theme.SizeNameInnerPadding)
}

func (r *essayColumnRenderer) Layout(size fyne.Size) {
	y, overlap := float32(0), r.overlap()
	for _, p := range r.t.paras {
		// The width first: it decides how many lines the paragraph wraps to.
		p.Resize(fyne.NewSize(size.Width, p.Size().Height))
		h := p.MinSize().Height
		p.Resize(fyne.NewSize(size.Width, h))
		p.Move(fyne.NewPos(0, y))
		y += h - overlap
	}
}

func (r *essayColumnRenderer) MinSize() fyne.Size {
	var min fyne.Size
	for _, p := range r.t.paras {
		s := p.MinSize()
		min.Width = max(min.Width, s.Width)
		min.Height += s.Height
	}
	return min.SubtractWidthHeight(0, float32(len(r.t.paras)-1)*r.overlap())
}

func (r *essayColumnRenderer) Refresh() { r.Layout(r.t.column.Size()) }

func (r *essayColumnRenderer) Objects() []fyne.CanvasObject { return r.t.objects }

func (r *essayColumnRenderer) Destroy() {}
