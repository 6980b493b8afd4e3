package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// zeroWidthSpace starts every word segment of a bank text; see wrapSafe.
const zeroWidthSpace = "\u200b"

// markdown is a bank text (plain text with a small Markdown subset), wrapped at words.
func markdown(text string) *widget.RichText {
	r := widget.NewRichTextFromMarkdown(text)
	r.Segments = wrapSafe(r.Segments)
	r.Wrapping = fyne.TextWrapWord
	return r
}

// wrapSafe works around Fyne 2.7.1's word wrapping of rich text (fyne-io/fyne#4303, fixed
// after 2.7.1 by #6200): a segment that starts where not even one character fits on the row
// is broken after every character, one per line, and a long segment that starts near the end
// of a row is broken inside its first word. Every inline text becomes one segment per word,
// each starting with a zero-width space: a segment then always fits its first character, and
// Fyne moves a word that does not fit to the next row whole.
func wrapSafe(segments []widget.RichTextSegment) []widget.RichTextSegment {
	out := make([]widget.RichTextSegment, 0, len(segments))
	for _, s := range segments {
		switch s := s.(type) {
		case *widget.TextSegment:
			if !s.Style.Inline || s.Text == "" {
				out = append(out, s)
				continue
			}
			for _, word := range strings.SplitAfter(s.Text, " ") {
				if word != "" {
					out = append(out, &widget.TextSegment{Style: s.Style, Text: zeroWidthSpace + word})
				}
			}
		case *widget.ParagraphSegment:
			s.Texts = wrapSafe(s.Texts)
			out = append(out, s)
		case *widget.ListSegment:
			s.Items = wrapSafe(s.Items)
			out = append(out, s)
		default:
			out = append(out, s)
		}
	}
	return out
}
