package i18n

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var updateCyrillic = flag.Bool("update-cyrillic", false,
	"rewrite assets/i18n/*.sr-Cyrl.json as the transliteration of *.sr-Latn.json")

// serbianLatinToCyrillic is Serbian's one-to-one mapping of Gaj's Latin alphabet onto Vuk's
// Cyrillic; lj, nj and dž are single letters and are handled before it.
var serbianLatinToCyrillic = map[rune]rune{
	'a': 'а', 'b': 'б', 'c': 'ц', 'č': 'ч', 'ć': 'ћ', 'd': 'д', 'đ': 'ђ', 'e': 'е', 'f': 'ф',
	'g': 'г', 'h': 'х', 'i': 'и', 'j': 'ј', 'k': 'к', 'l': 'л', 'm': 'м', 'n': 'н', 'o': 'о',
	'p': 'п', 'r': 'р', 's': 'с', 'š': 'ш', 't': 'т', 'u': 'у', 'v': 'в', 'z': 'з', 'ž': 'ж',
}

var serbianDigraphs = map[string]rune{"lj": 'љ', "nj": 'њ', "dž": 'џ'}

// transliterate writes Serbian Latin text in Cyrillic, letter for letter, leaving template
// actions ({{.Count}}) as they are. Letters outside the Serbian alphabet (q, w, x, y) stay
// Latin, for TestSerbianCyrillicHasNoLatin to find.
func transliterate(s string) string {
	var b strings.Builder
	for s != "" {
		if strings.HasPrefix(s, "{{") {
			if end := strings.Index(s, "}}"); end >= 0 {
				b.WriteString(s[:end+2])
				s = s[end+2:]
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s)
		if r2, size2 := utf8.DecodeRuneInString(s[size:]); size2 > 0 {
			if c, ok := serbianDigraphs[string(unicode.ToLower(r))+string(unicode.ToLower(r2))]; ok {
				if unicode.IsUpper(r) {
					c = unicode.ToUpper(c)
				}
				b.WriteRune(c)
				s = s[size+size2:]
				continue
			}
		}
		if c, ok := serbianLatinToCyrillic[unicode.ToLower(r)]; ok {
			if unicode.IsUpper(r) {
				c = unicode.ToUpper(c)
			}
			r = c
		}
		b.WriteRune(r)
		s = s[size:]
	}
	return b.String()
}

func TestTransliterate(t *testing.T) {
	for latin, cyrillic := range map[string]string{
		"Ljubljana i Njegoš, Džamija":  "Љубљана и Његош, Џамија",
		"LJUBAV NJIVA DŽEP":            "ЉУБАВ ЊИВА ЏЕП",
		"Đurđevdan, ćuprija, čaša":     "Ђурђевдан, ћуприја, чаша",
		"Pitanje {{.N}} od {{.Total}}": "Питање {{.N}} од {{.Total}}",
		"PIN-a: 3 pokušaja…":           "ПИН-а: 3 покушаја…",
		"„navodnici“ — crta":           "„наводници“ — црта",
		"qwxy":                         "qwxy",
	} {
		if got := transliterate(latin); got != cyrillic {
			t.Errorf("transliterate(%q) = %q, want %q", latin, got, cyrillic)
		}
	}
}

// TestSerbianCyrillicIsTransliteration checks that every Serbian Cyrillic message is exactly
// the letter-for-letter transliteration of the Serbian Latin one: the two scripts are one
// language, and a translator edits only the Latin file. Run
//
//	go test ./i18n -run TestSerbianCyrillicIsTransliteration -update-cyrillic
//
// to regenerate the Cyrillic file after changing the Latin one.
func TestSerbianCyrillicIsTransliteration(t *testing.T) {
	files := catalogueFiles(t)
	latin := files["sr-Latn"]
	want := make([]entry, len(latin))
	for i, e := range latin {
		c := entry{ID: e.ID, Text: transliterate(e.Text)}
		if e.Forms != nil {
			c.Forms = make([]form, len(e.Forms))
			for j, f := range e.Forms {
				c.Forms[j] = form{f.Category, transliterate(f.Text)}
			}
		}
		want[i] = c
	}
	if *updateCyrillic {
		for _, part := range Parts {
			var out []entry
			for _, e := range partFile(t, part, "sr-Latn") {
				out = append(out, want[slices.IndexFunc(want, func(w entry) bool { return w.ID == e.ID })])
			}
			path := filepath.Join("..", "assets", "i18n", fileName(part, "sr-Cyrl"))
			if err := os.WriteFile(path, writeCatalogueFile(out), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s; run the tests again without -update-cyrillic", path)
		}
		return
	}
	cyrillic := byID(files["sr-Cyrl"])
	for _, w := range want {
		got, ok := cyrillic[w.ID]
		if !ok {
			continue // TestCataloguesHaveTheSameMessages reports it
		}
		gotTexts, wantTexts := got.texts(), w.texts()
		for cat, wantText := range wantTexts {
			if gotTexts[cat] != wantText {
				t.Errorf("sr-Cyrl %s [%s] = %q, want the transliteration of sr-Latn: %q", w.ID, cat, gotTexts[cat], wantText)
			}
		}
		for cat := range gotTexts {
			if _, ok := wantTexts[cat]; !ok {
				t.Errorf("sr-Cyrl %s has plural form %q, which sr-Latn does not", w.ID, cat)
			}
		}
	}
}

// TestSerbianCyrillicHasNoLatin checks that no Latin letter is left in the Cyrillic catalogue
// outside template fields: words such as "USB" or key names such as "A–F" must be template
// fields or written in Cyrillic.
func TestSerbianCyrillicHasNoLatin(t *testing.T) {
	for _, e := range catalogueFiles(t)["sr-Cyrl"] {
		for cat, text := range e.texts() {
			for _, r := range withoutActions(text) {
				if unicode.Is(unicode.Latin, r) {
					t.Errorf("sr-Cyrl %s [%s] has the Latin letter %q: %q", e.ID, cat, r, text)
					break
				}
			}
		}
	}
}

// withoutActions removes template actions from a message text.
func withoutActions(s string) string {
	var b strings.Builder
	for {
		start := strings.Index(s, "{{")
		if start < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:start])
		end := strings.Index(s[start:], "}}")
		if end < 0 {
			return b.String()
		}
		s = s[start+end+2:]
	}
}
