package svgchart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed chart.
type node struct {
	name     xml.Name
	attr     map[string]string
	children []*node
	text     string
}

// parse parses a chart strictly and returns its root element.
func parse(t testing.TB, doc []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root != nil {
				t.Fatalf("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				t.Fatalf("text outside the root: %q", tok)
			}
		case xml.ProcInst, xml.Directive:
			t.Fatalf("unexpected %T in a chart", tok)
		}
	}
	if root == nil || root.name.Local != "svg" || root.name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is not an SVG element: %+v", root)
	}
	return root
}

// all returns the elements under n (n included) that match.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	if match(n) {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.all(match)...)
	}
	return out
}

func named(name string) func(*node) bool { return func(n *node) bool { return n.name.Local == name } }

func classed(class string) func(*node) bool {
	return func(n *node) bool { return strings.Contains(" "+n.attr["class"]+" ", " "+class+" ") }
}

func (n *node) float(t testing.TB, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name.Local, attr, n.attr[attr], err)
	}
	return v
}

// checkChart checks what every chart must be: well-formed standalone SVG with role="img", a
// <title> and <desc> first, nothing external, nothing executable, and nothing an HTML5 parser
// would read differently inline.
func checkChart(t testing.TB, doc []byte) *node {
	t.Helper()
	root := parse(t, doc)
	if root.attr["role"] != "img" || root.attr["font-family"] != "sans-serif" {
		t.Errorf("root attributes %v", root.attr)
	}
	if len(root.children) < 2 || root.children[0].name.Local != "title" || root.children[1].name.Local != "desc" {
		t.Errorf("<title> and <desc> are not the first children")
	}
	for _, n := range root.all(func(*node) bool { return true }) {
		switch n.name.Local {
		case "script", "foreignObject", "image", "use", "a", "style", "iframe":
			t.Errorf("forbidden element <%s>", n.name.Local)
		}
		for k, v := range n.attr {
			if strings.HasPrefix(k, "on") || k == "href" || k == "src" || k == "style" ||
				strings.Contains(v, "url(") && !regexp.MustCompile(`^url\(#svgchart-hatch-[0-9a-f]{16}\)$`).MatchString(v) {
				t.Errorf("<%s %s=%q> may be active or external", n.name.Local, k, v)
			}
		}
	}
	// Inline in HTML5: no declaration, doctype, comment or CDATA; only the references the HTML
	// parser reads the same (&lt; &gt; &amp; and numeric ones).
	if bytes.Contains(doc, []byte("<?")) || bytes.Contains(doc, []byte("<!")) {
		t.Errorf("declaration, doctype, comment or CDATA in the chart")
	}
	for _, m := range regexp.MustCompile(`&[^;]*;?`).FindAll(doc, -1) {
		if !regexp.MustCompile(`^&(lt|gt|amp|#[0-9]+|#x[0-9A-Fa-f]+);$`).Match(m) {
			t.Errorf("reference %q", m)
		}
	}
	return root
}

func TestBarsAreProportional(t *testing.T) {
	var values []int
	counts := map[int]int{0: 1, 3: 4, 8: 12, 11: 9, 12: 7, 15: 3, 21: 2}
	for v, n := range counts {
		for range n {
			values = append(values, v)
		}
	}
	root := checkChart(t, Histogram{Title: "Public exam", Max: 21, PassMark: 11, Values: values}.SVG())
	bars := root.all(classed("bar"))
	if len(bars) != len(counts) {
		t.Fatalf("%d bars, want %d (one per non-empty bin)", len(bars), len(counts))
	}
	// Counts up to 12: y ticks of 5 up to 15, so one candidate is (188 − 52)/15 pixels.
	perCandidate := float64(DefaultHeight-marginBottom-plotTop) / 15
	var passBars, belowBars int
	for _, bar := range bars {
		var lo, n int
		if _, err := fmt.Sscanf(bar.children[0].text, "%d: %d", &lo, &n); err != nil {
			t.Fatalf("bar title %q: %v", bar.children[0].text, err)
		}
		if n != counts[lo] {
			t.Errorf("bar %d: title count %d, want %d", lo, n, counts[lo])
		}
		if h := bar.float(t, "height"); math.Abs(h-float64(n)*perCandidate) > 0.01 {
			t.Errorf("bar %d of %d: height %v, want %v", lo, n, h, float64(n)*perCandidate)
		}
		if y, h := bar.float(t, "y"), bar.float(t, "height"); math.Abs(y+h-float64(DefaultHeight-marginBottom)) > 0.01 {
			t.Errorf("bar %d does not stand on the x axis: y %v + height %v", lo, y, h)
		}
		// Below the pass mark hatched, at or above it solid: distinguishable without colour.
		switch {
		case lo >= 11 && bar.attr["fill"] == passFill && strings.Contains(bar.attr["class"], "pass"):
			passBars++
		case lo < 11 && strings.HasPrefix(bar.attr["fill"], "url(#") && strings.Contains(bar.attr["class"], "below"):
			belowBars++
		default:
			t.Errorf("bar %d: class %q fill %q", lo, bar.attr["class"], bar.attr["fill"])
		}
	}
	if passBars != 4 || belowBars != 3 {
		t.Errorf("%d pass and %d below bars, want 4 and 3", passBars, belowBars)
	}
	var labels []string
	for _, c := range root.all(classed("count")) {
		labels = append(labels, c.text)
	}
	if got := strings.Join(labels, " "); got != "1 4 12 9 7 3 2" {
		t.Errorf("count labels %q", got)
	}
	if pattern := root.all(named("pattern")); len(pattern) != 1 || "url(#"+pattern[0].attr["id"]+")" != bars[0].attr["fill"] {
		t.Errorf("the hatch pattern is missing or misnamed")
	}
	// Of the 38 values, 9 + 7 + 3 + 2 = 21 reach the pass mark.
	if desc := root.children[1].text; desc != "n = 38; ≥ 11: 21" {
		t.Errorf("desc %q", desc)
	}
}

