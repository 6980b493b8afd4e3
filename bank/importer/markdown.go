package importer

import (
	"html"
	"strings"
)

// Markdown (GIFT's [markdown], Moodle's markdown format) is turned into HTML here and then
// reduced like any HTML text. This is not a full CommonMark implementation: it knows the
// constructs a question text uses — paragraphs, headings, lists, quotes, code, emphasis, links,
// images, escapes, entities and inline HTML — and it runs in time linear in the text, whatever
// the text (a general Markdown library takes quadratic time on some inputs, such as thousands
// of unclosed links or nested quotes).

// markdownToHTML converts Markdown into HTML.
func markdownToHTML(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "") // NUL marks a hard break below
	var (
		out   strings.Builder
		para  []string // lines of the open paragraph
		item  []string // lines of the open list item
		list  string   // "ul" or "ol" while a list is open
		fence string   // the fence of an open code block
		open  bool     // a list item is open
	)
	flushPara := func() {
		if len(para) > 0 {
			out.WriteString("<p>" + mdInline(joinLines(para)) + "</p>\n")
			para = para[:0]
		}
	}
	flushItem := func() {
		if open {
			out.WriteString("<li>" + mdInline(joinLines(item)) + "</li>\n")
			item, open = item[:0], false
		}
	}
	closeList := func() {
		flushItem()
		if list != "" {
			out.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if fence != "" {
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				out.WriteString("</pre>\n")
				fence = ""
			} else {
				out.WriteString(html.EscapeString(line) + "\n")
			}
			continue
		}
		t := stripQuotes(line)
		trimmed := strings.TrimSpace(t)
		switch {
		case trimmed == "":
			flushPara()
			flushItem()
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			flushPara()
			closeList()
			fence = trimmed[:3]
			out.WriteString("<pre>")
		case heading(trimmed) != "":
			flushPara()
			closeList()
			out.WriteString("<h3>" + mdInline(heading(trimmed)) + "</h3>\n")
		case len(para) > 0 && (strings.Trim(trimmed, "=") == "" || strings.Trim(trimmed, "-") == ""):
			// A setext heading: the paragraph above is its text.
			out.WriteString("<h3>" + mdInline(joinLines(para)) + "</h3>\n")
			para = para[:0]
		case thematicBreak(trimmed):
			flushPara()
			closeList()
			out.WriteString("<hr>\n")
		default:
			if kind, rest, ok := listMarker(trimmed); ok {
				flushPara()
				if list != kind {
					closeList()
					out.WriteString("<" + kind + ">\n")
					list = kind
				}
				flushItem()
				item, open = append(item, rest), true
				continue
			}
			if open {
				item = append(item, t) // a lazy continuation of the item
				continue
			}
			closeList()
			para = append(para, t)
		}
	}
	flushPara()
	closeList()
	if fence != "" {
		out.WriteString("</pre>")
	}
	return out.String()
}

// stripQuotes removes the > marks of block quotes (a quote reads as its paragraphs) and the
// indentation before them.
func stripQuotes(line string) string {
	for {
		t := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(t, ">") {
			return line
		}
		line = strings.TrimPrefix(t[1:], " ")
	}
}

// heading returns the text of an ATX heading (# Title), or "".
func heading(t string) string {
	h := strings.TrimLeft(t, "#")
	if n := len(t) - len(h); n == 0 || n > 6 || h != "" && h[0] != ' ' && h[0] != '\t' {
		return ""
	}
	h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
	if h == "" {
		return " "
	}
	return h
}

// thematicBreak reports whether a line is a rule: three or more *, - or _ and spaces.
func thematicBreak(t string) bool {
	if t == "" || !strings.ContainsRune("*-_", rune(t[0])) {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case t[0]:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// listMarker reads the marker of a list item: -, + or * (a bulleted list), or a number with
// . or ) (a numbered one).
func listMarker(t string) (kind, rest string, ok bool) {
	if t[0] == '-' || t[0] == '+' || t[0] == '*' {
		if len(t) == 1 {
			return "ul", "", true
		}
		if t[1] == ' ' || t[1] == '\t' {
			return "ul", strings.TrimSpace(t[2:]), true
		}
		return "", "", false
	}
	d := 0
	for d < len(t) && d < 10 && t[d] >= '0' && t[d] <= '9' {
		d++
	}
	if d == 0 || d > 9 || d >= len(t) || (t[d] != '.' && t[d] != ')') {
		return "", "", false
	}
	if d+1 == len(t) {
		return "ol", "", true
	}
	if t[d+1] == ' ' || t[d+1] == '\t' {
		return "ol", strings.TrimSpace(t[d+2:]), true
	}
	return "", "", false
}

// joinLines joins the lines of a paragraph: a line ending in two spaces or a backslash ends
// with a hard break.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		l = strings.TrimLeft(l, " \t")
		hard := false
		if i < len(lines)-1 {
			switch {
			case strings.HasSuffix(l, "  "):
				hard = true
			case strings.HasSuffix(l, "\\") && (len(l)-len(strings.TrimRight(l, "\\")))%2 == 1:
				l, hard = l[:len(l)-1], true
			}
		}
		l = strings.TrimRight(l, " \t")
		b.WriteString(l)
		if hard {
			b.WriteString("\x00") // a hard break, made <br> by mdInline
		}
	}
	return b.String()
}

