package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// ctrlShift is Ctrl+Shift with a key, as the driver reports it.
func ctrlShift(key fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

// TestEssaySelectAcrossParagraphs selects with the keyboard across paragraphs: Shift with
// the arrows, Home and End, Ctrl+Shift with the arrows and Home, Ctrl+A. Typing replaces the
// selection, Backspace deletes it, and each is one undo step that brings the selection back.
func TestEssaySelectAcrossParagraphs(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText("Prvi pasus.\nDrugi pasus.\nTreći pasus.")
	ed.moveToOffset(ed.paras[0], 5)
	f.wantState("Prvi |pasus.\nDrugi pasus.\nTreći pasus.")

	x := f.cursorX()
	f.shifted(fyne.KeyDown)
	f.wantNear(1, x)
	f.shifted(fyne.KeyDown)
	f.wantNear(2, x)
	f.shifted(fyne.KeyEnd)
	f.wantState("Prvi ^pasus.\nDrugi pasus.\nTreći pasus.|")
	f.shortcut(ctrlShift(fyne.KeyLeft))
	f.wantState("Prvi ^pasus.\nDrugi pasus.\nTreći |pasus.")
	f.shifted(fyne.KeyUp)
	f.shifted(fyne.KeyHome)
	f.wantState("Prvi ^pasus.\n|Drugi pasus.\nTreći pasus.")
	f.shifted(fyne.KeyLeft) // across the line break
	f.wantState("Prvi ^pasus.|\nDrugi pasus.\nTreći pasus.")
	f.shifted(fyne.KeyRight)
	f.shifted(fyne.KeyRight)
	f.shifted(fyne.KeyRight)
	f.wantState("Prvi ^pasus.\nDr|ugi pasus.\nTreći pasus.")

	// Typing replaces the selection across the line break; undo brings it back, selected.
	f.typeText("X")
	f.wantState("Prvi X|ugi pasus.\nTreći pasus.")
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("Prvi ^pasus.\nDr|ugi pasus.\nTreći pasus.")

	// Without Shift, Left and Right go to the selection's start and end.
	f.press(fyne.KeyLeft)
	f.wantState("Prvi |pasus.\nDrugi pasus.\nTreći pasus.")
	f.shortcut(ctrlShift(fyne.KeyEnd))
	f.wantState("Prvi ^pasus.\nDrugi pasus.\nTreći pasus.|")
	f.shortcut(ctrlShift(fyne.KeyHome))
	f.wantState("|Prvi ^pasus.\nDrugi pasus.\nTreći pasus.")
	f.press(fyne.KeyRight)
	f.wantState("Prvi |pasus.\nDrugi pasus.\nTreći pasus.")

	// Ctrl+A selects everything; Backspace deletes it, and Ctrl+Z brings it back.
	f.shortcut(&fyne.ShortcutSelectAll{})
	f.wantState("^Prvi pasus.\nDrugi pasus.\nTreći pasus.|")
	f.press(fyne.KeyBackspace)
	f.wantState("|")
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("^Prvi pasus.\nDrugi pasus.\nTreći pasus.|")
	f.shortcut(&fyne.ShortcutRedo{})
	f.wantState("|")
}

// TestEssayClipboardAcrossParagraphs copies, cuts and pastes a stretch across paragraphs:
// the clipboard has its line breaks, a paste of them makes paragraphs, and undo and redo (Ctrl+Z,
// Ctrl+Y, Ctrl+Shift+Z) go back and forth through the cut and the paste.
func TestEssayClipboardAcrossParagraphs(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText("jedan\ndva\ntri\nčetiri")
	ed.moveToOffset(ed.paras[0], 2)
	for range 3 {
		f.shortcut(ctrlShift(fyne.KeyRight))
	}
	f.wantState("je^dan\ndva|\ntri\nčetiri")

	clip := &clipboard{}
	f.shortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if clip.text != "dan\ndva" {
		t.Fatalf("copied %q", clip.text)
	}
	clip.text = ""
	f.shortcut(&fyne.ShortcutCut{Clipboard: clip})
	if clip.text != "dan\ndva" {
		t.Fatalf("cut %q", clip.text)
	}
	f.wantState("je|\ntri\nčetiri")
	f.shortcut(ctrl(fyne.KeyEnd))
	f.shortcut(&fyne.ShortcutPaste{Clipboard: clip})
	f.wantState("je\ntri\nčetiridan\ndva|")

	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("je\ntri\nčetiri|")
	f.shortcut(&fyne.ShortcutUndo{})
	f.wantState("je^dan\ndva|\ntri\nčetiri")
	f.shortcut(&fyne.ShortcutRedo{}) // Ctrl+Y
	f.wantState("je|\ntri\nčetiri")
	f.shortcut(ctrlShift(fyne.KeyZ))
	f.wantState("je\ntri\nčetiridan\ndva|")
	f.shortcut(ctrlShift(fyne.KeyZ)) // nothing more to redo
	f.wantState("je\ntri\nčetiridan\ndva|")

	// Copying nothing leaves the clipboard as it was; cutting nothing changes nothing.
	f.shortcut(&fyne.ShortcutCopy{Clipboard: clip})
	f.shortcut(&fyne.ShortcutCut{Clipboard: clip})
	if clip.text != "dan\ndva" {
		t.Fatalf("the clipboard holds %q", clip.text)
	}
	f.wantState("je\ntri\nčetiridan\ndva|")
}

// TestEssayUndoSplitsAndJoins undoes and redoes Enter, Backspace and Delete across
// paragraphs, and typing in steps of a word.
func TestEssayUndoSplitsAndJoins(t *testing.T) {
	f := newEssayFixture(t)
	f.typeText("Prvi pasus")
	f.press(fyne.KeyReturn)
	f.typeText("Drugi")
	f.press(fyne.KeyHome, fyne.KeyBackspace) // a join
	f.wantState("Prvi pasus|Drugi")
	f.press(fyne.KeyLeft, fyne.KeyLeft, fyne.KeyReturn) // a split
	f.wantState("Prvi pas\n|usDrugi")
	f.shortcut(ctrl(fyne.KeyEnd))
	f.press(fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyLeft, fyne.KeyReturn)
	f.wantState("Prvi pas\nus\n|Drugi")
	f.press(fyne.KeyUp, fyne.KeyEnd, fyne.KeyDelete) // a join with Delete
	f.wantState("Prvi pas\nus|Drugi")

	for _, want := range []string{
		"Prvi pas\nus|\nDrugi",
		"Prvi pas\nus|Drugi",
		"Prvi pas|usDrugi",
		"Prvi pasus\n|Drugi",
		"Prvi pasus\n|",
		"Prvi pasus|",
		"Prvi |",
		"|",
	} {
		f.shortcut(&fyne.ShortcutUndo{})
		f.wantState(want)
	}
	f.shortcut(&fyne.ShortcutUndo{}) // nothing more to undo
	f.wantState("|")
	for _, want := range []string{
		"Prvi |",
		"Prvi pasus|",
		"Prvi pasus\n|",
		"Prvi pasus\nDrugi|",
		"Prvi pasus|Drugi",
		"Prvi pas\n|usDrugi",
		"Prvi pas\nus\n|Drugi",
		"Prvi pas\nus|Drugi",
	} {
		f.shortcut(&fyne.ShortcutRedo{})
		f.wantState(want)
	}
}

// TestEssayUpDownKeepTheirAim moves down through a short paragraph and on: the cursor comes
// back to where it was from the left, as in any text box.
func TestEssayUpDownKeepTheirAim(t *testing.T) {
	f := newEssayFixture(t)
	ed := f.editor()
	ed.SetText("Podnosilac zahtjeva traži pristup.\nab\nPodnosilac zahtjeva traži pristup.")
	ed.moveToOffset(ed.paras[0], 20)
	x := f.cursorX()
	f.press(fyne.KeyDown)
	f.wantState("Podnosilac zahtjeva traži pristup.\nab|\nPodnosilac zahtjeva traži pristup.")
	f.press(fyne.KeyDown)
	f.wantState("Podnosilac zahtjeva traži pristup.\nab\nPodnosilac zahtjeva |traži pristup.")
	f.press(fyne.KeyUp, fyne.KeyUp)
	f.wantState("Podnosilac zahtjeva |traži pristup.\nab\nPodnosilac zahtjeva traži pristup.")
	if got := f.cursorX(); got != x {
		t.Errorf("back on the first paragraph the cursor is %v from the left, not %v", got, x)
	}
	// A move of another kind forgets the aim.
	f.press(fyne.KeyDown, fyne.KeyLeft)
	x = f.cursorX()
	f.press(fyne.KeyDown)
	f.wantNear(2, x)
}
