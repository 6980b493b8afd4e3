package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"ispit/app/textedit"
)

// The written-task editor's keys and pointer: each turns into an edit or a move of the Doc
// (package textedit decides what it does to the text), which the editor then shows.

// typeRune types a character in place of the selection; a line break splits the paragraph.
func (t *essayText) typeRune(r rune) {
	if r == '\r' {
		return // the driver types Enter as a key
	}
	t.apply(t.doc.Type(r))
}

// typedKey does what a key does. Shift with the keys that move the cursor selects.
func (t *essayText) typedKey(name fyne.KeyName) {
	d := t.doc
	shift := t.shiftHeld()
	c := d.Cursor()
	from, to := d.Selection()
	switch name {
	case fyne.KeyTab:
		t.leave(shift)
	case fyne.KeyReturn, fyne.KeyEnter:
		t.apply(d.Type('\n'))
	case fyne.KeyBackspace:
		t.apply(d.Backspace())
	case fyne.KeyDelete:
		t.apply(d.Delete())
	case fyne.KeyLeft:
		if d.HasSelection() && !shift {
			t.moveTo(from, false) // to the selection's start, as in any text box
		} else {
			t.moveTo(d.Left(c), shift)
		}
	case fyne.KeyRight:
		if d.HasSelection() && !shift {
			t.moveTo(to, false)
		} else {
			t.moveTo(d.Right(c), shift)
		}
	case fyne.KeyUp, fyne.KeyDown:
		t.moveTo(t.vertical(name == fyne.KeyUp), shift)
	case fyne.KeyHome, fyne.KeyEnd:
		t.moveTo(t.rowEdge(name == fyne.KeyEnd), shift)
	case fyne.KeyPageUp:
		t.moveTo(textedit.Pos{}, shift)
	case fyne.KeyPageDown:
		t.moveTo(d.End(), shift)
	}
}

// shortcut does what a shortcut does: the clipboard, undo and redo, and with Ctrl the keys
// that move or delete by words or go to the text's start and end (selecting, with Shift).
func (t *essayText) shortcut(s fyne.Shortcut) {
	d := t.doc
	switch s := s.(type) {
	case *fyne.ShortcutPaste:
		if s.Clipboard != nil {
			t.apply(d.Insert(s.Clipboard.Content()))
		}
	case *fyne.ShortcutCopy:
		t.copyTo(s.Clipboard)
	case *fyne.ShortcutCut:
		t.cut(s.Clipboard)
	case *fyne.ShortcutSelectAll:
		d.SelectAll()
		t.show(true)
	case *fyne.ShortcutUndo:
		t.apply(d.Undo())
	case *fyne.ShortcutRedo:
		t.apply(d.Redo())
	case *desktop.CustomShortcut:
		shift := s.Modifier&fyne.KeyModifierShift != 0
		if s.Modifier&^fyne.KeyModifierShift != fyne.KeyModifierShortcutDefault {
			return
		}
		c := d.Cursor()
		switch s.KeyName {
		case fyne.KeyZ:
			if shift {
				t.apply(d.Redo())
			}
		case fyne.KeyHome:
			t.moveTo(textedit.Pos{}, shift)
		case fyne.KeyEnd:
			t.moveTo(d.End(), shift)
		case fyne.KeyLeft:
			t.moveTo(d.WordLeft(c), shift)
		case fyne.KeyRight:
			t.moveTo(d.WordRight(c), shift)
		case fyne.KeyBackspace:
			t.apply(d.DeleteTo(d.WordLeft(c)))
		case fyne.KeyDelete:
			t.apply(d.DeleteTo(d.WordRight(c)))
		}
	}
}

// copyTo puts the selected text on the clipboard, with a line break between paragraphs.
func (t *essayText) copyTo(c fyne.Clipboard) {
	if c != nil && t.doc.HasSelection() {
		c.SetContent(t.doc.Selected())
	}
}

// cut puts the selected text on the clipboard and deletes it.
func (t *essayText) cut(c fyne.Clipboard) {
	if c == nil || !t.doc.HasSelection() {
		return
	}
	t.copyTo(c)
	t.apply(t.doc.DeleteSelection())
}

