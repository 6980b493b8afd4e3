package importer

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The native text (docs/bank-source.md) is plain text with a small Markdown subset: paragraphs
// separated by a blank line, *emphasis*, **strong** and lists. Everything a source writes in
// HTML, Markdown or plain text is reduced to that here: what the kiosk cannot show and that
// would change the question (tables, formulas, media) is reported as a problem, and the
// question is skipped rather than shown wrong.

// textFormat is how a text of a source is written.
type textFormat int

const (
	formatHTML     textFormat = iota // HTML; a line break in the text is a space
	formatAuto                       // Moodle's auto-format: HTML in which a line break is kept
	formatPlain                      // plain text; a line break is kept, nothing is markup
	formatMarkdown                   // Markdown
)

// node is an element or a text of rich text, from HTML or from the XML of a QTI item.
type node struct {
	space string // the element's XML namespace, if any
	name  string // the element's local name; "" for a text
	text  string
	attr  map[string]string // attributes by local name
	kids  []*node
	line  int // line of the element in its XML file, when known
}

// maxNesting bounds how deeply elements nest in a text or an XML file.
const maxNesting = 128

// maxText is the longest text the bank accepts, in bytes (bank/validate.go).
const maxText = 32 << 10

var errNesting = fmt.Errorf("elements nest more than %d deep", maxNesting)

