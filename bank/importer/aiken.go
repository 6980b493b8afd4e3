package importer

import (
	"fmt"
	"regexp"
	"strings"

	"ispit/bank"
)

// Aiken is the simplest multiple-choice format Moodle reads: the question, then one option a
// line written "A) text" or "A. text", then "ANSWER: A". Texts are plain.

var (
	aikenOption = regexp.MustCompile(`^([A-Z])[.)][ \t]+(.*)$`)
	aikenAnswer = regexp.MustCompile(`^ANSWER\s*:\s*(.*)$`)
)

// ParseAiken reads an Aiken file.
func ParseAiken(data []byte) (*Result, error) {
	lines, err := textLines(data, MaxTextFile)
	if err != nil {
		return nil, err
	}
	res := &Result{Format: FormatAiken}
	var (
		stem    []string
		options []string
		start   int
		number  int
	)
	reset := func() { stem, options = nil, nil }
	// incomplete reports a question that ended without its ANSWER line.
	incomplete := func() {
		if len(stem) == 0 && len(options) == 0 {
			return
		}
		number++
		name := plainExcerpt(strings.Join(stem, " "), 50)
		if len(options) == 0 {
			res.skip(name, fmt.Sprintf("line %d", start), "text with no options and no ANSWER line")
		} else {
			res.skip(name, fmt.Sprintf("line %d", start), "no ANSWER line after the options")
		}
		reset()
	}
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if m := aikenAnswer.FindStringSubmatch(t); m != nil {
			if len(stem) == 0 && len(options) == 0 {
				number++
				res.skip(fmt.Sprintf("question %d", number), fmt.Sprintf("line %d", i+1), "an ANSWER line with no question before it")
				continue
			}
			number++
			b := &builder{q: Question{Number: number, Where: fmt.Sprintf("line %d", start), Kind: bank.ItemChoice, Correct: -1}}
			b.setText(strings.Join(stem, "\n"), formatPlain)
			for _, o := range options {
				b.addOption(o, formatPlain)
			}
			letters := strings.ToUpper(strings.TrimSpace(m[1]))
			switch {
			case len(letters) == 1 && letters[0] >= 'A' && letters[0] <= 'Z':
				if k := int(letters[0] - 'A'); k < len(options) {
					b.q.Correct = k
				} else {
					b.fail("ANSWER names %s, but there are only %d options", letters, len(options))
				}
			case letters == "":
				b.fail("the ANSWER line names no option")
			case strings.Trim(letters, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ,;") == "":
				b.fail(whyMultipleResponse)
			default:
				b.fail("ANSWER %q does not name an option by its letter", m[1])
			}
			b.finish(res)
			reset()
			continue
		}
		if m := aikenOption.FindStringSubmatch(t); m != nil && len(stem) > 0 && int(m[1][0]-'A') == len(options) {
			options = append(options, m[2])
			continue
		}
		if m := aikenOption.FindStringSubmatch(t); m != nil && len(options) > 0 {
			number++
			res.skip(plainExcerpt(strings.Join(stem, " "), 50), fmt.Sprintf("line %d", start),
				"option %s on line %d is out of order (expected %s)", m[1], i+1, optionLetter(len(options)))
			reset()
			for j := i + 1; j < len(lines); j++ {
				// Skip the rest of the broken question, up to its ANSWER line.
				if aikenAnswer.MatchString(strings.TrimSpace(lines[j])) {
					lines[j] = ""
					break
				}
				lines[j] = ""
			}
			continue
		}
		if len(options) > 0 {
			incomplete()
		}
		if len(stem) == 0 {
			start = i + 1
		}
		stem = append(stem, t)
	}
	incomplete()
	return res, nil
}
