package console

import (
	"strings"
	"testing"
)

func TestBankText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"One line.", "<p>One line.</p>"},
		{"First\nstill first.\n\nSecond.", "<p>First still first.</p><p>Second.</p>"},
		{"Write **the decision** and *its reasons*.", "<p>Write <strong>the decision</strong> and <em>its reasons</em>.</p>"},
		{"Steps:\n- one\n- **two**\n\n1. a\n2) b", "<p>Steps:</p><ul><li>one</li><li><strong>two</strong></li></ul><ol><li>a</li><li>b</li></ol>"},
		{"<script>alert(1)</script> & \"x\"", "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;</p>"},
		{"**<b>bold</b>**", "<p><strong>&lt;b&gt;bold&lt;/b&gt;</strong></p>"},
		{"a * b * c", "<p>a * b * c</p>"},
		{"Пиши **ћирилицом**.", "<p>Пиши <strong>ћирилицом</strong>.</p>"},
	} {
		if got := string(bankText(tt.in)); got != tt.want {
			t.Errorf("bankText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzBankText(f *testing.F) {
	for _, s := range []string{"**a**", "- x\n1. y", "<img src=x onerror=alert(1)>", "*\n*", "\r\n\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(bankText(s))
		stripped := strings.NewReplacer("<p>", "", "</p>", "", "<ul>", "", "</ul>", "", "<ol>", "", "</ol>", "", "<li>", "",
			"</li>", "", "<strong>", "", "</strong>", "", "<em>", "", "</em>", "").Replace(out)
		if strings.ContainsAny(stripped, "<>") {
			t.Fatalf("bankText(%q) lets markup through: %q", s, out)
		}
	})
}

func TestShortID(t *testing.T) {
	for id, want := range map[string]string{
		"":                                     "",
		"T-01":                                 "T-01",
		"123456789":                            "123456789",
		"1234567890":                           "…34567890",
		"0193a1b2-7c3d-7e4f-8a5b-1c2d3e4f5a6b": "…3e4f5a6b",
		"сесија-прва-ћџђ":                      "…прва-ћџђ",
	} {
		if got := shortID(id); got != want {
			t.Errorf("shortID(%q) = %q, want %q", id, got, want)
		}
	}
}