func TestPassLine(t *testing.T) {
	// The plot spans x 52..624 (640 wide, margins 52 and 16): 572 pixels over Max+1 points.
	tests := []struct {
		name             string
		h                Histogram
		wantX            float64 // NaN: no line
		wantLabel        string
		wantAnchorAtLeft bool // label to the right of the line
	}{
		// 0..21 is 22 points: 11 is half-way, 52 + 572·11/22 = 338.
		{"public", Histogram{Max: 21, PassMark: 11, PassLabel: "prolaz 11", Values: []int{3, 15}}, 338, "prolaz 11", true},
		// 0..100 is 101 points: 52 + 572·70/101 = 448.435…, written as 448.44.
		{"professional", Histogram{Max: 100, PassMark: 70, Values: []int{69, 70}}, 448.44, "70", false},
		// 1280 wide: 52 + (1280−16−52)·16/31 = 677.548…
		{"interview, wide", Histogram{Max: 30, PassMark: 16, PassLabel: "16", Width: 1280, Values: []int{16}}, 677.55, "16", true},
		{"pass mark above max", Histogram{Max: 21, PassMark: 22, Values: []int{3}}, math.NaN(), "", false},
		{"pass mark 0", Histogram{Max: 21, Values: []int{3}}, math.NaN(), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := checkChart(t, tc.h.SVG())
			lines := root.all(classed("pass-mark"))
			labels := root.all(classed("pass-label"))
			if math.IsNaN(tc.wantX) {
				if len(lines)+len(labels) != 0 {
					t.Fatalf("a pass line where none belongs")
				}
				return
			}
			if len(lines) != 1 || len(labels) != 1 {
				t.Fatalf("%d pass lines and %d labels, want 1 and 1", len(lines), len(labels))
			}
			l := lines[0]
			if l.float(t, "x1") != tc.wantX || l.float(t, "x2") != tc.wantX || l.attr["stroke-dasharray"] == "" {
				t.Errorf("pass line %v, want dashed at x %v", l.attr, tc.wantX)
			}
			if labels[0].text != tc.wantLabel || (labels[0].attr["text-anchor"] == "start") != tc.wantAnchorAtLeft {
				t.Errorf("pass label %q anchored %s", labels[0].text, labels[0].attr["text-anchor"])
			}
			// The line is a bar boundary: no bar straddles it.
			for _, bar := range root.all(classed("bar")) {
				if x, w := bar.float(t, "x"), bar.float(t, "width"); x < tc.wantX && x+w > tc.wantX {
					t.Errorf("bar at %v..%v straddles the pass line", x, x+w)
				}
			}
		})
	}
}