// parseHTML parses an HTML fragment into nodes, with entities decoded.
func parseHTML(s string) ([]*node, error) {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	hs, err := html.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return nil, err
	}
	var out []*node
	for _, h := range hs {
		n, err := fromHTML(h, 0)
		if err != nil {
			return nil, err
		}
		if n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

func fromHTML(h *html.Node, depth int) (*node, error) {
	switch h.Type {
	case html.TextNode:
		return &node{text: h.Data}, nil
	case html.ElementNode:
		if depth >= maxNesting {
			return nil, errNesting
		}
		n := &node{name: strings.ToLower(h.Data), attr: map[string]string{}}
		for _, a := range h.Attr {
			n.attr[strings.ToLower(a.Key)] = a.Val
		}
		for c := h.FirstChild; c != nil; c = c.NextSibling {
			k, err := fromHTML(c, depth+1)
			if err != nil {
				return nil, err
			}
			if k != nil {
				n.kids = append(n.kids, k)
			}
		}
		return n, nil
	}
	return nil, nil // comments, doctypes
}

// rich is a text reduced to what the kiosk shows.
type rich struct {
	text     string
	images   []string // the sources of the images the text shows, in order, each once
	problems []string // what the kiosk cannot show
}

// reduce turns a text written in format f into native text. oneLine joins paragraphs and list
// items with spaces, as an option is shown on one line.
func reduce(s string, f textFormat, oneLine bool) rich {
	r := &reducer{breaks: f != formatHTML}
	switch f {
	case formatPlain:
		r.text(s)
	case formatMarkdown:
		r.breaks = false
		if err := r.walkHTML(markdownToHTML(s)); err != nil {
			return rich{problems: []string{err.Error()}}
		}
	default:
		if err := r.walkHTML(s); err != nil {
			return rich{problems: []string{err.Error()}}
		}
	}
	return r.result(oneLine)
}

// reduceNodes turns nodes (from a QTI item) into native text.
func reduceNodes(nodes []*node, oneLine bool) rich {
	r := &reducer{}
	for _, n := range nodes {
		r.walk(n)
	}
	return r.result(oneLine)
}

func (r *reducer) walkHTML(s string) error {
	nodes, err := parseHTML(s)
	if err != nil {
		if errors.Is(err, errNesting) {
			return fmt.Errorf("HTML whose %v", err)
		}
		return fmt.Errorf("HTML that cannot be read: %v", err)
	}
	for _, n := range nodes {
		r.walk(n)
	}
	return nil
}

// style is the emphasis of a piece of text.
type style uint8

const (
	styleStrong style = 1 << iota
	styleEm
)

type run struct {
	text  string
	style style
}

// block is a paragraph, or an item of a list when list is not 0.
type block struct {
	list int
	runs []run
}

type reducer struct {
	breaks     bool // a line break in a text is kept
	pre        int  // inside <pre>: line breaks are kept
	blocks     []*block
	cur        *block // the block text goes to; nil starts a new one
	em, strong int
	lists      []int // ids of the lists open, innermost last; nested lists flatten into the outer one
	ordered    map[int]bool
	inItem     int
	nlists     int
	images     []string
	problems   []string
	raw        strings.Builder // all the text, to look for TeX
}

// maxReasons bounds the reasons kept for one text or question: a few say enough.
const maxReasons = 8

func (r *reducer) problem(format string, args ...any) {
	if len(r.problems) >= maxReasons {
		return
	}
	p := fmt.Sprintf(format, args...)
	for _, q := range r.problems {
		if q == p {
			return
		}
	}
	r.problems = append(r.problems, p)
}

// blockElements start and end a paragraph.
var blockElements = map[string]bool{
	"p": true, "div": true, "blockquote": true, "section": true, "article": true, "header": true,
	"footer": true, "main": true, "nav": true, "aside": true, "address": true, "center": true,
	"figure": true, "figcaption": true, "dl": true, "dt": true, "dd": true, "details": true,
	"summary": true, "fieldset": true, "legend": true, "body": true, "html": true, "itembody": true,
	"prompt": true, "caption": true,
}

// unshowable are elements whose content the kiosk cannot show, by what they are called in a report.
var unshowable = map[string]string{
	"table": "a table", "math": "a formula (MathML)", "audio": "audio", "video": "a video",
	"iframe": "an embedded page", "embed": "embedded content", "svg": "an SVG drawing",
	"canvas": "a drawing", "applet": "an applet", "frame": "a frame", "frameset": "frames",
	"map": "an image map", "input": "a form field", "select": "a form field",
	"textarea": "a form field", "button": "a button", "form": "a form",
	"include": "an XInclude", "printedvariable": "a template variable",
	"templateinline": "template content", "templateblock": "template content",
}

// dropped are elements with no text for the candidate: metadata and feedback.
var dropped = map[string]bool{
	"script": true, "style": true, "head": true, "title": true, "meta": true, "link": true,
	"noscript": true, "template": true, "feedbackinline": true, "feedbackblock": true,
	"modalfeedback": true, "rubricblock": true, "stylesheet": true,
}

func (r *reducer) walk(n *node) {
	if n.name == "" {
		r.text(n.text)
		return
	}
	name := strings.ToLower(n.name)
	if what, ok := unshowable[name]; ok {
		r.problem("%s, which the kiosk cannot show", what)
		return
	}
	if strings.HasSuffix(name, "interaction") {
		r.problem("an interaction (%s) inside the text", n.name)
		return
	}
	switch {
	case dropped[name]:
	case name == "br":
		r.lineBreak()
	case name == "hr":
		r.endBlock()
	case name == "img":
		r.image(n.attr["src"])
	case name == "object":
		if typ, data := n.attr["type"], n.attr["data"]; strings.HasPrefix(typ, "image/") || (typ == "" && looksLikeImage(data)) {
			r.image(data)
		} else {
			r.problem("an embedded object (%s), which the kiosk cannot show", either(typ, data, "of no type"))
		}
	case name == "sub" || name == "sup":
		r.script(n, name == "sup")
	case name == "ul" || name == "ol":
		r.list(n, name == "ol")
	case name == "li":
		r.item(n)
	case name == "em" || name == "i" || name == "cite" || name == "var" || name == "dfn":
		r.em++
		r.kids(n)
		r.em--
	case name == "strong" || name == "b":
		r.strong++
		r.kids(n)
		r.strong--
	case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
		r.endBlock()
		r.strong++
		r.kids(n)
		r.strong--
		r.endBlock()
	case name == "pre":
		r.endBlock()
		r.pre++
		r.kids(n)
		r.pre--
		r.endBlock()
	case name == "q":
		r.inline("“")
		r.kids(n)
		r.inline("”")
	case blockElements[name]:
		r.endBlock()
		r.kids(n)
		r.endBlock()
	default:
		r.kids(n)
	}
}

// either returns the first of its arguments that is not empty.
func either(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func looksLikeImage(src string) bool {
	s := strings.ToLower(src)
	if strings.HasPrefix(s, "data:image/") {
		return true
	}
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"} {
		if strings.HasSuffix(s, ext) {
			return true
		}
	}
	return false
}

func (r *reducer) kids(n *node) {
	for _, k := range n.kids {
		r.walk(k)
	}
}

func (r *reducer) image(src string) {
	src = strings.TrimSpace(src)
	if src == "" {
		r.problem("an image without a source")
		return
	}
	for _, s := range r.images {
		if s == src {
			return
		}
	}
	if len(r.images) < maxReasons { // one is all the kiosk shows; more is a reason to skip
		r.images = append(r.images, src)
	}
}

func (r *reducer) list(n *node, ordered bool) {
	if len(r.lists) > 0 {
		r.lists = append(r.lists, r.lists[len(r.lists)-1])
	} else {
		r.nlists++
		if r.ordered == nil {
			r.ordered = map[int]bool{}
		}
		r.ordered[r.nlists] = ordered
		r.lists = append(r.lists, r.nlists)
	}
	r.cur = nil
	r.kids(n)
	r.lists = r.lists[:len(r.lists)-1]
	r.cur = nil
}

func (r *reducer) item(n *node) {
	r.cur = nil
	r.inItem++
	r.kids(n)
	r.inItem--
	r.cur = nil
}

// endBlock ends the paragraph; inside a list item, it is a space.
func (r *reducer) endBlock() {
	if r.inItem > 0 {
		r.inline(" ")
		return
	}
	r.cur = nil
}

// lineBreak is a paragraph break: the kiosk shows paragraphs, not lines.
func (r *reducer) lineBreak() { r.endBlock() }

func (r *reducer) text(s string) {
	s = cleanText(s)
	if r.breaks || r.pre > 0 {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				r.lineBreak()
			}
			r.inline(line)
		}
		return
	}
	r.inline(s)
}

