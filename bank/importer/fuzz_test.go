package importer

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"ispit/bank"
	"ispit/bank/source"
)

// checkImport checks what any parse must satisfy: a failure is an error and no result; a
// result has well-formed questions and skips that say where and why; and the source made of
// it loads with bank/source, every text as the parser read it.
func checkImport(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		if res != nil {
			t.Fatal("a result returned with an error")
		}
		if err.Error() == "" {
			t.Fatal("an empty error")
		}
		return
	}
	for _, s := range res.Skipped {
		if s.Where == "" || s.Reason == "" || s.Name == "" {
			t.Fatalf("skipped without a place, a name or a reason: %+v", s)
		}
	}
	for _, q := range res.Questions {
		if q.Where == "" || q.Name == "" || q.Number < 1 {
			t.Fatalf("question without a place, name or number: %+v", q)
		}
		checkText(t, q.Text)
		switch q.Kind {
		case bank.ItemChoice:
			if n := len(q.Options); n < bank.MinOptions || n > bank.MaxOptions || q.Correct < 0 || q.Correct >= n {
				t.Fatalf("%d options, correct %d", n, q.Correct)
			}
			for _, o := range q.Options {
				checkText(t, o)
				if strings.Contains(o, "\n") {
					t.Fatalf("option on more than one line: %q", o)
				}
			}
		case bank.ItemWritten:
		default:
			t.Fatalf("kind %q", q.Kind)
		}
	}
	src, _, err := NewSource(res, Options{Lang: "bs", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if parts, _ := src.Parts(); len(parts) == 0 {
		pad(src)
	}
	def, files, err := load(t, src)
	if err != nil {
		t.Fatalf("the source does not load: %v\n%s\n%s", err, files[RootFile], files[ItemsFile])
	}
	for i, q := range res.Questions {
		it := def.Items[i]
		text := it.Stem["bs"]
		if q.Kind == bank.ItemWritten {
			text = it.Prompt["bs"]
		}
		if text != q.Text {
			t.Fatalf("item %s reads back as %q, not %q", it.ID, text, q.Text)
		}
		for k, o := range it.Options {
			if o.Text["bs"] != q.Options[k] {
				t.Fatalf("item %s option %d reads back as %q, not %q", it.ID, k, o.Text["bs"], q.Options[k])
			}
		}
	}
}

// watchdog crashes the fuzzing process, so that the fuzzer keeps the input, when one input
// takes longer than any should; call the function it returns when done.
func watchdog() func() {
	t := time.AfterFunc(10*time.Second, func() { panic("an input took more than 10s: the importer hangs") })
	return func() { t.Stop() }
}

// pad adds multiple-choice items so that a source has a part and loads.
func pad(src *Source) {
	taken := newNames()
	for _, it := range src.Items {
		taken.take(it.ID, 64)
	}
	for i := 0; i < 10; i++ {
		id := taken.take(fmt.Sprintf("pad-%d", i), 64)
		src.Items = append(src.Items, source.Item{ID: id, Topic: "pad", Stem: bank.Text{"bs": "P"},
			Options: []source.Option{{ID: "a", Text: bank.Text{"bs": "A"}, Correct: true}, {ID: "b", Text: bank.Text{"bs": "B"}}}})
	}
}

// checkText checks a native text: valid UTF-8, no control characters, not blank, no blank or
// padded lines, within the bank's limit.
func checkText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.TrimSpace(s) == "" || len(s) > maxText {
		t.Fatalf("bad text %q", s)
	}
	for _, c := range s {
		if c < 0x20 && c != '\n' || c >= 0x7f && c < 0xa0 {
			t.Fatalf("control character %U in %q", c, s)
		}
	}
	for _, para := range strings.Split(s, "\n\n") {
		for _, line := range strings.Split(para, "\n") {
			if line == "" || strings.TrimSpace(line) != line {
				t.Fatalf("blank or padded line in %q", s)
			}
		}
	}
}

func FuzzParseGIFT(f *testing.F) {
	for _, name := range []string{"gift/sample.gift", "gift/windows.gift", "gift/merge-bs.gift"} {
		f.Add(fixture(f, name))
	}
	for _, s := range []string{
		`::a\::b::[markdown]*x* \{ \} \~ \= \# \\ \n{=a#f ~%50%b ~%-10%c ####g}`,
		"$CATEGORY: a//b/c\n::t::Q{T#x#y}\n\nQ{}\n\nQ{#1:2}\n\nQ{=a->b =c->d}",
		"::t::[html]<img src=\"data:image/png;base64,iVBORw0KGgo=\">{=a ~b}",
		"Q {=a ~b} tail",
		"{",
		"}{",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		defer watchdog()()
		res, err := ParseGIFT(data, "bs")
		checkImport(t, res, err)
	})
}