func TestHostileLabels(t *testing.T) {
	tests := []struct{ label, want string }{
		{`</svg><script>alert(1)</script>`, `</svg><script>alert(1)</script>`},
		{`"><svg onload=alert(1)>`, `"><svg onload=alert(1)>`},
		{`Ispit & <b>Кандидати</b> 'ščćžđ' "Prishtinë"`, `Ispit & <b>Кандидати</b> 'ščćžđ' "Prishtinë"`},
		{"line\nbreak\ttab", "line\nbreak\ttab"},
		{`]]><!-- --><?xml x?>&amp;&#0;`, `]]><!-- --><?xml x?>&amp;&#0;`},
		// What XML cannot hold becomes U+FFFD: NUL, ESC, U+FFFE and each invalid byte.
		{"\x00\x1b\xff\xfe\uFFFE!", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD!"},
	}
	for _, tc := range tests {
		h := Histogram{Title: tc.label, XLabel: tc.label, YLabel: tc.label, PassLabel: tc.label, Desc: tc.label,
			Max: 21, PassMark: 11, Values: []int{1, 12}}
		root := checkChart(t, h.SVG())
		if len(root.all(named("svg"))) != 1 {
			t.Errorf("%q: an extra <svg>", tc.label)
		}
		// The text comes back as given, as text: never as markup.
		for _, n := range []*node{root.children[0], root.children[1], root.all(classed("pass-label"))[0]} {
			if n.text != tc.want || len(n.children) != 0 {
				t.Errorf("<%s> holds %q and %d elements, want %q", n.name.Local, n.text, len(n.children), tc.want)
			}
		}
		// The empty chart's text is escaped too.
		root = checkChart(t, Histogram{Title: tc.label, Empty: tc.label}.SVG())
		if root.children[1].text != tc.want {
			t.Errorf("empty chart desc %q, want %q", root.children[1].text, tc.want)
		}
	}
}

func TestEmptyChart(t *testing.T) {
	tests := []struct {
		name string
		h    Histogram
		desc string
	}{
		{"no values", Histogram{Title: "Intervju", Max: 30, PassMark: 16, Empty: "još nema rezultata"}, "još nema rezultata"},
		{"max 0", Histogram{Max: 0, Values: []int{1, 2}, Empty: "nema"}, "nema"},
		{"negative max, no empty text", Histogram{Max: -1, PassMark: 5}, "n = 0"},
		{"zero value", Histogram{}, "n = 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := checkChart(t, tc.h.SVG())
			if root.children[1].text != tc.desc {
				t.Errorf("desc %q, want %q", root.children[1].text, tc.desc)
			}
			if len(root.all(classed("bar"))) != 0 || len(root.all(classed("pass-mark"))) != 0 {
				t.Errorf("bars or a pass line in an empty chart")
			}
			if len(root.all(classed("axes"))) != 1 {
				t.Errorf("no axes")
			}
			shown := false
			for _, n := range root.all(named("text")) {
				shown = shown || n.text == tc.desc
			}
			if !shown {
				t.Errorf("the empty text %q is not shown", tc.desc)
			}
		})
	}
}

func TestSizes(t *testing.T) {
	tests := []struct{ w, h, wantW, wantH int }{
		{0, 0, DefaultWidth, DefaultHeight},
		{-5, 300, DefaultWidth, 300},
		{10, 10, MinWidth, MinHeight},
		{1 << 40, 1 << 40, MaxWidth, MaxHeight},
		{800, 400, 800, 400},
	}
	for _, tc := range tests {
		root := checkChart(t, Histogram{Max: 21, PassMark: 11, Values: []int{4, 11, 11}, Width: tc.w, Height: tc.h}.SVG())
		want := fmt.Sprintf("0 0 %d %d", tc.wantW, tc.wantH)
		if root.attr["viewBox"] != want || root.attr["width"] != strconv.Itoa(tc.wantW) || root.attr["height"] != strconv.Itoa(tc.wantH) {
			t.Errorf("size %d×%d: %v, want %s", tc.w, tc.h, root.attr, want)
		}
		for _, bar := range root.all(classed("bar")) {
			if y := bar.float(t, "y"); y < plotTop-0.01 || bar.float(t, "height") <= 0 {
				t.Errorf("size %d×%d: bar %v outside the plot", tc.w, tc.h, bar.attr)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	h := Histogram{Title: "Stručni ispit", XLabel: "Bodovi", YLabel: "Kandidati", PassLabel: "prolaz 70",
		Max: 100, PassMark: 70, Values: []int{12, 55, 70, 70, 71, 88, 99, 100, 100, 64}}
	first := h.SVG()
	for range 20 {
		if again := h.SVG(); !bytes.Equal(again, first) {
			t.Fatal("the same histogram gives different bytes")
		}
	}
	// A different chart names its pattern differently, so that both can be inlined in a page.
	other := h
	other.Values = append([]int{1}, h.Values...)
	id := regexp.MustCompile(`svgchart-hatch-[0-9a-f]{16}`)
	if a, b := id.Find(first), id.Find(other.SVG()); a == nil || bytes.Equal(a, b) {
		t.Errorf("pattern ids %s and %s", a, b)
	}
}

func TestNumberFormat(t *testing.T) {
	tests := map[float64]string{0: "0", -0.001: "0", 448.4356: "448.44", 338: "338", -12.345: "-12.35", 1.005: "1", math.NaN(): "0", math.Inf(1): "0"}
	for v, want := range tests {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}
