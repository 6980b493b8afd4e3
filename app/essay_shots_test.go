package app

import (
	"fmt"
	"os"
	"testing"

	"fyne.io/fyne/v2"
)

// TestEssayScreen shows a written task with an answer in paragraphs, the cursor in the
// second, at the smallest and a large screen size, in the usual theme and in high contrast
// with the largest text: the screen fits its window, and the paragraphs stack inside the
// editor's box. With ISPIT_SHOTS set to a folder, each screen is saved there as a PNG.
func TestEssayScreen(t *testing.T) {
	shots := os.Getenv("ISPIT_SHOTS")
	for _, c := range []struct {
		size fyne.Size
		th   Theme
	}{
		{fyne.NewSize(1024, 768), Theme{}},
		{fyne.NewSize(1920, 1080), Theme{}},
		{fyne.NewSize(1024, 768), Theme{Text: TextLargest, HighContrast: true}},
	} {
		name := fmt.Sprintf("%gx%g-text%d-contrast%v", c.size.Width, c.size.Height, c.th.Text, c.th.HighContrast)
		t.Run(name, func(t *testing.T) {
			f := newEssayFixture(t)
			f.u.setTheme(c.th)
			f.u.Win.Resize(c.size)
			ed := f.editor()
			ed.SetText("Rješenje\n\nOdobrava se djelimičan pristup informacijama: ministarstvo novinaru dostavlja kopije sva tri ugovora, bez priloga s tehničkom dokumentacijom dobavljača.\n" +
				"\nObrazloženje\n\n" + essayOf(260, 90))
			f.u.Win.Canvas().Focus(ed)
			f.press(fyne.KeyDown, fyne.KeyDown, fyne.KeyDown, fyne.KeyEnd)
			f.typeText(" Uz to")
			if _, i := f.focused(); i != 2 {
				t.Fatalf("the cursor is in paragraph %d", i)
			}

			if min := f.u.Win.Content().MinSize(); min.Width > c.size.Width || min.Height > c.size.Height {
				t.Errorf("the screen needs %v, more than the window's %v", min, c.size)
			}
			box := ed.scroll.Size()
			for i, p := range ed.paras {
				if p.Size().Width != box.Width {
					t.Errorf("paragraph %d is %v wide in a box %v wide", i, p.Size().Width, box.Width)
				}
			}
			if shots == "" {
				return
			}
			saveScreen(t, f.u, shots, "essay-"+name)
		})
	}
}
