package console

import (
	"html/template"
	"regexp"
	"strings"
)

// A bank's texts (prompts, stems, grading guides) are plain text with the small Markdown
// subset of docs/bank-source.md: paragraphs separated by a blank line, *emphasis*, **strong**,
// and lists ("- item" or "1. item"). bankText shows them as HTML. Every line is escaped first,
// so that only the tags made here reach the page; the patterns are Go regular expressions,
// linear in the text.

var (
	strong   = regexp.MustCompile(`\*\*([^*\s](?:[^*\n]*[^*\s])?)\*\*`)
	emphasis = regexp.MustCompile(`\*([^*\s](?:[^*\n]*[^*\s])?)\*`)
	bullet   = regexp.MustCompile(`^\s*[-*+]\s+`)
	numbered = regexp.MustCompile(`^\s*\d{1,3}[.)]\s+`)
)

// bankText renders a bank text as HTML.
func bankText(text string) template.HTML {
	var out strings.Builder
	open := "" // the element open: "p", "ul", "ol" or ""
	closeOpen := func() {
		if open != "" {
			out.WriteString("</" + open + ">")
			open = ""
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			closeOpen()
			continue
		}
		kind := "p"
		switch {
		case bullet.MatchString(line):
			kind, line = "ul", bullet.ReplaceAllString(line, "")
		case numbered.MatchString(line):
			kind, line = "ol", numbered.ReplaceAllString(line, "")
		}
		inline := emphasis.ReplaceAllString(strong.ReplaceAllString(template.HTMLEscapeString(strings.TrimSpace(line)), "<strong>$1</strong>"), "<em>$1</em>")
		switch {
		case kind != open:
			closeOpen()
			out.WriteString("<" + kind + ">")
			open = kind
		case kind == "p":
			out.WriteString(" ")
		}
		if kind == "p" {
			out.WriteString(inline)
		} else {
			out.WriteString("<li>" + inline + "</li>")
		}
	}
	closeOpen()
	return template.HTML(out.String())
}