func FuzzParseAiken(f *testing.F) {
	f.Add(fixture(f, "aiken/sample.txt"))
	for _, s := range []string{
		"Q\nA) a\nB) b\nANSWER: B\n",
		"Q\nA. a\nB. b\nC. c\nANSWER:C\n\nQ2\nA) x\n",
		"ANSWER: A\nA) a\n",
		"Q\r\nA)\ta\r\nB)\tb\r\nanswer: a",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog()()
		res, err := ParseAiken(data)
		checkImport(t, res, err)
	})
}

func FuzzParseMoodleXML(f *testing.F) {
	f.Add(fixture(f, "moodle/sample.xml"))
	for _, s := range []string{
		`<quiz><question type="multichoice"><questiontext format="markdown"><text>**Q**</text></questiontext><answer fraction="100"><text>a</text></answer><answer fraction="0" format="plain_text"><text>b</text></answer></question></quiz>`,
		`<quiz><question type="truefalse"><questiontext><text>Q</text></questiontext><answer fraction="100"><text>false</text></answer></question></quiz>`,
		`<quiz><question type="essay"><questiontext format="moodle_auto_format"><text>a&nbsp;b</text></questiontext><defaultgrade>NaN</defaultgrade><maxwordlimit>-4</maxwordlimit></question></quiz>`,
		`<quiz><question type="multichoice"><questiontext><text><![CDATA[<img src="@@PLUGINFILE@@/a.png">]]></text><file name="a.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext></question></quiz>`,
		`<quiz><question type="category"><category>$course$/A</category></question></quiz>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog()()
		res, err := ParseMoodleXML(data, "bs")
		checkImport(t, res, err)
	})
}

func FuzzParseQTIItem(f *testing.F) {
	for _, name := range []string{"qti/choice21.xml", "qti/choice22.xml", "qti/essay.xml", "qti/package/items/q2.xml", "qti/package/items/q6.xml"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`<assessmentItem identifier="x"><responseDeclaration identifier="R" cardinality="single"><mapping><mapEntry mapKey="a" mappedValue="1"/></mapping></responseDeclaration><itemBody><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">A</simpleChoice><simpleChoice identifier="b">B</simpleChoice></choiceInteraction></itemBody></assessmentItem>`))
	dir := fstest.MapFS{"chart.png": {Data: fixture(f, "images/chart.png")}, "sub/x.jpg": {Data: fixture(f, "images/sign.jpg")}}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog()()
		res, err := ParseQTIItem("item.xml", data, dir, "bs")
		checkImport(t, res, err)
	})
}

func FuzzParseQTIPackage(f *testing.F) {
	f.Add(zipDir(f, "qti/package"))
	item := string(fixture(f, "qti/package/items/q1.xml"))
	f.Add(zipOf(f, "imsmanifest.xml", strings.Replace(manifestOf, "%s", "items/q1.xml", 1), "items/q1.xml", item, "images/chart.png", string(fixture(f, "images/chart.png"))))
	f.Add(zipOf(f, "imsmanifest.xml", `<manifest xml:base="a/"><resources xml:base="b/"><resource type="imsqti_item_xmlv2p2" href="../q.xml"/></resources></manifest>`, "a/q.xml", item))
	f.Add(zipOf(f, "imsmanifest.xml", `<manifest><resources><resource type="imsqti_item_xmlv1p2" href="q.xml"/></resources></manifest>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog()()
		res, err := ParseQTIPackage(data, "bs")
		checkImport(t, res, err)
	})
}

func FuzzReduce(f *testing.F) {
	for _, s := range []string{
		"<p>a <b>b <i>c</i></b></p><ul><li>x<ol><li>y</li></ol></li></ul>",
		"# h\n\n* a\n* b\n\n```\ncode\n```\n> q",
		"x<sup>2</sup> \\(y\\) <table><tr><td>1</td></tr></table>",
		"1. a\n\n- b\n\n_c_ *d* `e` [f](g) <h> &amp;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		defer watchdog()()
		for _, format := range []textFormat{formatHTML, formatAuto, formatPlain, formatMarkdown} {
			for _, oneLine := range []bool{false, true} {
				r := reduce(s, format, oneLine)
				if r.text == "" {
					continue
				}
				if len(r.text) <= maxText {
					checkText(t, r.text)
				}
				if oneLine && strings.Contains(r.text, "\n") {
					t.Fatalf("one line is %q", r.text)
				}
			}
		}
	})
}
