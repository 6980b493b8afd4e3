package app

import (
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// objectAt is the object the driver gives the pointer's events at pos (on the window's
// canvas) to: the last, in the order it walks the objects, that match says and that pos is
// over, within the scrolls that hold it; and pos within it.
func (f *essayFixture) objectAt(pos fyne.Position, match func(fyne.CanvasObject) bool) (fyne.CanvasObject, fyne.Position) {
	var found fyne.CanvasObject
	var at fyne.Position
	var walk func(o fyne.CanvasObject, origin, clipFrom, clipTo fyne.Position)
	walk = func(o fyne.CanvasObject, origin, clipFrom, clipTo fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		p := origin.Add(o.Position())
		end := p.Add(o.Size())
		if _, ok := o.(*container.Scroll); ok {
			clipFrom = fyne.NewPos(max(clipFrom.X, p.X), max(clipFrom.Y, p.Y))
			clipTo = fyne.NewPos(min(clipTo.X, end.X), min(clipTo.Y, end.Y))
		}
		over := pos.X >= p.X && pos.Y >= p.Y && pos.X < end.X && pos.Y < end.Y &&
			pos.X >= clipFrom.X && pos.Y >= clipFrom.Y && pos.X < clipTo.X && pos.Y < clipTo.Y
		if over && match(o) {
			found, at = o, pos.Subtract(p)
		}
		var children []fyne.CanvasObject
		switch c := o.(type) {
		case *fyne.Container:
			children = c.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(c).Objects()
		}
		for _, child := range children {
			walk(child, p, clipFrom, clipTo)
		}
	}
	walk(f.u.Win.Content(), fyne.Position{}, fyne.Position{}, fyne.NewPos(1e9, 1e9))
	if found == nil {
		f.t.Fatalf("nothing at %v takes the pointer", pos)
	}
	return found, at
}

// point is where on the window a place of a paragraph is: half a row down, and a pixel right
// of the place, as the Entry draws it.
func (f *essayFixture) point(para, offset int) fyne.Position {
	f.t.Helper()
	p := f.editor().paras[para]
	row, col := p.rowCol(offset)
	r, c := p.CursorRow, p.CursorColumn
	p.CursorRow, p.CursorColumn = row, col
	at := p.CursorPosition()
	p.CursorRow, p.CursorColumn = r, c
	th := p.Theme()
	at = at.AddXY(th.Size(theme.SizeNameInputBorder)/2+1, th.Size(theme.SizeNameInputBorder)+p.lineHeight()/2)
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(p).Add(at)
}

// mouseDown presses the primary button at a point, with Shift when shift is set, as the
// driver does.
func (f *essayFixture) mouseDown(pos fyne.Position, shift bool) {
	o, at := f.objectAt(pos, func(o fyne.CanvasObject) bool { _, ok := o.(desktop.Mouseable); return ok })
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at, AbsolutePosition: pos}, Button: desktop.MouseButtonPrimary}
	if shift {
		ev.Modifier = fyne.KeyModifierShift
	}
	o.(desktop.Mouseable).MouseDown(ev)
	o.(desktop.Mouseable).MouseUp(ev)
}

// drag presses the primary button at one point and moves the pointer to another through a
// point half way, as the driver does: the object under the first point takes the drag.
func (f *essayFixture) drag(from, to fyne.Position) {
	o, at := f.objectAt(from, func(o fyne.CanvasObject) bool { _, ok := o.(fyne.Draggable); return ok })
	if _, ok := o.(*paragraphPointer); !ok {
		f.t.Fatalf("a drag at %v goes to a %T", from, o)
	}
	f.mouseDown(from, false) // the driver presses the button on the paragraph first
	origin := from.Subtract(at)
	half := fyne.NewPos((from.X+to.X)/2, (from.Y+to.Y)/2)
	for prev, p := from, half; ; prev, p = p, to {
		o.(fyne.Draggable).Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(origin), AbsolutePosition: p},
			Dragged: fyne.NewDelta(p.X-prev.X, p.Y-prev.Y)})
		if p == to {
			break
		}
	}
	o.(fyne.Draggable).DragEnd()
}

// doubleClick clicks twice at a point, as the driver does.
func (f *essayFixture) doubleClick(pos fyne.Position) {
	f.mouseDown(pos, false)
	f.mouseDown(pos, false)
	o, at := f.objectAt(pos, func(o fyne.CanvasObject) bool { _, ok := o.(fyne.DoubleTappable); return ok })
	o.(fyne.DoubleTappable).DoubleTapped(&fyne.PointEvent{Position: at, AbsolutePosition: pos})
}

