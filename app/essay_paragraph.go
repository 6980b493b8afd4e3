package app

import (
	"image/color"
	"math"
	"reflect"
	"slices"
	"sort"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// essayEntry is one paragraph of an essayText: a word-wrapping Entry as tall as its text (it
// does not scroll), drawn without a box of its own, holding the paragraph with soft breaks
// (see essay_flow.go). It only draws the paragraph and the cursor: the keys and the pointer go
// to the editor (essay_input.go), and the selection it shows is the editor's.
type essayEntry struct {
	widget.Entry
	t            *essayText
	words, chars int
	text         string // the paragraph: the Entry's text without soft breaks
	laidFor      flowKey
	selection    paraSelection
	r            *paragraphRenderer
	stale        bool // the text changed since the Entry last wrapped it in rows
}

// paraSelection is what a paragraph shows selected: its characters from from to to, and the
// line break after it.
type paraSelection struct {
	from, to  int
	lineBreak bool
}

// flowKey is what the soft breaks depend on.
type flowKey struct{ width, textSize, padding float32 }

func newEssayEntry(t *essayText, text string) *essayEntry {
	p := &essayEntry{t: t, text: text}
	p.MultiLine = true
	p.Wrapping = fyne.TextWrapWord
	p.Text = text
	p.words, p.chars = countText(text)
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

// setText gives the paragraph a new text, laying out again only the rows that changed. The
// Entry shows it at the next refresh.
func (p *essayEntry) setText(text string) {
	if text == p.text {
		return
	}
	old, new := []rune(p.text), []rune(text)
	from, to := changedRange(old, new)
	shown := []rune(p.Entry.Text) // as long as old: a soft break stands for a space
	entry := slices.Concat(shown[:from], new[from:to], shown[len(old)-(len(new)-to):])
	if f := p.flow(text, p.Size().Width); f != nil {
		entry = f.relay(entry, from, to)
	}
	p.text = text
	p.words, p.chars = countText(text)
	p.Entry.Text = string(entry)
	p.stale = true
}

// wrapped makes the Entry's rows those of its text, for the questions about rows that follow.
func (p *essayEntry) wrapped() {
	if p.stale {
		p.Refresh()
	}
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
	p.Text = laid
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
	p.stale = false
	p.Entry.Refresh()
}

// placeCursor puts the Entry's cursor after so many characters, and shows it when show is
// set (else the caller refreshes the paragraph). After a change of the text it places the
// cursor as if each line were a row before the Entry wraps the text in rows, in the same
// refresh: a second is needed only where the Entry wraps a line itself (a word longer than a
// row).
func (p *essayEntry) placeCursor(offset int, show bool) {
	if p.stale {
		p.CursorRow, p.CursorColumn = lineCol([]rune(p.Text), offset)
		p.Refresh()
		if p.CursorTextOffset() == offset {
			p.steady()
			return
		}
		show = true
	}
	p.CursorRow, p.CursorColumn = p.rowCol(offset)
	if show {
		p.Refresh()
	}
	p.steady()
}

// lineCol is the line and the column of a place in text.
func lineCol(text []rune, offset int) (line, col int) {
	start := 0
	for i, r := range text[:min(offset, len(text))] {
		if r == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, offset - start
}

// steady shows the cursor without blinking for a moment, as typing does: a key the Entry does
// not know does that and nothing else.
func (p *essayEntry) steady() {
	if p.r != nil { // the Entry is drawn, and ready for keys
		p.Entry.TypedKey(&fyne.KeyEvent{})
	}
}

// setSelection shows part of the paragraph selected.
func (p *essayEntry) setSelection(s paraSelection) {
	if s == p.selection {
		return
	}
	p.selection = s
	if p.r != nil {
		p.r.mark()
	}
}

// length is the paragraph's length in characters (the Entry's text is as long).
func (p *essayEntry) length() int { return len([]rune(p.text)) }

// lines is how many lines the paragraph wraps to at its width.
func (p *essayEntry) lines() int {
	p.wrapped()
	return entryRows(&p.Entry)
}

// rowCol is the line and column of a character offset, as the Entry places its cursor.
func (p *essayEntry) rowCol(offset int) (row, col int) {
	p.wrapped()
	return entryRowCol(&p.Entry, offset)
}

func (p *essayEntry) lineHeight() float32 {
	return fyne.MeasureText("M", p.Theme().Size(theme.SizeNameText), p.TextStyle).Height
}

// MinSize is the height of the paragraph's lines, so that it grows with its text.
func (p *essayEntry) MinSize() fyne.Size {
	pad := p.Theme().Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(p.Entry.MinSize().Width, float32(p.lines())*p.lineHeight()+2*pad)
}

// rowSpan is a row of a paragraph: its characters from start to end, without the white space
// where it wraps.
type rowSpan struct{ start, end int }

// rows are the paragraph's rows as the Entry wraps them.
func (p *essayEntry) rows() []rowSpan {
	p.wrapped()
	starts := entryRowStarts(&p.Entry)
	text := []rune(p.Text)
	spans := make([]rowSpan, len(starts))
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
			if end > s && unicode.IsSpace(text[end-1]) {
				end--
			}
		}
		spans[i] = rowSpan{s, end}
	}
	return spans
}

// xAt is how far from the paragraph's left a place in a row is, as the Entry draws it.
func (p *essayEntry) xAt(row rowSpan, offset int) float32 { return p.xIn([]rune(p.text), row, offset) }

// xIn is xAt in the paragraph's text, text.
func (p *essayEntry) xIn(text []rune, row rowSpan, offset int) float32 {
	th := p.Theme()
	offset = min(max(offset, row.start), row.end)
	return th.Size(theme.SizeNameInnerPadding) + fyne.MeasureText(string(text[row.start:offset]), th.Size(theme.SizeNameText), p.TextStyle).Width
}

// offsetIn is the place in a row nearest to a distance from the paragraph's left: before the
// character whose middle is past it (as the Entry finds the place of a click).
func (p *essayEntry) offsetIn(row rowSpan, x float32) int {
	th := p.Theme()
	size, pad := th.Size(theme.SizeNameText), th.Size(theme.SizeNameInnerPadding)
	text := []rune(p.text)[row.start:row.end]
	n := sort.Search(len(text), func(i int) bool {
		before := fyne.MeasureText(string(text[:i]), size, p.TextStyle).Width
		char := fyne.MeasureText(string(text[i]), size, p.TextStyle).Width
		return x < pad+before+char/2
	})
	return row.start + n
}

// offsetAt is the place in the paragraph at a point of it (or beyond it: the first row above
// the paragraph, the end below it), as the Entry finds the place of a click.
func (p *essayEntry) offsetAt(pos fyne.Position) int {
	th := p.Theme()
	rows := p.rows()
	row := int(math.Floor(float64((pos.Y - th.Size(theme.SizeNameInnerPadding) + th.Size(theme.SizeNameLineSpacing)) / p.lineHeight())))
	if row >= len(rows) {
		return rows[len(rows)-1].end
	}
	return p.offsetIn(rows[max(row, 0)], pos.X)
}

// CreateRenderer draws the Entry without its own background and border, as the editor draws
// one box around all its paragraphs, and without its own scroll: a paragraph is as tall as
// its text, and a scroll in it would take the mouse wheel from the editor's. Under the text it
// draws the selection; over it lies a paragraphPointer, to take the pointer's drags.
func (p *essayEntry) CreateRenderer() fyne.WidgetRenderer {
	r := &paragraphRenderer{WidgetRenderer: p.Entry.CreateRenderer(), p: p}
	r.pointer = &paragraphPointer{p: p}
	r.pointer.ExtendBaseWidget(r.pointer)
	for _, o := range r.WidgetRenderer.Objects() {
		if _, ok := o.(fyne.Scrollable); ok {
			if content := scrollContent(o); content != nil {
				r.scroll, r.content = o, content
				r.text = &fyne.Container{Objects: []fyne.CanvasObject{content, r.pointer}}
			}
		}
	}
	p.r = r
	return r
}

type paragraphRenderer struct {
	fyne.WidgetRenderer
	p       *essayEntry
	scroll  fyne.CanvasObject // the Entry's scroll, drawn as text instead
	content fyne.CanvasObject // the scroll's content: the text and the cursor
	text    *fyne.Container   // the selection, the content and the pointer, where the scroll would be
	pointer *paragraphPointer
	marks   []fyne.CanvasObject // the selection: a rectangle for each row
	objects []fyne.CanvasObject
	entry   []fyne.CanvasObject // the Entry's objects that objects stand for
}

func (r *paragraphRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	if r.text != nil {
		r.text.Move(r.scroll.Position())
		r.text.Resize(r.scroll.Size())
		r.pointer.Resize(r.scroll.Size())
		r.mark()
	}
}

func (r *paragraphRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.mark()
}

// mark draws the paragraph's selection: a rectangle over the selected characters of each
// row, reaching a space's width past a row's end when the selection goes on past it.
func (r *paragraphRenderer) mark() {
	if r.text == nil {
		return
	}
	p, s := r.p, r.p.selection
	var boxes []fyne.CanvasObject
	if s.from < s.to || s.lineBreak {
		th := p.Theme()
		fill := th.Color(theme.ColorNameSelection, fyne.CurrentApp().Settings().ThemeVariant())
		height := p.lineHeight()
		top := th.Size(theme.SizeNameInnerPadding) - th.Size(theme.SizeNameInputBorder)
		space := fyne.MeasureText(" ", th.Size(theme.SizeNameText), p.TextStyle).Width
		rows, text := p.rows(), []rune(p.text)
		for i, row := range rows {
			from, to := max(s.from, row.start), min(s.to, row.end)
			on := s.to > row.end && i < len(rows)-1 || i == len(rows)-1 && s.lineBreak
			if from > to || from == to && !on {
				continue
			}
			x1, x2 := p.xIn(text, row, from), p.xIn(text, row, to)
			if on {
				x2 += space
			}
			var box *canvas.Rectangle
			if n := len(boxes); n < len(r.marks) {
				box = r.marks[n].(*canvas.Rectangle)
			} else {
				box = canvas.NewRectangle(fill)
			}
			box.FillColor = fill
			box.Move(fyne.NewPos(x1-1, float32(i)*height+top))
			box.Resize(fyne.NewSize(x2-x1+1, height))
			boxes = append(boxes, box)
		}
	}
	if len(boxes) == 0 && len(r.marks) == 0 {
		return
	}
	r.marks = boxes
	r.text.Objects = append(slices.Clone(boxes), r.content, r.pointer)
	canvas.Refresh(p)
}

// Objects are the Entry's but for its first two, the background and the border rectangles,
// and with the selection, the scroll's content and the pointer for the scroll.
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

// paragraphPointer lies over a paragraph's text and takes the pointer's drags, which the
// Entry's text would take to select within the paragraph alone: a drag selects across
// paragraphs, from where the button went down.
type paragraphPointer struct {
	widget.BaseWidget
	p *essayEntry
}

func (o *paragraphPointer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Dragged selects to the place under the pointer.
func (o *paragraphPointer) Dragged(ev *fyne.DragEvent) {
	o.p.t.dragTo(o.p, ev.Position.Add(o.p.r.text.Position()))
}

// DragEnd leaves the selection as the drag made it.
func (o *paragraphPointer) DragEnd() {}

// Cursor is the text cursor, as over the text.
func (o *paragraphPointer) Cursor() desktop.Cursor { return desktop.TextCursor }
