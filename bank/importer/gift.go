package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ispit/bank"
)

// GIFT is Moodle's text format (docs.moodle.org/en/GIFT_format). Questions are separated by
// blank lines; lines starting with // are comments; ::title:: names a question; the answers
// stand in braces; \~ \= \# \{ \} \: \\ and \n are escapes. This parser follows Moodle's own
// (question/format/gift/format.php) so that a file reads as Moodle reads it.

// escBase moves an escaped GIFT character out of the way while a question is parsed: to the
// private use plane 15, where no text of a question has any business.
const escBase = 0xF0000

// giftEscape replaces GIFT's escapes with placeholders (and \n with a line break).
func giftEscape(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c >= escBase && c < escBase+0x80 {
			b.WriteRune('\uFFFD')
			continue
		}
		if c == '\\' && i+1 < len(rs) {
			switch n := rs[i+1]; n {
			case '\\', ':', '#', '=', '{', '}', '~':
				b.WriteRune(escBase + n)
				i++
				continue
			case 'n':
				b.WriteRune('\n')
				i++
				continue
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// giftUnescape puts the escaped characters back.
func giftUnescape(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= escBase && c < escBase+0x80 {
			return c - escBase
		}
		return c
	}, s)
}

// giftFormat reads the [html], [moodle], [plain] or [markdown] mark at the start of a text.
func giftFormat(s string, def textFormat) (textFormat, string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end > 0 {
			f, ok := map[string]textFormat{"html": formatHTML, "moodle": formatAuto, "plain": formatPlain, "markdown": formatMarkdown}[s[1:end]]
			if ok {
				return f, strings.TrimSpace(giftUnescape(s[end+1:]))
			}
		}
	}
	return def, strings.TrimSpace(giftUnescape(s))
}

// giftWeight is an answer weight, %50% or %-100%, as Moodle reads it.
var giftWeight = regexp.MustCompile(`^%(-*[0-9]{1,2}\.?[0-9]*)%`)

// ParseGIFT reads a GIFT file. lang is the language of the questions, for the options of a
// true/false question.
func ParseGIFT(data []byte, lang string) (*Result, error) {
	lines, err := textLines(data, MaxTextFile)
	if err != nil {
		return nil, err
	}
	p := &giftParser{res: &Result{Format: FormatGIFT}, lang: lang}
	var block []string
	var at []int
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			p.question(block, at)
			block, at = block[:0], at[:0]
		case strings.HasPrefix(t, "//"):
		default:
			block = append(block, t)
			at = append(at, i+1)
		}
	}
	p.question(block, at)
	return p.res, nil
}

type giftParser struct {
	res      *Result
	lang     string
	category string
	number   int
}

// question reads one block of lines; at holds each line's number.
func (p *giftParser) question(lines []string, at []int) {
	// Moodle would read lines after a category as part of its name; they are a question.
	for len(lines) > 0 && strings.HasPrefix(lines[0], "$CATEGORY:") {
		p.category = strings.TrimSpace(giftUnescape(giftEscape(lines[0][len("$CATEGORY:"):])))
		lines, at = lines[1:], at[1:]
	}
	if len(lines) == 0 {
		return
	}
	p.number++
	where := fmt.Sprintf("line %d", at[0])
	text := giftEscape(strings.Join(lines, "\n"))
	b := &builder{q: Question{Number: p.number, Where: where, Category: p.category, Correct: -1}}
	if strings.HasPrefix(text, "::") {
		text = text[2:]
		if end := strings.Index(text, "::"); end >= 0 {
			b.q.ID = strings.Join(strings.Fields(giftUnescape(text[:end])), " ")
			b.q.Name = b.q.ID
			text = strings.TrimSpace(text[end+2:])
		}
	}
	name := func(s string) string {
		if b.q.Name != "" {
			return b.q.Name
		}
		return plainExcerpt(giftUnescape(s), 50)
	}
	open, end := strings.IndexByte(text, '{'), strings.IndexByte(text, '}')
	switch {
	case open < 0 && end < 0:
		p.res.skip(name(text), where, whyDescription)
		return
	case open < 0 || end < open:
		p.res.skip(name(text), where, "unbalanced braces: write a brace of the text as \\{ or \\}")
		return
	case strings.ContainsAny(text[end+1:], "{}"):
		p.res.skip(name(text), where, "more than one answer block in braces")
		return
	}
	answer := strings.TrimSpace(text[open+1 : end])
	question := text[:open]
	if after := strings.TrimSpace(text[end+1:]); after != "" {
		question += "_____" + text[end+1:]
	}
	if i := strings.LastIndex(answer, "####"); i >= 0 {
		answer = strings.TrimSpace(answer[:i]) // general feedback: not shown on the kiosk
	}
	qformat, qtext := giftFormat(question, formatAuto)
	b.q.Name = name(qtext)

	switch {
	case answer == "":
		b.q.Kind = bank.ItemWritten
		b.setText(qtext, qformat)
	case answer[0] == '#':
		p.res.skip(b.q.Name, where, whyNumeric)
		return
	case strings.Contains(answer, "~"):
		b.q.Kind = bank.ItemChoice
		b.setText(qtext, qformat)
		p.choices(b, answer, qformat)
	case strings.Contains(answer, "=") && strings.Contains(answer, "->"):
		p.res.skip(b.q.Name, where, whyMatching)
		return
	default:
		tf := answer
		if i := strings.IndexByte(answer, '#'); i > 0 {
			tf = strings.TrimSpace(answer[:i])
		}
		switch tf {
		case "T", "TRUE":
			b.q.Correct = 0
		case "F", "FALSE":
			b.q.Correct = 1
		default:
			p.res.skip(b.q.Name, where, whyShortAnswer)
			return
		}
		b.q.Kind = bank.ItemChoice
		b.setText(qtext, qformat)
		words := trueFalseWords(p.lang)
		b.q.Options = []string{words[0], words[1]}
	}
	b.finish(p.res)
}

// choices reads the answers of a multiple-choice question: =right ~wrong ~%50%partial, each
// with an optional #feedback.
func (p *giftParser) choices(b *builder, answer string, format textFormat) {
	parts := strings.Split(strings.ReplaceAll(answer, "=", "~="), "~")
	if strings.TrimSpace(parts[0]) == "" {
		parts = parts[1:]
	}
	right, partial := 0, false
	for i, a := range parts {
		a = strings.TrimSpace(a)
		weight := 0.0
		if strings.HasPrefix(a, "=") {
			weight, a = 100, a[1:]
		} else if m := giftWeight.FindStringSubmatch(a); m != nil {
			w, err := strconv.ParseFloat(strings.TrimLeft(m[1], "-"), 64)
			if err == nil {
				weight = w
				if strings.HasPrefix(m[1], "-") {
					weight = -w
				}
				a = a[len(m[0]):]
			}
		}
		switch weight {
		case 100:
			right++
			b.q.Correct = i
		case 0:
		default:
			partial = true
		}
		text, _, _ := strings.Cut(a, "#") // the feedback is not shown on the kiosk
		f, text := giftFormat(text, format)
		b.addOption(text, f)
	}
	switch {
	case partial:
		b.fail(whyPartialCredit)
	case right == 0:
		b.fail(whyNoCorrect)
	case right > 1:
		b.fail(whyMultipleResponse)
	}
}
