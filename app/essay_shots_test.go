package app

import (
	"fmt"
	"os"
	"strings"
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

// TestEssaySelectionScreen selects with the mouse from the middle of one paragraph to the
// middle of another, in Serbian (Cyrillic) and Albanian, and opens the editor's menu: the
// selection is drawn in the three paragraphs it takes part of, over their rows. With
// ISPIT_SHOTS set to a folder, the screens are saved there as PNGs.
func TestEssaySelectionScreen(t *testing.T) {
	shots := os.Getenv("ISPIT_SHOTS")
	for lang, text := range map[string]string{
		"sr-Cyrl": "Рјешење\nОдобрава се дјелимичан приступ информацијама: министарство новинару доставља копије сва три уговора, без прилога с техничком документацијом добављача.\nОбразложење\nЗахтјев је поднесен у року.",
		"sq":      "Vendim\nMiratohet qasja e pjesshme në informacion: ministria i dërgon gazetarit kopjet e të tri kontratave, pa shtojcat me dokumentacionin teknik të furnizuesit.\nArsyetim\nKërkesa është paraqitur në afat.",
	} {
		t.Run(lang, func(t *testing.T) {
			f := newEssayFixtureIn(t, lang)
			f.editor().SetText(text)
			f.drag(f.point(1, 20), f.point(3, 7))
			paras := strings.Split(text, "\n")
			from, to := []rune(paras[1]), []rune(paras[3])
			f.wantState(strings.Join([]string{paras[0], string(from[:20]) + "^" + string(from[20:]), paras[2], string(to[:7]) + "|" + string(to[7:])}, "\n"))
			for i, p := range f.editor().paras {
				row, _ := p.rowCol(20)
				want := map[int]int{1: p.lines() - row, 2: 1, 3: 1}[i]
				if len(p.r.marks) != want {
					t.Errorf("paragraph %d draws the selection in %d rectangles, want %d", i, len(p.r.marks), want)
				}
			}
			if min := f.u.Win.Content().MinSize(); min.Width > 1024 || min.Height > 768 {
				t.Errorf("the screen needs %v", min)
			}
			if shots != "" {
				saveScreen(t, f.u, shots, "essay-selection-"+lang)
			}
			f.openMenu(f.point(2, 3))
			if shots != "" {
				saveScreen(t, f.u, shots, "essay-menu-"+lang)
			}
		})
	}
}
