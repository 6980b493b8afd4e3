package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TextSize is one of the kiosk's text-size steps.
type TextSize int

// The text-size steps, from the default (already larger than Fyne's own) up.
const (
	TextNormal TextSize = iota
	TextLarge
	TextLargest
)

// textScale is how much each step enlarges Fyne's default sizes.
var textScale = [...]float32{1.3, 1.6, 2.0}

// TextSizeMessage is the catalogue id naming a step.
func (s TextSize) TextSizeMessage() string {
	switch s {
	case TextLarge:
		return "a11y.text_size.large"
	case TextLargest:
		return "a11y.text_size.largest"
	}
	return "a11y.text_size.normal"
}

// clamp keeps a step in range.
func (s TextSize) clamp() TextSize { return min(max(s, TextNormal), TextLargest) }

// Theme is the kiosk's Fyne theme: large readable text in three steps, and a high-contrast
// variant (white and yellow on black). It always uses Fyne's light variant otherwise, so that
// the screen does not follow a desktop's dark setting in the middle of an exam.
type Theme struct {
	Text         TextSize
	HighContrast bool
}

var _ fyne.Theme = (*Theme)(nil)

var (
	hcBackground = color.NRGBA{A: 0xff}
	hcForeground = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	hcAccent     = color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0xff}
	hcButton     = color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff}
	hcDisabled   = color.NRGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}
)

// Color returns the theme's colours.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if !t.HighContrast {
		return lightColor(n)
	}
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground:
		return hcBackground
	case theme.ColorNameButton:
		return hcButton
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator,
		theme.ColorNameScrollBar, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return hcForeground
	case theme.ColorNameFocus:
		// Fyne fills a focused button with this over its own colour, under unchanged text.
		return color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0x60}
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameError,
		theme.ColorNameWarning, theme.ColorNameSuccess:
		return hcAccent
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnWarning:
		return hcBackground
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return hcDisabled
	case theme.ColorNameDisabledButton, theme.ColorNameHover, theme.ColorNamePressed:
		return color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xff}
	case theme.ColorNameSelection:
		return color.NRGBA{R: 0xff, G: 0xeb, B: 0x3b, A: 0x60}
	case theme.ColorNameShadow:
		return color.NRGBA{A: 0x00}
	}
	return theme.DefaultTheme().Color(n, theme.VariantDark)
}

// The light theme's colours that differ from Fyne's: status text dark enough to read on white
// (WCAG AA, 4.5:1), a focus mark that shows on blue and grey buttons alike, and the outline of
// an unticked box or radio button and of a text field dark enough to see (Fyne draws it in the
// grey it gives disabled controls, 1.3:1 on white: "Large" and "High contrast" looked
// unavailable).
var (
	lightSuccess     = color.NRGBA{R: 0x1b, G: 0x6e, B: 0x20, A: 0xff}
	lightWarning     = color.NRGBA{R: 0x9a, G: 0x4d, B: 0x00, A: 0xff}
	lightError       = color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff}
	lightFocus       = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x40}
	lightInputBorder = color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}
)

func lightColor(n fyne.ThemeColorName) color.Color {
	switch n {
	case theme.ColorNameSuccess:
		return lightSuccess
	case theme.ColorNameWarning:
		return lightWarning
	case theme.ColorNameError:
		return lightError
	case theme.ColorNameFocus:
		return lightFocus
	case theme.ColorNameInputBorder:
		return lightInputBorder
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// Font is Fyne's font, which covers Latin and Cyrillic.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon is Fyne's icon.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size scales Fyne's sizes with the text-size step: text and icons fully, spacing half as much.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	base := theme.DefaultTheme().Size(n)
	f := textScale[t.Text.clamp()]
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon, theme.SizeNameLineSpacing:
		return base * f
	case theme.SizeNamePadding, theme.SizeNameInnerPadding:
		return base * (1 + f) / 2
	case theme.SizeNameInputBorder, theme.SizeNameSeparatorThickness:
		if t.HighContrast {
			return base * 2
		}
	}
	return base
}
