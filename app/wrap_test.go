package app

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

const wrapSample = "Kao viši stručni saradnik u Sektoru za pravne poslove, izradite rješenje o ovom zahtjevu: " +
	"**dispozitiv**, **obrazloženje** i **pouku o pravnom sredstvu**, bez navođenja brojeva članova. " +
	"U obrazloženju objasnite zašto se pristup odobrava *djelimično* i kako ste odmjerili javni interes."

// rowTexts lays r out at width and returns the text of every drawn piece.
func rowTexts(r *widget.RichText, width float32) []string {
	r.Resize(fyne.NewSize(width, r.MinSize().Height))
	var out []string
	for _, o := range test.WidgetRenderer(r).Objects() {
		if t, ok := o.(*canvas.Text); ok {
			out = append(out, strings.Trim(t.Text, zeroWidthSpace+" "))
		}
	}
	return out
}

func TestBankTextWrapsAtWordsAtEveryWidth(t *testing.T) {
	test.NewTempApp(t)
	words := map[string]bool{} // the words of each styled run of the text
	for _, s := range widget.NewRichTextFromMarkdown(wrapSample).Segments {
		if p, ok := s.(*widget.ParagraphSegment); ok {
			for _, s := range p.Texts {
				for _, w := range strings.Fields(s.Textual()) {
					words[w] = true
				}
			}
		}
		for _, w := range strings.Fields(s.Textual()) {
			words[w] = true
		}
	}
	for width := float32(120); width <= 1000; width++ {
		r := markdown(wrapSample)
		for _, piece := range rowTexts(r, width) {
			if piece == "" {
				continue
			}
			for _, w := range strings.Fields(piece) {
				if !words[w] {
					t.Fatalf("at %.0f px a row holds %q, which is not a whole word of the text (one letter: %v)", width, w, utf8.RuneCountInString(w) == 1)
				}
			}
		}
	}
}
