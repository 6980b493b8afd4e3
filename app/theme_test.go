package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"ispit/exam"
)

func TestThemeSizesGrowWithTheStep(t *testing.T) {
	for _, name := range []fyne.ThemeSizeName{theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon, theme.SizeNamePadding} {
		prev := theme.DefaultTheme().Size(name)
		for _, step := range []TextSize{TextNormal, TextLarge, TextLargest} {
			got := (&Theme{Text: step}).Size(name)
			if got <= prev {
				t.Errorf("%s at step %d is %v, not more than %v", name, step, got, prev)
			}
			prev = got
		}
	}
	if got := (&Theme{}).Size(theme.SizeNameText); got < 18 {
		t.Errorf("the normal text size %v is not large enough to read at ease", got)
	}
	if a, b := (&Theme{Text: 99}).Size(theme.SizeNameText), (&Theme{Text: TextLargest}).Size(theme.SizeNameText); a != b {
		t.Errorf("a step out of range gives %v, not the largest %v", a, b)
	}
}

// luminance is the WCAG relative luminance.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestHighContrastTheme(t *testing.T) {
	hc := &Theme{HighContrast: true}
	v := theme.VariantLight
	bg := hc.Color(theme.ColorNameBackground, v)
	for _, name := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameError} {
		if c := contrast(hc.Color(name, v), bg); c < 7 {
			t.Errorf("%s on the background has contrast %.1f:1, below WCAG AAA 7:1", name, c)
		}
	}
	if c := contrast(hc.Color(theme.ColorNameForeground, v), hc.Color(theme.ColorNameButton, v)); c < 7 {
		t.Errorf("text on a button has contrast %.1f:1", c)
	}
	if c := contrast(hc.Color(theme.ColorNameForegroundOnPrimary, v), hc.Color(theme.ColorNamePrimary, v)); c < 7 {
		t.Errorf("text on a primary button has contrast %.1f:1", c)
	}
	normal := &Theme{}
	if normal.Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("the normal theme follows the desktop's dark variant")
	}
	if hc.Size(theme.SizeNameInputBorder) <= normal.Size(theme.SizeNameInputBorder) {
		t.Error("high contrast does not thicken input borders")
	}
}

func TestLightThemeStatusTextIsReadable(t *testing.T) {
	light := &Theme{}
	v := theme.VariantLight
	bg := light.Color(theme.ColorNameBackground, v)
	for _, name := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError} {
		if c := contrast(light.Color(name, v), bg); c < 4.5 {
			t.Errorf("%s text on the background has contrast %.1f:1, below WCAG AA 4.5:1", name, c)
		}
	}
}

// An unticked box or radio button, and a text field, are drawn with the input border: it must
// show against the background and the field's own fill (WCAG 1.4.11, 3:1), and not be the grey
// of a disabled control.
func TestLightThemeControlsLookEnabled(t *testing.T) {
	light := &Theme{}
	v := theme.VariantLight
	border := light.Color(theme.ColorNameInputBorder, v)
	for _, name := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
		if c := contrast(border, light.Color(name, v)); c < 3 {
			t.Errorf("the input border on %s has contrast %.1f:1, below 3:1", name, c)
		}
	}
	if border == light.Color(theme.ColorNameDisabled, v) {
		t.Error("an enabled control's outline is the disabled grey")
	}
}

// The engine keeps the candidate's text-size step; its steps are the theme's.
func TestTextSizeStepsAreTheEngines(t *testing.T) {
	if TextLargest != TextSize(exam.MaxTextSize) || TextNormal != 0 {
		t.Errorf("the theme's steps run %d to %d, the engine's 0 to %d", TextNormal, TextLargest, exam.MaxTextSize)
	}
}
