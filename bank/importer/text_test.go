package importer

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReduceHTML(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"entities", "<p>A &amp; B &lt;C&gt; &quot;D&quot; &eacute;&#269;&#x161;</p>", "A & B \\<C> \"D\" éčš"},
		{"white space", "  <p>  a \n\t b&nbsp;&nbsp;c  </p>  ", "a b c"},
		{"emphasis", "<p><b>bold</b> and <i>italic</i> and <strong><em>both</em></strong></p>", "**bold** and *italic* and ***both***"},
		{"spaces leave markers", "<p>a<b> b </b>c</p>", "a **b** c"},
		{"nested emphasis", "<p><strong>a <em>b</em> c</strong></p>", "**a *b* c**"},
		{"empty emphasis", "<p>a<b> </b>b<em></em></p>", "a b"},
		{"emphasis across a break", "<b>one<br>two</b>", "**one**\n\n**two**"},
		{"line break", "one<br>two<br/><br>three", "one\n\ntwo\n\nthree"},
		{"list", "<p>Choose:</p><ul><li>first</li><li><p>second</p></li></ul><p>after</p>", "Choose:\n\n- first\n- second\n\nafter"},
		{"ordered list", "<ol><li>a</li><li>b <b>c</b></li></ol>", "1. a\n2. b **c**"},
		{"nested list flattens", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n- b\n- c"},
		{"line break in a list item", "<ul><li>a<br>b</li></ul>", "- a b"},
		{"heading", "<h3>Title</h3><p>text</p>", "**Title**\n\ntext"},
		{"dropped", "<script>x()</script><style>p{}</style><p>kept</p>", "kept"},
		{"link keeps its text", `<a href="http://x">the law</a>`, "the law"},
		{"superscript", "x<sup>2</sup> + H<sub>2</sub>O, 1<sup>st</sup>", "x² + H₂O, 1st"},
		{"quote", "<q>ok</q>", "“ok”"},
		{"div and span", "<div><span style='x'>a</span></div><div>b</div>", "a\n\nb"},
		{"escapes stars and ticks", "2 * 3 = 6 and `code` [x]", "2 \\* 3 = 6 and \\`code\\` \\[x]"},
		{"underscores", "snake_case, _under_, ___ gap", "snake_case, \\_under\\_, ___ gap"},
		{"heading at start", "# not a heading", "\\# not a heading"},
		{"hash in text", "C# and #1", "C# and #1"},
		{"list marker at start", "- not a list", "\\- not a list"},
		{"minus number at start", "-5 degrees", "-5 degrees"},
		{"ordered marker at start", "2024. godine", "2024\\. godine"},
		{"decimal at start", "3.14 is pi", "3.14 is pi"},
		{"quote at start", "> not a quote", "\\> not a quote"},
		{"html-like text", "a &lt;b&gt; c &lt; 5", "a \\<b> c < 5"},
		{"entity-like text", "AT&amp;T &amp;amp; &amp;#169;", "AT&T \\&amp; \\&#169;"},
		{"backslash", `C:\Users \* end\`, `C:\Users \\\* end\\`},
		{"control characters", "a\x00b\x07c\u200bd", "abc\u200bd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reduce(tt.in, formatHTML, false)
			if len(r.problems) > 0 {
				t.Fatalf("problems: %v", r.problems)
			}
			if r.text != tt.want {
				t.Errorf("reduce(%q)\n got %q\nwant %q", tt.in, r.text, tt.want)
			}
		})
	}
}

func TestReduceFormats(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		format  textFormat
		oneLine bool
		want    string
	}{
		{"plain keeps markup as text", "a <b>b</b> &amp;\nnext line", formatPlain, false, "a \\<b>b\\</b> \\&amp;\n\nnext line"},
		{"auto-format keeps line breaks", "one\ntwo <b>bold</b>", formatAuto, false, "one\n\ntwo **bold**"},
		{"html joins lines", "one\ntwo", formatHTML, false, "one two"},
		{"markdown", "Some **strong** and _em_ text.\n\n1. one\n2. two\n\n# Head", formatMarkdown, false, "Some **strong** and *em* text.\n\n1. one\n2. two\n\n**Head**"},
		{"markdown link and code", "[law](http://x) `x*y`", formatMarkdown, false, "law x\\*y"},
		{"option on one line", "<p>one</p><p>two</p><ul><li>three</li></ul>", formatHTML, true, "one two three"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reduce(tt.in, tt.format, tt.oneLine)
			if len(r.problems) > 0 || r.text != tt.want {
				t.Errorf("got %q %v, want %q", r.text, r.problems, tt.want)
			}
		})
	}
}

func TestReduceProblemsAndImages(t *testing.T) {
	tests := []struct {
		in       string
		problem  string
		images   []string
		wantText string
	}{
		{in: "<table><tr><td>1</td></tr></table>", problem: "a table"},
		{in: "<math><mi>x</mi></math>", problem: "MathML"},
		{in: `<p>\(x^2\)</p>`, problem: "TeX"},
		{in: "$$x$$", problem: "TeX"},
		{in: "<video src=x></video>", problem: "a video"},
		{in: "<iframe src=x></iframe>", problem: "embedded page"},
		{in: "x<sup>a+b</sup>", problem: "superscript"},
		{in: `<object data="x.swf" type="application/x-shockwave-flash"></object>`, problem: "embedded object"},
		{in: strings.Repeat("<div>", 200) + "deep", problem: "nest"},
		{in: `<p>a <img src="one.png"> b <img src="two.png"><img src="one.png"></p>`, images: []string{"one.png", "two.png"}, wantText: "a b"},
		{in: `<object data="pic.png">alt</object>`, images: []string{"pic.png"}},
		{in: `<img>`, problem: "without a source"},
	}
	for _, tt := range tests {
		r := reduce(tt.in, formatHTML, false)
		got := strings.Join(r.problems, "; ")
		if tt.problem == "" && got != "" || !strings.Contains(got, tt.problem) {
			t.Errorf("reduce(%.40q): problems %q, want %q", tt.in, got, tt.problem)
		}
		if !reflect.DeepEqual(r.images, tt.images) {
			t.Errorf("reduce(%.40q): images %q, want %q", tt.in, r.images, tt.images)
		}
		if tt.wantText != "" && r.text != tt.wantText {
			t.Errorf("reduce(%.40q): text %q, want %q", tt.in, r.text, tt.wantText)
		}
	}
}

func TestSlugAndTopics(t *testing.T) {
	tests := []struct {
		in   string
		keep bool
		want string
	}{
		{"Državna služba", false, "drzavna-sluzba"},
		{"Државна служба и етика", false, "drzavna-sluzba-i-etika"},
		{"Đurđevdan — Ćevapi", false, "djurdjevdan-cevapi"},
		{"Provim i përgjithshëm", false, "provim-i-pergjithshem"},
		{"  --Q1: Probni rad!--  ", true, "Q1-Probni-rad"},
		{"Ђорђе.pitanje_1", true, "Djordje.pitanje_1"},
		{"!!!", false, ""},
		{strings.Repeat("dugačko ", 20), false, "dugacko-dugacko-dugacko-dugacko-dugacko-dugacko-dugacko-dugacko"},
	}
	for _, tt := range tests {
		if got := slug(tt.in, 64, tt.keep); got != tt.want {
			t.Errorf("slug(%q, %v) = %q, want %q", tt.in, tt.keep, got, tt.want)
		}
	}
	topics := topicsOf([]string{
		"$course$/top/Etika", "$course$/top/Pravo/Opće", "$system$/top/Upravni postupak/Opće",
		"", "$course$/top", "$course$/top/Default for KURS-1", "tom//jerry", "Etika",
	}, "imported")
	want := map[string]string{
		"$course$/top/Etika": "etika", "Etika": "etika",
		"$course$/top/Pravo/Opće": "pravo-opce", "$system$/top/Upravni postupak/Opće": "upravni-postupak-opce",
		"": "imported", "$course$/top": "imported", "$course$/top/Default for KURS-1": "imported",
		"tom//jerry": "tom-jerry",
	}
	if !reflect.DeepEqual(topics, want) {
		t.Errorf("topics\n got %v\nwant %v", topics, want)
	}
}

// TestReduceTakesLinearTime gives the reduction inputs that take some Markdown and HTML
// parsers quadratic time (minutes for these sizes); each must take well under a second.
func TestReduceTakesLinearTime(t *testing.T) {
	n := 256 << 10
	var nested strings.Builder
	for i := 0; i < 500; i++ {
		nested.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	cases := map[string]string{
		"nested quotes":       strings.Repeat(">", n),
		"unclosed links":      strings.Repeat("[a](", n/4),
		"unclosed images":     strings.Repeat("![a](", n/5),
		"brackets":            strings.Repeat("[", n/2) + strings.Repeat("](x)", n/8),
		"quoted lists":        strings.Repeat("> - ", n/4),
		"delimiters":          strings.Repeat("*_", n/2),
		"unmatched emphasis":  strings.Repeat("*a _b ", n/6) + strings.Repeat("c* d_ ", n/6),
		"backticks":           strings.Repeat("`a``b", n/5),
		"nested lists":        nested.String(),
		"unclosed tags":       strings.Repeat("<b><i>", n/6) + "x",
		"unclosed tables":     strings.Repeat("<table><tr><td>", n/15),
		"misnested":           strings.Repeat("<a><p>", n/6),
		"entities":            strings.Repeat("&amp", n/4),
		"backslashes":         strings.Repeat("\\", n),
		"autolink-like":       strings.Repeat("<a", n/2),
		"lines":               strings.Repeat("a\n", n/2),
		"unclosed code fence": "```\n" + strings.Repeat("a\n", n/2),
	}
	for name, s := range cases {
		for _, f := range []textFormat{formatMarkdown, formatHTML, formatAuto, formatPlain} {
			start := time.Now()
			reduce(s, f, false)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("%s (format %d) took %v", name, f, d)
			}
		}
	}
}

func TestMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Para one\nstill one\n\nPara two", "Para one still one\n\nPara two"},
		{"**strong** and *em* and __strong__ and _em_", "**strong** and *em* and **strong** and *em*"},
		{"***both*** and *a **b** c*", "***both*** and *a **b** c*"},
		{"snake_case_name and 2*3*4", "snake_case_name and 2*3*4"},
		{"*unclosed and **also", "\\*unclosed and \\*\\*also"},
		{"- one\n- two\n\n1. first\n2) second", "- one\n- two\n\n1. first\n2. second"},
		{"# Title #\n\nSetext\n===\n\nx\n---", "**Title**\n\n**Setext**\n\n**x**"},
		{"> quoted\n> > deeper", "quoted deeper"},
		{"a `co*de*` b ``x ` y``", "a co\\*de\\* b x \\` y"},
		{"[link](http://x \"t\") and ![pic](a.png) [no link]", "link and \\[no link]"},
		{"line one  \nline two\\\nline three", "line one\n\nline two\n\nline three"},
		{"\\*not em\\* \\# \\_", "\\*not em\\* # _"},
		{"a <b>bold</b> &amp; &copy; <http://x.y/z>", "a **bold** & © http://x.y/z"},
		{"```\ncode *x*\n```\nafter", "code \\*x\\*\n\nafter"},
		{"* * *\n\ntext", "text"},
		{"- item\ncontinued\n\nnot item", "- item continued\n\nnot item"},
	}
	for _, tt := range tests {
		r := reduce(tt.in, formatMarkdown, false)
		if len(r.problems) > 0 || r.text != tt.want {
			t.Errorf("markdown %q\n got %q %v\nwant %q", tt.in, r.text, r.problems, tt.want)
		}
	}
	if r := reduce("![pic](a.png)", formatMarkdown, false); len(r.images) != 1 || r.images[0] != "a.png" {
		t.Errorf("image %v", r.images)
	}
}