// TestEssayPointerSelects selects with the mouse: a click puts the cursor, a drag selects
// across paragraphs (over them, and past the text's end), Shift+click stretches the
// selection, a double click selects a word and a third click the paragraph.
func TestEssayPointerSelects(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText("Prvi pasus.\nDrugi pasus.\nTreći pasus.")
	f.u.Win.Canvas().Unfocus()

	f.mouseDown(f.point(0, 5), false)
	f.wantState("Prvi |pasus.\nDrugi pasus.\nTreći pasus.")
	f.drag(f.point(0, 5), f.point(2, 6))
	f.wantState("Prvi ^pasus.\nDrugi pasus.\nTreći |pasus.")
	f.mouseDown(f.point(1, 3), true)
	f.wantState("Prvi ^pasus.\nDru|gi pasus.\nTreći pasus.")
	f.mouseDown(f.point(1, 3), false)
	f.wantState("Prvi pasus.\nDru|gi pasus.\nTreći pasus.")

	// Backwards, and down past the text: the end.
	f.drag(f.point(1, 3), f.point(0, 2))
	f.wantState("Pr|vi pasus.\nDru^gi pasus.\nTreći pasus.")
	below := fyne.CurrentApp().Driver().AbsolutePositionForObject(ed).Add(fyne.NewPos(40, ed.Size().Height-4))
	f.drag(f.point(1, 3), below)
	f.wantState("Prvi pasus.\nDru^gi pasus.\nTreći pasus.|")

	f.doubleClick(f.point(1, 2))
	f.wantState("Prvi pasus.\n^Drugi| pasus.\nTreći pasus.")
	f.mouseDown(f.point(1, 2), false)
	f.wantState("Prvi pasus.\n^Drugi pasus.|\nTreći pasus.")
	ed.doubleTapped = time.Now().Add(-time.Hour) // long after: a click puts the cursor
	f.mouseDown(f.point(1, 2), false)
	f.wantState("Prvi pasus.\nDr|ugi pasus.\nTreći pasus.")
}

// TestEssayContextMenu opens the editor's menu with the secondary button, in Serbian
// (Cyrillic): undo, redo, cut, copy, paste and select all in the candidate's language, and
// each does what it says.
func TestEssayContextMenu(t *testing.T) {
	f := newEssayFixtureIn(t, "sr-Cyrl")
	ed := f.editor()
	ed.SetText("један\nдва\nтри")
	ed.moveToOffset(ed.paras[1], 0)
	f.shifted(fyne.KeyDown)
	f.wantState("један\n^два\n|три")

	items := f.openMenu(f.point(2, 1))
	var labels []string
	for _, it := range items {
		labels = append(labels, it.Label)
	}
	want := []string{f.loc.T("fyne.undo", nil), f.loc.T("fyne.redo", nil), "", f.loc.T("fyne.cut", nil),
		f.loc.T("common.copy", nil), f.loc.T("fyne.paste", nil), f.loc.T("fyne.select_all", nil)}
	if !reflect.DeepEqual(labels, want) {
		t.Fatalf("the menu has %q, want %q", labels, want)
	}
	if !items[0].Disabled || !items[1].Disabled || items[3].Disabled {
		t.Fatalf("with nothing to undo and a selection, undo %v, redo %v, cut %v are disabled", items[0].Disabled, items[1].Disabled, items[3].Disabled)
	}
	if got := docState(ed.doc); got != "један\n^два\n|три" {
		t.Fatalf("with the menu open the editor holds %q: the secondary button moved the cursor", got)
	}
	f.tapMenu(items[3])
	f.wantState("један\n|три")
	if got := fyne.CurrentApp().Clipboard().Content(); got != "два\n" {
		t.Fatalf("cut %q", got)
	}
	f.tapMenu(f.openMenu(f.point(1, 1))[5]) // paste, at the cursor
	f.wantState("један\nдва\n|три")
	f.tapMenu(f.openMenu(f.point(1, 1))[0]) // undo
	f.wantState("један\n|три")
	f.tapMenu(f.openMenu(f.point(1, 1))[6]) // select all
	f.wantState("^један\nтри|")
	f.tapMenu(f.openMenu(f.point(1, 1))[4]) // copy
	if got := fyne.CurrentApp().Clipboard().Content(); got != "један\nтри" {
		t.Fatalf("copied %q", got)
	}
}

// menuEntry is an item of an open menu, and the widget that shows it.
type menuEntry struct {
	*fyne.MenuItem
	shown fyne.CanvasObject
}

// openMenu presses the secondary button at a point and returns the items of the menu that
// opens.
func (f *essayFixture) openMenu(pos fyne.Position) []menuEntry {
	f.t.Helper()
	o, at := f.objectAt(pos, func(o fyne.CanvasObject) bool { _, ok := o.(fyne.SecondaryTappable); return ok })
	o.(fyne.SecondaryTappable).TappedSecondary(&fyne.PointEvent{Position: at, AbsolutePosition: pos})
	top := f.u.Win.Canvas().Overlays().Top()
	if top == nil {
		f.t.Fatal("no menu opened")
	}
	for _, o := range test.LaidOutObjects(top) {
		if m, ok := o.(*widget.PopUpMenu); ok {
			var items []menuEntry
			for _, it := range m.Items {
				// The menu's item widgets are of Fyne's own type: their MenuItem is in a field.
				item := &fyne.MenuItem{IsSeparator: true}
				if v := reflect.ValueOf(it).Elem().FieldByName("Item"); v.IsValid() {
					item = v.Interface().(*fyne.MenuItem)
				}
				items = append(items, menuEntry{item, it})
			}
			return items
		}
	}
	f.t.Fatal("the overlay holds no menu")
	return nil
}

// tapMenu chooses an item of the open menu, which closes.
func (f *essayFixture) tapMenu(it menuEntry) {
	f.t.Helper()
	if it.Disabled {
		f.t.Fatalf("%q is disabled", it.Label)
	}
	test.Tap(it.shown.(fyne.Tappable))
	if f.u.Win.Canvas().Overlays().Top() != nil {
		f.t.Fatal("the menu stays open")
	}
}
