package app

import (
	"reflect"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// essayText is the text box of a written task, built as a column of paragraphs, each its own
// Entry with its rows ended by soft breaks (essay_flow.go). Fyne re-wraps and re-measures an
// Entry's whole text at every keystroke, at a cost that grows with the square of a line's
// length: one Entry holding a long essay makes typing slow, while a row of a paragraph costs
// the same however long the essay and the paragraph grow. The paragraphs behave as one text:
// Enter splits one, Backspace and Delete join two, the arrow keys and pasted line breaks cross
// between them, and the text is the paragraphs joined with "\n" — what a single multi-line
// Entry would hold. A selection and undo stay within a paragraph.
type essayText struct {
	widget.BaseWidget
	// OnChanged follows every change of the text.
	OnChanged   func()
	onFocusLost func()               // the focus left the editor
	onFocus     func(fyne.Focusable) // a paragraph took the focus

	paras   []*essayEntry
	objects []fyne.CanvasObject // paras, as the column's objects
	column  *essayColumn
	scroll  *container.Scroll
	frame   *canvas.Rectangle
	current *essayEntry // the paragraph with the focus, or the one that had it last
	// moving is set while the editor itself moves the focus between its paragraphs, which is
	// not the focus leaving the editor; leaving while it passes the focus through a paragraph
	// on its way out.
	moving, leaving bool
	// quiet is set while an edit is made of several changes of paragraphs, reported once.
	quiet bool
	shift bool // Shift is held, as the paragraphs' key events tell (see shiftHeld)
}

// essayRows is the height of the text box, in lines, when the screen is short.
const essayRows = 6

func newEssayText() *essayText {
	t := &essayText{frame: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))}
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
func (t *essayText) Text() string {
	n := len(t.paras) - 1
	for _, p := range t.paras {
		n += len(p.text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range t.paras {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// SetText replaces the whole text, a paragraph for each line.
func (t *essayText) SetText(text string) {
	changed := text != t.Text()
	lines := strings.Split(text, "\n")
	t.quiet = true
	for i, line := range lines {
		if i == len(t.paras) {
			t.insert(i, line)
		} else if t.paras[i].text != line {
			t.paras[i].setText(line)
		}
	}
	gone := t.current
	if !slices.Contains(t.paras[len(lines):], gone) {
		gone = nil
	}
	t.paras, t.objects = t.paras[:len(lines)], t.objects[:len(lines)]
	t.quiet = false
	t.layout()
	if gone != nil {
		last := t.paras[len(t.paras)-1]
		if c := t.canvas(); c != nil && c.Focused() == gone {
			t.moveToOffset(last, last.length())
		} else {
			t.current = last
		}
	}
	if changed {
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

// changed follows the typing in a paragraph.
func (t *essayText) changed(p *essayEntry) {
	p.edited()
	p.words, p.chars = countText(p.Text)
	if t.quiet {
		return
	}
	if p.MinSize().Height != p.Size().Height {
		t.layout()
	}
	t.reveal(p)
	t.notify()
}

func (t *essayText) index(p *essayEntry) int { return slices.Index(t.paras, p) }

func (t *essayText) insert(i int, text string) *essayEntry {
	p := newEssayEntry(t, text)
	t.paras = slices.Insert(t.paras, i, p)
	t.objects = slices.Insert(t.objects, i, fyne.CanvasObject(p))
	return p
}

func (t *essayText) remove(i int) {
	t.paras = slices.Delete(t.paras, i, i+1)
	t.objects = slices.Delete(t.objects, i, i+1)
}

// layout places the paragraphs again after one changed its height or the column changed;
// the scroll learns the column's new height.
func (t *essayText) layout() { t.scroll.Refresh() }

// key does what a key does at a paragraph's edge, and reports whether it did anything.
func (t *essayText) key(p *essayEntry, name fyne.KeyName) bool {
	i, last := t.index(p), len(t.paras)-1
	if i < 0 {
		return false
	}
	switch name {
	case fyne.KeyTab:
		t.leave(t.shiftHeld())
		return true
	case fyne.KeyReturn, fyne.KeyEnter:
		t.split(p)
		return true
	}
	if t.shiftHeld() || p.SelectedText() != "" {
		return false // a selection stays within its paragraph
	}
	switch at := p.CursorTextOffset(); {
	case name == fyne.KeyBackspace && at == 0 && i > 0:
		t.join(i - 1)
	case name == fyne.KeyDelete && at >= p.length() && i < last:
		t.join(i)
	case name == fyne.KeyLeft && at == 0 && i > 0:
		prev := t.paras[i-1]
		t.moveToOffset(prev, prev.length())
	case name == fyne.KeyRight && at >= p.length() && i < last:
		t.moveTo(t.paras[i+1], 0, 0)
	case name == fyne.KeyUp && p.CursorRow == 0 && i > 0:
		prev := t.paras[i-1]
		t.moveTo(prev, prev.lines()-1, p.CursorColumn) // the Entry keeps the column within the row
	case name == fyne.KeyDown && p.CursorRow >= p.lines()-1 && i < last:
		t.moveTo(t.paras[i+1], 0, p.CursorColumn)
	case name == fyne.KeyPageUp:
		t.moveTo(t.paras[0], 0, 0)
	case name == fyne.KeyPageDown:
		end := t.paras[last]
		t.moveToOffset(end, end.length())
	default:
		return false
	}
	return true
}

// shortcut does what a shortcut does across paragraphs, and reports whether it did anything.
func (t *essayText) shortcut(p *essayEntry, s fyne.Shortcut) bool {
	switch s := s.(type) {
	case *fyne.ShortcutPaste:
		return s.Clipboard != nil && t.paste(p, s.Clipboard.Content())
	case *fyne.ShortcutCopy:
		p.copy(s.Clipboard)
		return true
	case *fyne.ShortcutCut:
		p.copy(s.Clipboard)
		p.eraseSelection()
		return true
	case *desktop.CustomShortcut:
		if s.Modifier != fyne.KeyModifierShortcutDefault {
			return false
		}
		switch s.KeyName {
		case fyne.KeyHome:
			t.moveTo(t.paras[0], 0, 0)
			return true
		case fyne.KeyEnd:
			end := t.paras[len(t.paras)-1]
			t.moveToOffset(end, end.length())
			return true
		case fyne.KeyBackspace, fyne.KeyDelete, fyne.KeyLeft, fyne.KeyRight:
			// At a paragraph's edge a word is the line break.
			at := p.CursorTextOffset()
			if at == 0 && (s.KeyName == fyne.KeyBackspace || s.KeyName == fyne.KeyLeft) ||
				at >= p.length() && (s.KeyName == fyne.KeyDelete || s.KeyName == fyne.KeyRight) {
				return t.key(p, s.KeyName)
			}
		}
	}
	return false
}

// split breaks the paragraph at the cursor (Enter); the cursor goes to the start of the new one.
func (t *essayText) split(p *essayEntry) {
	t.quiet = true
	p.eraseSelection()
	runes := []rune(p.text)
	at := min(p.CursorTextOffset(), len(runes))
	next := t.insert(t.index(p)+1, string(runes[at:]))
	if at < len(runes) {
		p.setText(string(runes[:at]))
	}
	t.quiet = false
	t.layout()
	t.moveTo(next, 0, 0)
	t.notify()
}

// join makes paragraph i+1 the end of paragraph i; the cursor goes to where they meet.
func (t *essayText) join(i int) {
	p, next := t.paras[i], t.paras[i+1]
	at := p.length()
	t.quiet = true
	if next.text != "" {
		p.setText(p.text + next.text)
	}
	t.remove(i + 1)
	t.quiet = false
	t.layout()
	t.moveToOffset(p, at)
	t.notify()
}

// paste inserts text with line breaks as paragraphs, and reports whether it did: text without
// them is the Entry's to paste.
func (t *essayText) paste(p *essayEntry, text string) bool {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	if !strings.Contains(text, "\n") {
		return false
	}
	t.quiet = true
	p.eraseSelection()
	runes := []rune(p.text)
	at := min(p.CursorTextOffset(), len(runes))
	lines := strings.Split(text, "\n")
	i, n := t.index(p), len(lines)-1
	for j, line := range lines[1:] {
		if j == n-1 {
			line += string(runes[at:])
		}
		t.insert(i+1+j, line)
	}
	p.setText(string(runes[:at]) + lines[0])
	t.quiet = false
	t.layout()
	end := t.paras[i+n]
	t.moveToOffset(end, len([]rune(lines[n])))
	t.notify()
	return true
}

// moveTo puts the cursor in paragraph p at a line and a column (the Entry keeps both within
// the text), gives p the focus and scrolls it into view.
func (t *essayText) moveTo(p *essayEntry, row, col int) {
	p.CursorRow, p.CursorColumn = row, col
	if c := t.canvas(); c != nil && c.Focused() != p {
		t.moving = true
		c.Focus(p) // the Entry refreshes as it takes the focus
		t.moving = false
	} else {
		p.Refresh()
	}
	t.current = p
	t.reveal(p)
}

// moveToOffset puts the cursor in paragraph p after so many characters.
func (t *essayText) moveToOffset(p *essayEntry, offset int) {
	row, col := p.rowCol(offset)
	t.moveTo(p, row, col)
}

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

// paragraphFocused follows the focus into a paragraph: the box shows it, and a selection left
// in the paragraph that had the focus before goes, as it would within one Entry.
func (t *essayText) paragraphFocused(p *essayEntry) {
	if t.leaving {
		return
	}
	if prev := t.current; prev != p && prev.SelectedText() != "" {
		prev.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) // without Shift, this ends the selection
	}
	t.current = p
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

// FocusGained passes the focus on to the paragraph last edited.
func (t *essayText) FocusGained() {
	t.moveTo(t.current, t.current.CursorRow, t.current.CursorColumn)
}

// FocusLost does nothing: the paragraphs have the focus.
func (t *essayText) FocusLost() {}

// TypedRune passes a character on to the paragraph last edited.
func (t *essayText) TypedRune(r rune) { t.current.TypedRune(r) }

// TypedKey passes a key on to the paragraph last edited.
func (t *essayText) TypedKey(ev *fyne.KeyEvent) { t.current.TypedKey(ev) }

// Tapped below the text puts the cursor at its end.
func (t *essayText) Tapped(*fyne.PointEvent) {
	end := t.paras[len(t.paras)-1]
	t.moveToOffset(end, end.length())
}

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

// essayEntry is one paragraph of an essayText: a word-wrapping Entry as tall as its text (it
// does not scroll), drawn without a box of its own, holding the paragraph with soft breaks
// (see essay_flow.go), that hands the keys which cross its edges to the editor. Tab leaves the
// editor, as it leaves every other control (a multi-line Entry would take it as text and trap
// the keyboard).
type essayEntry struct {
	widget.Entry
	t            *essayText
	words, chars int
	text         string // the paragraph: the Entry's text without soft breaks
	shown        string // the Entry's text as last laid out, to find what an edit changed
	laidFor      flowKey
	expect       int // where the edit under way leaves the cursor, or -1
}

// flowKey is what the soft breaks depend on.
type flowKey struct{ width, textSize, padding float32 }

func newEssayEntry(t *essayText, text string) *essayEntry {
	p := &essayEntry{t: t, text: text, shown: text, expect: -1}
	p.MultiLine = true
	p.Wrapping = fyne.TextWrapWord
	p.Text = text
	p.words, p.chars = countText(text)
	p.OnChanged = func(string) { t.changed(p) }
	p.ExtendBaseWidget(p)
	return p
}

// flow is the paragraph's text to lay out in rows at a width, or nil for no width yet.
func (p *essayEntry) flow(text string, width float32) *flow {
	th := p.Theme()
	key := flowKey{width, th.Size(theme.SizeNameText), th.Size(theme.SizeNameInnerPadding)}
	if width-2*key.padding <= 0 {
		return nil
	}
	p.laidFor = key
	style := p.TextStyle
	return newFlow([]rune(text), width-2*key.padding, func(s string) float32 {
		return fyne.MeasureText(s, key.textSize, style).Width
	})
}

// setText gives the paragraph a new text.
func (p *essayEntry) setText(text string) {
	p.text, p.shown = text, text
	if f := p.flow(text, p.Size().Width); f != nil {
		p.shown = string(f.lay())
	}
	p.Entry.SetText(p.shown)
}

// edited lays out again the rows an edit changed, and notes the paragraph's text.
func (p *essayEntry) edited() {
	if p.Text == p.shown {
		return
	}
	entry := []rune(p.Text)
	from, to := changedRange([]rune(p.shown), entry)
	// A row that ends in white space before a soft break, as typing a space at a row's end
	// makes it, wraps with the space as its break: the Entry cannot place its cursor between
	// the two, and reports a place in the next row. Where the cursor goes is known before the
	// edit, or else it is where the edit ends.
	at := p.CursorTextOffset()
	if p.expect >= 0 {
		at = p.expect
	} else if to > 0 && to < len(entry) && entry[to] == softBreak && unicode.IsSpace(entry[to-1]) {
		at = to
	}
	if f := p.flow(unbreak(p.Text), p.Size().Width); f != nil {
		if laid := f.relay(entry, from, to); !slices.Equal(laid, entry) {
			p.Text = string(laid)
			p.Entry.Refresh()
		}
	}
	p.CursorRow, p.CursorColumn = p.rowCol(at) // the Entry refreshes once more when the edit's done
	p.shown, p.text = p.Text, unbreak(p.Text)
}

// relayAll lays the whole paragraph out again, for a new width or text size.
func (p *essayEntry) relayAll(width float32) {
	f := p.flow(p.text, width)
	if f == nil {
		return
	}
	laid := string(f.lay())
	if laid == p.Text {
		return
	}
	at := p.CursorTextOffset()
	p.Text, p.shown = laid, laid
	p.Entry.Refresh()
	p.CursorRow, p.CursorColumn = p.rowCol(at)
	p.Entry.Refresh()
}

// changedRange is where new differs from old: new[from:to] replaced something in old.
func changedRange(old, new []rune) (from, to int) {
	for from < len(old) && from < len(new) && old[from] == new[from] {
		from++
	}
	same := 0
	for same < len(old)-from && same < len(new)-from && old[len(old)-1-same] == new[len(new)-1-same] {
		same++
	}
	return from, len(new) - same
}

// Resize lays the paragraph out for a new width before the Entry wraps it.
func (p *essayEntry) Resize(size fyne.Size) {
	if size.Width != p.laidFor.width {
		p.relayAll(size.Width)
	}
	p.Entry.Resize(size)
}

// Refresh lays the paragraph out again when the theme changed the text size.
func (p *essayEntry) Refresh() {
	if th := p.Theme(); p.laidFor.width > 0 &&
		(th.Size(theme.SizeNameText) != p.laidFor.textSize || th.Size(theme.SizeNameInnerPadding) != p.laidFor.padding) {
		p.relayAll(p.laidFor.width)
	}
	p.Entry.Refresh()
}

// copy puts the selected text on the clipboard, with spaces for its soft breaks.
func (p *essayEntry) copy(c fyne.Clipboard) {
	if text := p.SelectedText(); text != "" && c != nil {
		c.SetContent(unbreak(text))
	}
}

// length is the paragraph's length in characters (the Entry's text is as long).
func (p *essayEntry) length() int { return len([]rune(p.text)) }

// lines is how many lines the paragraph wraps to at its width.
func (p *essayEntry) lines() int { return entryRows(&p.Entry) }

// rowCol is the line and column of a character offset, as the Entry places its cursor.
func (p *essayEntry) rowCol(offset int) (row, col int) { return entryRowCol(&p.Entry, offset) }

func (p *essayEntry) lineHeight() float32 {
	return fyne.MeasureText("M", p.Theme().Size(theme.SizeNameText), p.TextStyle).Height
}

// eraseSelection deletes the selected text, if any, as Backspace does.
func (p *essayEntry) eraseSelection() {
	if p.SelectedText() != "" {
		p.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
}

// MinSize is the height of the paragraph's lines, so that it grows with its text.
func (p *essayEntry) MinSize() fyne.Size {
	pad := p.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(p.Entry.MinSize().Width, float32(p.lines())*p.lineHeight()+2*pad)
}

// CreateRenderer draws the Entry without its own background and border, as the editor draws
// one box around all its paragraphs, and without its own scroll: a paragraph is as tall as
// its text, and a scroll in it would take the mouse wheel from the editor's.
func (p *essayEntry) CreateRenderer() fyne.WidgetRenderer {
	r := &paragraphRenderer{WidgetRenderer: p.Entry.CreateRenderer()}
	for _, o := range r.WidgetRenderer.Objects() {
		if _, ok := o.(fyne.Scrollable); ok {
			if content := scrollContent(o); content != nil {
				r.scroll, r.text = o, &fyne.Container{Objects: []fyne.CanvasObject{content}}
			}
		}
	}
	return r
}

type paragraphRenderer struct {
	fyne.WidgetRenderer
	scroll  fyne.CanvasObject // the Entry's scroll, drawn as text instead
	text    *fyne.Container   // the scroll's content, where the scroll would be
	objects []fyne.CanvasObject
	entry   []fyne.CanvasObject // the Entry's objects that objects stand for
}

func (r *paragraphRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	if r.text != nil {
		r.text.Move(r.scroll.Position())
		r.text.Resize(r.scroll.Size())
	}
}

// Objects are the Entry's but for its first two, the background and the border rectangles,
// and with its scroll's content for the scroll.
func (r *paragraphRenderer) Objects() []fyne.CanvasObject {
	entry := r.WidgetRenderer.Objects()
	if slices.Equal(entry, r.entry) {
		return r.objects
	}
	r.entry, r.objects = slices.Clone(entry), nil
	for i, o := range entry {
		if _, box := o.(*canvas.Rectangle); box && i < 2 {
			continue
		}
		if o == r.scroll {
			o = r.text
		}
		r.objects = append(r.objects, o)
	}
	return r.objects
}

// scrollContent is the content of the scroll of Fyne's Entry, whose type is internal to Fyne,
// or nil.
func scrollContent(o fyne.CanvasObject) fyne.CanvasObject {
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Content")
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	content, _ := f.Interface().(fyne.CanvasObject)
	return content
}

// AcceptsTab takes Tab, to move the focus out of the whole editor rather than to the next
// paragraph.
func (p *essayEntry) AcceptsTab() bool { return true }

// TypedKey hands the editor the keys that cross paragraphs, and the Entry the others.
func (p *essayEntry) TypedKey(ev *fyne.KeyEvent) {
	if p.t.key(p, ev.Name) {
		return
	}
	switch ev.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		if p.SelectedText() != "" {
			p.eraseSelection()
			return
		}
		at := p.CursorTextOffset()
		if ev.Name == fyne.KeyBackspace {
			at = max(at-1, 0)
		}
		p.edit(at, func() { p.Entry.TypedKey(ev) })
	default:
		p.Entry.TypedKey(ev)
	}
	p.t.reveal(p)
}

// TypedRune types a character; a line break splits the paragraph.
func (p *essayEntry) TypedRune(r rune) {
	switch r {
	case '\n':
		p.t.split(p)
	case '\r':
	default:
		p.eraseSelection()
		p.edit(p.CursorTextOffset()+1, func() { p.Entry.TypedRune(r) })
	}
}

// TypedShortcut hands the editor the shortcuts that cross paragraphs (pasting lines, Ctrl+Home
// and Ctrl+End, moving and deleting words at an edge), and the Entry the others.
func (p *essayEntry) TypedShortcut(s fyne.Shortcut) {
	if p.t.shortcut(p, s) {
		return
	}
	if paste, ok := s.(*fyne.ShortcutPaste); ok && paste.Clipboard != nil {
		p.eraseSelection()
		at, text := p.CursorTextOffset(), []rune(paste.Clipboard.Content())
		// The Entry would wrap the text pasted as one line: it gets it laid out in rows.
		if f := p.flow(string(slices.Concat([]rune(p.text)[:at], text, []rune(p.text)[at:])), p.Size().Width); f != nil {
			text = f.lay()[at : at+len(text)]
		}
		laid := &fyne.ShortcutPaste{Clipboard: &pasteClipboard{string(text)}}
		p.edit(at+len(text), func() { p.Entry.TypedShortcut(laid) })
	} else {
		p.Entry.TypedShortcut(s)
	}
	p.t.reveal(p)
}

// pasteClipboard hands the Entry a text to paste.
type pasteClipboard struct{ text string }

func (c *pasteClipboard) Content() string   { return c.text }
func (c *pasteClipboard) SetContent(string) {}

// edit runs an edit of the Entry that leaves the cursor after so many characters.
func (p *essayEntry) edit(cursor int, do func()) {
	p.expect = cursor
	defer func() { p.expect = -1 }()
	do()
}

// KeyDown notes Shift for the editor as well as for the Entry.
func (p *essayEntry) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		p.t.shift = true
	}
	p.Entry.KeyDown(ev)
}

// KeyUp notes the release of Shift for the editor as well as for the Entry.
func (p *essayEntry) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		p.t.shift = false
	}
	p.Entry.KeyUp(ev)
}

// FocusGained shows the editor focused on this paragraph.
func (p *essayEntry) FocusGained() {
	p.Entry.FocusGained()
	p.t.paragraphFocused(p)
}

// FocusLost tells the editor, which saves the typing when the focus leaves it.
func (p *essayEntry) FocusLost() {
	p.Entry.FocusLost()
	p.t.paragraphUnfocused()
}
