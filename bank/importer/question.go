package importer

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"ispit/bank"
)

// builder assembles a question and collects what keeps it from being imported.
type builder struct {
	q        Question
	problems []string
	// resolve reads an image a text refers to; nil when the input carries no files.
	resolve func(src string) (*Image, error)
}

func (b *builder) fail(format string, args ...any) {
	if len(b.problems) >= maxReasons {
		return
	}
	p := fmt.Sprintf(format, args...)
	for _, q := range b.problems {
		if q == p {
			return
		}
	}
	b.problems = append(b.problems, p)
}

func (b *builder) note(format string, args ...any) {
	b.q.Notes = append(b.q.Notes, fmt.Sprintf(format, args...))
}

// setText sets the stem or prompt.
func (b *builder) setText(s string, f textFormat) {
	r := reduce(s, f, false)
	b.q.Text = r.text
	for _, p := range r.problems {
		b.fail("the question has %s", p)
	}
	for _, src := range r.images {
		b.image(src)
	}
}

// setTextNodes sets the stem or prompt from the nodes of a QTI item.
func (b *builder) setTextNodes(nodes []*node) {
	r := reduceNodes(nodes, false)
	b.q.Text = r.text
	for _, p := range r.problems {
		b.fail("the question has %s", p)
	}
	for _, src := range r.images {
		b.image(src)
	}
}

// addOption adds an option of a multiple-choice question.
func (b *builder) addOption(s string, f textFormat) {
	b.addReduced(reduce(s, f, true))
}

func (b *builder) addOptionNodes(nodes []*node) {
	b.addReduced(reduceNodes(nodes, true))
}

func (b *builder) addReduced(r rich) {
	letter := optionLetter(len(b.q.Options))
	for _, p := range r.problems {
		b.fail("option %s has %s", letter, p)
	}
	if len(r.images) > 0 {
		b.fail("option %s shows an image; the kiosk shows options as text", letter)
	}
	b.q.Options = append(b.q.Options, r.text)
}

func optionLetter(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprint(i + 1)
}

// image sets the question's image, read from src.
func (b *builder) image(src string) {
	var img *Image
	var err error
	switch {
	case strings.HasPrefix(strings.ToLower(src), "data:"):
		img, err = dataImage(src)
	case b.resolve == nil:
		err = fmt.Errorf("image %s is not carried in the file", shortName(src))
	default:
		img, err = b.resolve(src)
	}
	if err != nil {
		b.fail("%v", err)
		return
	}
	if b.q.Image != nil {
		if !bytes.Equal(b.q.Image.Data, img.Data) {
			b.fail("more than one image; the kiosk shows one per question")
		}
		return
	}
	b.q.Image = img
}

// shortName shortens a file name or address for a report.
func shortName(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

// dataImage decodes a data: address (RFC 2397) holding a base64 image.
func dataImage(src string) (*Image, error) {
	meta, data, ok := strings.Cut(src[len("data:"):], ",")
	if !ok || !strings.HasSuffix(strings.ToLower(meta), ";base64") {
		return nil, fmt.Errorf("an image in the text is a data address that is not base64")
	}
	data = strings.Map(func(c rune) rune {
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			return -1
		}
		return c
	}, data)
	if len(data) > MaxImage/3*4+8 {
		return nil, fmt.Errorf("an image in the text is larger than %d bytes", MaxImage)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(data); err != nil {
			return nil, fmt.Errorf("an image in the text is not valid base64")
		}
	}
	return prepareImage("data:", raw)
}

// finish checks the question against what the bank accepts and adds it to res, or adds it
// as skipped with every reason found.
func (b *builder) finish(res *Result) {
	q := &b.q
	if q.Name == "" {
		q.Name = plainExcerpt(q.Text, 50)
	}
	if q.Name == "" {
		q.Name = fmt.Sprintf("question %d", q.Number)
	}
	if len(b.problems) == 0 {
		switch {
		case strings.TrimSpace(q.Text) == "":
			b.fail("the question has no text")
		case len(q.Text) > maxText:
			b.fail("the question's text is %d bytes; the bank takes at most %d", len(q.Text), maxText)
		}
		if q.Kind == bank.ItemChoice {
			switch n := len(q.Options); {
			case n < bank.MinOptions:
				b.fail("it has %d option(s); the kiosk needs %d to %d", n, bank.MinOptions, bank.MaxOptions)
			case n > bank.MaxOptions:
				b.fail("it has %d options; the kiosk shows %d to %d", n, bank.MinOptions, bank.MaxOptions)
			}
			for i, o := range q.Options {
				switch {
				case strings.TrimSpace(o) == "":
					b.fail("option %s is empty", optionLetter(i))
				case len(o) > maxText:
					b.fail("option %s is longer than %d bytes", optionLetter(i), maxText)
				}
			}
			if q.Correct < 0 || q.Correct >= len(q.Options) {
				b.fail("it has no correct option")
			}
			seen := map[string]int{}
			for i, o := range q.Options {
				if j, dup := seen[o]; dup {
					b.note("options %s and %s read the same", optionLetter(j), optionLetter(i))
				}
				seen[o] = i
			}
		}
	}
	if len(b.problems) > 0 {
		res.Skipped = append(res.Skipped, Skipped{Name: q.Name, Where: q.Where, Reason: strings.Join(b.problems, "; ")})
		return
	}
	res.Questions = append(res.Questions, *q)
}

// skip adds a question that does not map at all.
func (res *Result) skip(name, where, format string, args ...any) {
	if strings.TrimSpace(name) == "" {
		name = "(no name)"
	}
	res.Skipped = append(res.Skipped, Skipped{Name: name, Where: where, Reason: fmt.Sprintf(format, args...)})
}

// Reasons for skipping a question, by kind, shared by the formats.
const (
	whyMultipleResponse = "multiple response (more than one answer is correct): the kiosk takes one answer per question"
	whyPartialCredit    = "partial or negative credit: the kiosk scores one correct option, all or nothing"
	whyMatching         = "matching: the kiosk has single-answer multiple choice and written tasks only"
	whyNumeric          = "numeric answer: the kiosk has no typed answers"
	whyShortAnswer      = "short answer: the kiosk has no typed answers"
	whyCloze            = "cloze (answers inside the text): the kiosk has no embedded answers"
	whyDragDrop         = "drag and drop: the kiosk has single-answer multiple choice and written tasks only"
	whyDescription      = "a description, not a question"
	whyNoCorrect        = "no option is marked correct"
	whyOrdering         = "ordering: the kiosk has single-answer multiple choice and written tasks only"
	whyCalculated       = "calculated (a formula with variables): the kiosk has no typed answers"
	whyRandom           = "a random question (a rule to draw questions), not a question"
	whyUpload           = "the answer is an uploaded file: the kiosk takes typed answers only"
)