// inline adds text to the current block with the current emphasis, white space collapsed.
func (r *reducer) inline(s string) {
	s = collapseSpace(s)
	if s == "" {
		return
	}
	r.raw.WriteString(s)
	if r.cur == nil {
		if s == " " {
			return
		}
		b := &block{}
		if len(r.lists) > 0 {
			b.list = r.lists[len(r.lists)-1]
		} else if r.inItem > 0 {
			// An item outside any list: a list of its own.
			r.nlists++
			b.list = r.nlists
		}
		r.blocks = append(r.blocks, b)
		r.cur = b
	}
	var st style
	if r.strong > 0 {
		st |= styleStrong
	}
	if r.em > 0 {
		st |= styleEm
	}
	r.cur.runs = append(r.cur.runs, run{s, st})
}

// script adds a superscript or subscript: in Unicode superscript or subscript characters where
// they exist, as plain letters for an ordinal like 1<sup>st</sup>, and otherwise as a problem.
func (r *reducer) script(n *node, sup bool) {
	text := strings.TrimSpace(collapseSpace(cleanText(textContent(n))))
	if text == "" {
		return
	}
	table := subscripts
	what := "subscript"
	if sup {
		table, what = superscripts, "superscript"
	}
	var b strings.Builder
	ok := true
	for _, c := range text {
		s, found := table[c]
		if !found {
			ok = false
			break
		}
		b.WriteRune(s)
	}
	switch {
	case ok:
		r.inline(b.String())
	case strings.IndexFunc(text, func(c rune) bool { return !unicode.IsLetter(c) }) < 0:
		r.inline(text)
	default:
		r.problem("a %s (%q) the kiosk cannot show", what, text)
	}
}

var (
	superscripts = map[rune]rune{'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
		'+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', 'n': 'ⁿ', 'i': 'ⁱ'}
	subscripts = map[rune]rune{'0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
		'+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎', 'a': 'ₐ', 'e': 'ₑ', 'o': 'ₒ', 'x': 'ₓ',
		'h': 'ₕ', 'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ', 'p': 'ₚ', 's': 'ₛ', 't': 'ₜ'}
)

func textContent(n *node) string {
	if n.name == "" {
		return n.text
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(textContent(k))
	}
	return b.String()
}

// tex finds a TeX formula as Moodle's filters show it: \( … \), \[ … \] or $$ … $$.
var tex = regexp.MustCompile(`\\\(.*?\\\)|\\\[.*?\\\]|\$\$.+?\$\$`)

func (r *reducer) result(oneLine bool) rich {
	if tex.MatchString(r.raw.String()) {
		r.problem("a TeX formula, which the kiosk cannot show")
	}
	out := rich{images: r.images, problems: r.problems}
	var b strings.Builder
	prevList, number := 0, 0
	for _, bl := range r.blocks {
		line := renderRuns(bl.runs)
		if line == "" {
			continue
		}
		switch {
		case b.Len() == 0:
		case oneLine:
			b.WriteString(" ")
		case bl.list != 0 && bl.list == prevList:
			b.WriteString("\n")
		default:
			b.WriteString("\n\n")
		}
		if bl.list != prevList {
			number = 0
		}
		prevList = bl.list
		if bl.list != 0 && !oneLine {
			number++
			if r.ordered[bl.list] {
				b.WriteString(strconv.Itoa(number) + ". ")
			} else {
				b.WriteString("- ")
			}
		}
		b.WriteString(line)
	}
	out.text = b.String()
	return out
}