// pointerDown puts the cursor where the primary button went down on paragraph p, selecting
// from where it was with Shift. Soon after a double click, it selects the paragraph.
func (t *essayText) pointerDown(p *essayEntry, ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return // the secondary button opens the menu on the selection as it is
	}
	i := t.index(p)
	if time.Since(t.doubleTapped) <= fyne.CurrentApp().Driver().DoubleTapDelay() {
		t.doubleTapped = time.Time{}
		t.doc.Select(textedit.Pos{Para: i}, textedit.Pos{Para: i, Off: p.length()})
		t.show(true)
		return
	}
	t.moveTo(textedit.Pos{Para: i, Off: p.offsetAt(ev.Position)}, ev.Modifier&fyne.KeyModifierShift != 0 || t.shiftHeld())
}

// dragTo selects from where the button went down to a point of paragraph p, or beyond it:
// over another paragraph, or above or below the text.
func (t *essayText) dragTo(p *essayEntry, pos fyne.Position) {
	y := p.Position().Y + pos.Y
	i := t.paragraphAt(y)
	q := t.paras[i]
	t.moveTo(textedit.Pos{Para: i, Off: q.offsetAt(fyne.NewPos(pos.X, y-q.Position().Y))}, true)
}

// selectWord selects the word at a point of paragraph p (a double click).
func (t *essayText) selectWord(p *essayEntry, pos fyne.Position) {
	from, to := t.doc.WordAt(textedit.Pos{Para: t.index(p), Off: p.offsetAt(pos)})
	t.doc.Select(from, to)
	t.doubleTapped = time.Now()
	t.show(true)
}

// showMenu opens the context menu at a point: undo, redo, cut, copy, paste, select all.
func (t *essayText) showMenu(at fyne.Position) {
	cv := t.canvas()
	if cv == nil {
		return
	}
	d := t.doc
	clip := fyne.CurrentApp().Clipboard()
	item := func(id string, enabled bool, do func()) *fyne.MenuItem {
		i := fyne.NewMenuItem(t.label(id), do)
		i.Disabled = !enabled
		return i
	}
	menu := fyne.NewMenu("",
		item("fyne.undo", d.CanUndo(), func() { t.apply(d.Undo()) }),
		item("fyne.redo", d.CanRedo(), func() { t.apply(d.Redo()) }),
		fyne.NewMenuItemSeparator(),
		item("fyne.cut", d.HasSelection(), func() { t.cut(clip) }),
		item("common.copy", d.HasSelection(), func() { t.copyTo(clip); t.show(true) }),
		item("fyne.paste", true, func() { t.apply(d.Insert(clip.Content())) }),
		item("fyne.select_all", true, func() { d.SelectAll(); t.show(true) }),
	)
	widget.ShowPopUpMenuAtPosition(menu, cv, at)
}

// AcceptsTab takes Tab, to move the focus out of the whole editor rather than to the next
// paragraph (a multi-line Entry would take it as text and trap the keyboard).
func (p *essayEntry) AcceptsTab() bool { return true }

// TypedKey hands the key to the editor.
func (p *essayEntry) TypedKey(ev *fyne.KeyEvent) { p.t.typedKey(ev.Name) }

// TypedRune hands the character to the editor.
func (p *essayEntry) TypedRune(r rune) { p.t.typeRune(r) }

// TypedShortcut hands the shortcut to the editor.
func (p *essayEntry) TypedShortcut(s fyne.Shortcut) { p.t.shortcut(s) }

// KeyDown notes Shift for the editor.
func (p *essayEntry) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		p.t.shift = true
	}
}

// KeyUp notes the release of Shift for the editor.
func (p *essayEntry) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		p.t.shift = false
	}
}

// MouseDown puts the cursor at the pointer, or selects to it with Shift.
func (p *essayEntry) MouseDown(ev *desktop.MouseEvent) { p.t.pointerDown(p, ev) }

// MouseUp ends nothing: the editor's selection is made as the pointer moves.
func (p *essayEntry) MouseUp(*desktop.MouseEvent) {}

// Dragged selects to the pointer, over the paragraph's edges where the paragraphPointer does
// not lie.
func (p *essayEntry) Dragged(ev *fyne.DragEvent) { p.t.dragTo(p, ev.Position) }

// DragEnd leaves the selection as the drag made it.
func (p *essayEntry) DragEnd() {}

// DoubleTapped selects the word at the pointer.
func (p *essayEntry) DoubleTapped(ev *fyne.PointEvent) { p.t.selectWord(p, ev.Position) }

// TappedSecondary opens the editor's context menu.
func (p *essayEntry) TappedSecondary(ev *fyne.PointEvent) { p.t.showMenu(ev.AbsolutePosition) }

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