// delim is a run of * or _ that may open or close emphasis.
type delim struct {
	char             byte
	n                int // characters not yet used
	canOpen, canClos bool
	closes, opens    []string
}

// mdToken is a piece of a paragraph: HTML ready to write, or a delimiter run.
type mdToken struct {
	html string
	d    *delim
}

// mdInline converts the inline Markdown of a paragraph into HTML.
func mdInline(s string) string {
	n := len(s)
	// Code spans: a run of backticks up to the next run of the same length.
	type run struct{ at, n int }
	var runs []run
	for i := 0; i < n; {
		if s[i] != '`' || escaped(s, i) {
			i++
			continue
		}
		j := i
		for j < n && s[j] == '`' {
			j++
		}
		runs = append(runs, run{i, j - i})
		i = j
	}
	codeEnd := map[int]int{} // start of a code span's opening run → end of its closing run
	byLen := map[int][]int{}
	for k, r := range runs {
		byLen[r.n] = append(byLen[r.n], k)
	}
	next := map[int]int{} // for each length, the index in byLen of the next candidate closer
	inCode := -1
	for k, r := range runs {
		if r.at < inCode {
			continue
		}
		list := byLen[r.n]
		p := next[r.n]
		for p < len(list) && list[p] <= k {
			p++
		}
		next[r.n] = p
		if p < len(list) {
			c := runs[list[p]]
			codeEnd[r.at] = c.at + c.n
			inCode = c.at + c.n
			next[r.n] = p + 1
		}
	}
	// Brackets: each [ with its ], and the ) after a ](.
	closeOf := map[int]int{}
	var stack []int
	for i := 0; i < n; i++ {
		if end, ok := codeEnd[i]; ok {
			i = end - 1
			continue
		}
		switch {
		case s[i] == '\\':
			i++
		case s[i] == '[':
			stack = append(stack, i)
		case s[i] == ']' && len(stack) > 0:
			closeOf[stack[len(stack)-1]] = i
			stack = stack[:len(stack)-1]
		}
	}
	nextParen := make([]int, n+1)
	nextParen[n] = -1
	for i := n - 1; i >= 0; i-- {
		nextParen[i] = nextParen[i+1]
		if s[i] == ')' {
			nextParen[i] = i
		}
	}
	nextGT := make([]int, n+1)
	nextGT[n] = -1
	for i := n - 1; i >= 0; i-- {
		nextGT[i] = nextGT[i+1]
		if s[i] == '>' {
			nextGT[i] = i
		}
	}
	// destination returns the end of the (destination) after a link's ], or -1.
	destination := func(close int) int {
		if close+1 < n && s[close+1] == '(' {
			return nextParen[close+1]
		}
		return -1
	}

	var toks []mdToken
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			toks = append(toks, mdToken{html: text.String()})
			text.Reset()
		}
	}
	skipAt := map[int]int{} // the ] of a link → the end of its destination
	for i := 0; i < n; i++ {
		if end, ok := skipAt[i]; ok {
			i = end
			continue
		}
		c := s[i]
		switch {
		case c == 0:
			text.WriteString("<br>")
		case c == '\\' && i+1 < n && isASCIIPunct(rune(s[i+1])):
			text.WriteString(html.EscapeString(s[i+1 : i+2]))
			i++
		case c == '`' && codeEnd[i] > 0:
			end := codeEnd[i]
			k := i
			for k < end && s[k] == '`' {
				k++
			}
			text.WriteString(html.EscapeString(strings.TrimSpace(s[k : end-(k-i)])))
			i = end - 1
		case c == '!' && i+1 < n && s[i+1] == '[' && closeOf[i+1] > 0 && destination(closeOf[i+1]) > 0:
			close := closeOf[i+1]
			end := destination(close)
			src := strings.Fields(s[close+2 : end])
			if len(src) > 0 {
				text.WriteString(`<img src="` + html.EscapeString(strings.Trim(src[0], "<>")) + `">`)
			}
			i = end
		case c == '[' && closeOf[i] > 0 && destination(closeOf[i]) > 0:
			skipAt[closeOf[i]] = destination(closeOf[i]) // the link's text stays, its address goes
		case c == '<' && nextGT[i] > 0 && i+1 < n && (isASCIILetter(s[i+1]) || strings.ContainsRune("/!?", rune(s[i+1]))):
			end := nextGT[i]
			if inner := s[i+1 : end]; !strings.ContainsAny(inner, " \t\n") && (strings.Contains(inner, "://") || strings.Contains(inner, "@")) {
				text.WriteString(html.EscapeString(inner)) // an autolink: its address
			} else {
				text.WriteString(s[i : end+1]) // inline HTML, for the HTML reduction
			}
			i = end
		case c == '&' && entityLike([]rune(s[i+1:min(n, i+34)])):
			text.WriteByte('&') // an entity, decoded by the HTML reduction
		case c == '*' || c == '_':
			j := i
			for j < n && s[j] == c {
				j++
			}
			flush()
			toks = append(toks, mdToken{d: newDelim(s, i, j)})
			i = j - 1
		case c == '<':
			text.WriteString("&lt;")
		case c == '>':
			text.WriteString("&gt;")
		case c == '&':
			text.WriteString("&amp;")
		default:
			text.WriteByte(c)
		}
	}
	flush()
	matchEmphasis(toks)
	var out strings.Builder
	for _, t := range toks {
		if t.d == nil {
			out.WriteString(t.html)
			continue
		}
		for _, tag := range t.d.closes {
			out.WriteString(tag)
		}
		out.WriteString(strings.Repeat(string(t.d.char), t.d.n))
		for _, tag := range t.d.opens {
			out.WriteString(tag)
		}
	}
	return out.String()
}