// renderRuns writes a paragraph: its text escaped where Markdown would read it as markup, with
// emphasis markers placed around words, never around white space.
func renderRuns(runs []run) string {
	var rs []rune
	var st []style
	for _, ru := range runs {
		for _, c := range ru.text {
			if c == ' ' && (len(rs) == 0 || rs[len(rs)-1] == ' ') {
				continue
			}
			rs = append(rs, c)
			st = append(st, ru.style)
		}
	}
	for len(rs) > 0 && rs[len(rs)-1] == ' ' {
		rs, st = rs[:len(rs)-1], st[:len(st)-1]
	}
	if len(rs) == 0 {
		return ""
	}
	esc := escapes(rs)
	var b strings.Builder
	var open []style
	pending := 0
	for i, c := range rs {
		if c == ' ' {
			pending++
			continue
		}
		want := st[i]
		var have style
		for _, s := range open {
			have |= s
		}
		if have != want {
			k := len(open)
			for j, s := range open {
				if want&s == 0 {
					k = j
					break
				}
			}
			for len(open) > k {
				b.WriteString(marker(open[len(open)-1]))
				open = open[:len(open)-1]
			}
			b.WriteString(strings.Repeat(" ", pending))
			pending = 0
			for _, s := range []style{styleStrong, styleEm} {
				if want&s != 0 && !containsStyle(open, s) {
					b.WriteString(marker(s))
					open = append(open, s)
				}
			}
		}
		b.WriteString(strings.Repeat(" ", pending))
		pending = 0
		if esc[i] {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	for len(open) > 0 {
		b.WriteString(marker(open[len(open)-1]))
		open = open[:len(open)-1]
	}
	return b.String()
}

func containsStyle(open []style, s style) bool {
	for _, o := range open {
		if o == s {
			return true
		}
	}
	return false
}

func marker(s style) string {
	if s == styleStrong {
		return "**"
	}
	return "*"
}

// escapes says which characters of a paragraph need a backslash so that Markdown shows them
// as they are.
func escapes(rs []rune) []bool {
	esc := make([]bool, len(rs))
	at := func(i int) rune {
		if i < 0 || i >= len(rs) {
			return ' '
		}
		return rs[i]
	}
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '\\':
			esc[i] = i == len(rs)-1 || isASCIIPunct(rs[i+1])
		case '*', '`', '[':
			esc[i] = true
		case '_':
			j := i
			for j < len(rs) && rs[j] == '_' {
				j++
			}
			before, after := at(i-1), at(j)
			keep := (isAlnum(before) && isAlnum(after)) || (before == ' ' && after == ' ')
			for k := i; k < j; k++ {
				esc[k] = !keep
			}
			i = j - 1
		case '<':
			n := at(i + 1)
			esc[i] = n == '/' || n == '!' || n == '?' || (n < utf8.RuneSelf && unicode.IsLetter(n))
		case '&':
			esc[i] = entityLike(rs[i+1:])
		}
	}
	// What starts a line can make it a heading, a quote, a list, a rule or a code block.
	rest := strings.TrimRight(string(rs), " ")
	switch rs[0] {
	case '>':
		esc[0] = true
	case '#':
		h := strings.TrimLeft(rest, "#")
		esc[0] = len(rest)-len(h) <= 6 && (h == "" || h[0] == ' ')
	case '-', '+':
		esc[0] = len(rs) == 1 || rs[1] == ' ' || strings.Trim(rest, "- ") == ""
	case '~':
		esc[0] = strings.HasPrefix(rest, "~~~")
	}
	d := 0
	for d < len(rs) && d < 10 && rs[d] >= '0' && rs[d] <= '9' {
		d++
	}
	if d > 0 && d < 10 && d < len(rs) && (rs[d] == '.' || rs[d] == ')') && (d+1 == len(rs) || rs[d+1] == ' ') {
		esc[d] = true
	}
	return esc
}

func entityLike(rs []rune) bool {
	for i, c := range rs {
		switch {
		case c == ';':
			return i > 0
		case c == '#' && i == 0, c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
		default:
			return false
		}
		if i > 32 {
			return false
		}
	}
	return false
}

func isASCIIPunct(c rune) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(c) || strings.ContainsRune("$+<=>^`|~", c)
}

func isAlnum(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// cleanText drops what has no place in a text: control characters other than tab and line
// feed, byte order marks, non-characters and invalid UTF-8.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\t':
			return c
		case c == '\r':
			return '\n'
		case c < 0x20, c >= 0x7f && c < 0xa0, c == 0xfeff, c == 0xfffe, c == 0xffff, c >= 0xd800 && c < 0xe000:
			return -1
		case c == 0x2028 || c == 0x2029 || c == 0x85:
			return '\n'
		}
		return c
	}, s)
}

// collapseSpace turns every run of white space (with no-break spaces) into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		if unicode.IsSpace(c) || c == '\u00a0' || c == '\u202f' || c == '\u2007' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(c)
	}
	return b.String()
}

// plainExcerpt is the start of a text for a report: markup removed, on one line.
func plainExcerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if nodes, err := parseHTML(s); err == nil {
		var b strings.Builder
		for _, k := range nodes {
			b.WriteString(textContent(k))
		}
		s = strings.Join(strings.Fields(cleanText(b.String())), " ")
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