func escaped(s string, i int) bool {
	k := 0
	for i-k-1 >= 0 && s[i-k-1] == '\\' {
		k++
	}
	return k%2 == 1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// newDelim sizes up the run s[i:j] of * or _ by what stands on either side of it.
func newDelim(s string, i, j int) *delim {
	before, after := ' ', ' '
	if i > 0 {
		before = lastRune(s[:i])
	}
	if j < len(s) {
		after = []rune(s[j:min(len(s), j+4)])[0]
	}
	space := func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == 0 }
	punct := func(r rune) bool { return r < 0x80 && isASCIIPunct(r) }
	left := !space(after) && (!punct(after) || space(before) || punct(before))
	right := !space(before) && (!punct(before) || space(after) || punct(after))
	d := &delim{char: s[i], n: j - i, canOpen: left, canClos: right}
	if d.char == '_' {
		d.canOpen = left && (!right || punct(before))
		d.canClos = right && (!left || punct(after))
	}
	return d
}

func lastRune(s string) rune {
	r := []rune(s[max(0, len(s)-4):])
	return r[len(r)-1]
}

// matchEmphasis pairs the delimiter runs into emphasis (one character) and strong emphasis
// (two), as CommonMark does, with a stack of openers: each run is pushed and popped at most
// once, and a search that fails for a character is not repeated below where it failed.
func matchEmphasis(toks []mdToken) {
	var stack []*delim
	bottom := map[byte]int{}
	for _, t := range toks {
		d := t.d
		if d == nil {
			continue
		}
		for d.canClos && d.n > 0 {
			k := len(stack) - 1
			for k >= bottom[d.char] && (stack[k].char != d.char || stack[k].n == 0) {
				k--
			}
			if k < bottom[d.char] {
				bottom[d.char] = len(stack)
				break
			}
			o := stack[k]
			use, tag := 1, "em"
			if o.n >= 2 && d.n >= 2 {
				use, tag = 2, "strong"
			}
			o.n -= use
			d.n -= use
			o.opens = append([]string{"<" + tag + ">"}, o.opens...)
			d.closes = append(d.closes, "</"+tag+">")
			// Openers between the two are left as text.
			stack = stack[:k+1]
			if o.n == 0 {
				stack = stack[:k]
			}
			for c, b := range bottom {
				bottom[c] = min(b, len(stack))
			}
		}
		if d.canOpen && d.n > 0 {
			stack = append(stack, d)
		}
	}
}
