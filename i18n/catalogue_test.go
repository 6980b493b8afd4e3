package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"

	"ispit/assets"
	"ispit/bank"
)

// cldrCategories are the CLDR plural categories of each language for whole numbers, which
// are all the kiosk counts: Bosnian, Croatian and Serbian have one (1, 21, 31, …), few
// (2–4, 22–24, …) and other (0, 5–20, 25–30, …); Albanian and English one (1) and other.
var cldrCategories = map[string][]string{
	"bs":      {"few", "one", "other"},
	"hr":      {"few", "one", "other"},
	"sr-Latn": {"few", "one", "other"},
	"sr-Cyrl": {"few", "one", "other"},
	"sq":      {"one", "other"},
	"en":      {"one", "other"},
}

// cldrCategory is the CLDR plural category of a whole number n in a language.
func cldrCategory(lang string, n int) string {
	if len(cldrCategories[lang]) == 2 {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	switch i10, i100 := n%10, n%100; {
	case i10 == 1 && i100 != 11:
		return "one"
	case i10 >= 2 && i10 <= 4 && (i100 < 12 || i100 > 14):
		return "few"
	}
	return "other"
}

// alphabets are the letters each language's text may use outside template fields: a
// Bosnian, Croatian or Serbian Latin text with an Albanian ë, or an Albanian text with a č,
// was pasted into the wrong file.
var alphabets = map[string]string{
	"bs":      "abcčćdđefghijklmnoprsštuvzž",
	"hr":      "abcčćdđefghijklmnoprsštuvzž",
	"sr-Latn": "abcčćdđefghijklmnoprsštuvzž",
	"sr-Cyrl": "абвгдђежзијклљмнњопрстћуфхцчџш",
	"sq":      "abcçdeëfghijklmnopqrstuvxyz",
	"en":      "abcdefghijklmnopqrstuvwxyz",
}

func TestEveryLanguageHasItsFileAndNoOtherFileIsThere(t *testing.T) {
	var want []string
	for _, tag := range Tags() {
		for _, part := range Parts {
			want = append(want, fileName(part, tag))
		}
	}
	names, err := fs.Glob(assets.Translations(), "*")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("catalogue files %v, want %v", names, want)
	}
}

func TestLanguagesAreTheBanksLanguages(t *testing.T) {
	if !slices.Equal(Tags(), bank.Languages) {
		t.Errorf("Tags() = %v, bank.Languages = %v", Tags(), bank.Languages)
	}
	names := map[string]string{}
	for _, l := range Languages() {
		names[l.Tag] = l.Name
	}
	if names["sr-Cyrl"] != "Српски (ћирилица)" || names["sq"] != "Shqip" || names["sr-Latn"] != "Srpski (latinica)" {
		t.Errorf("language names %v", names)
	}
	ls := Languages()
	ls[0].Name = "changed"
	if Languages()[0].Name == "changed" {
		t.Error("Languages returns its own slice")
	}
}

// TestCataloguesHaveTheSameMessages fails when a catalogue lacks a message another has, or
// has one the others lack.
func TestCataloguesHaveTheSameMessages(t *testing.T) {
	files := catalogueFiles(t)
	all := map[string][]string{} // id → languages that have it
	for _, tag := range Tags() {
		for _, e := range files[tag] {
			all[e.ID] = append(all[e.ID], tag)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(all)) {
		if have := all[id]; len(have) != len(Tags()) {
			var lack []string
			for _, tag := range Tags() {
				if !slices.Contains(have, tag) {
					lack = append(lack, tag)
				}
			}
			t.Errorf("message %s is in %v but not in %v", id, have, lack)
		}
	}
	if len(files[Fallback]) < 100 {
		t.Errorf("the English catalogue has only %d messages", len(files[Fallback]))
	}
}

// TestGoI18nReadsWhatTheFilesSay checks that go-i18n takes the flat dotted ids as they are
// written, with no message lost to its nesting rules.
func TestGoI18nReadsWhatTheFilesSay(t *testing.T) {
	cat, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	for tag, entries := range catalogueFiles(t) {
		var ids []string
		for _, e := range entries {
			ids = append(ids, e.ID)
			m := cat.messages[tag][e.ID]
			if m == nil {
				continue
			}
			if got, want := pluralForms(m), e.texts(); !maps.Equal(got, want) {
				t.Errorf("%s %s: go-i18n read %v, the file says %v", tag, e.ID, got, want)
			}
		}
		slices.Sort(ids)
		if got := slices.Sorted(maps.Keys(cat.messages[tag])); !slices.Equal(got, ids) {
			t.Errorf("%s: go-i18n read %d messages, the file has %d", tag, len(got), len(ids))
		}
	}
	if got := IDs(); !slices.Equal(got, cat.ids) || !slices.IsSorted(got) || len(got) != len(catalogueFiles(t)[Fallback]) {
		t.Errorf("IDs() has %d ids, the English catalogue %d", len(got), len(cat.ids))
	}
}

func TestIDsAreStableDottedKeys(t *testing.T) {
	for _, e := range catalogueFiles(t)[Fallback] {
		parts := strings.Split(e.ID, ".")
		if len(parts) < 2 {
			t.Errorf("id %q has no screen group", e.ID)
		}
		for _, p := range parts {
			if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
				t.Errorf("id %q: each part is lower-case letters, digits and underscores", e.ID)
				break
			}
			if slices.Contains(pluralCategories, p) || p == "description" || p == "id" || p == "hash" || p == "translation" {
				t.Errorf("id %q: %q is a key go-i18n reserves", e.ID, p)
			}
		}
	}
}

// TestPlaceholdersAgree checks that every template parses, holds only plain fields, and uses
// exactly the fields of the English message, in every language and every plural form.
func TestPlaceholdersAgree(t *testing.T) {
	files := catalogueFiles(t)
	english := map[string]map[string]bool{}
	for _, e := range files[Fallback] {
		fields := map[string]bool{}
		for cat, text := range e.texts() {
			used, err := templateFields(text)
			if err != nil {
				t.Errorf("en %s [%s]: %v", e.ID, cat, err)
				continue
			}
			maps.Copy(fields, used)
		}
		english[e.ID] = fields
	}
	for _, tag := range Tags() {
		for _, e := range files[tag] {
			want, ok := english[e.ID]
			if !ok {
				continue
			}
			for cat, text := range e.texts() {
				used, err := templateFields(text)
				if err != nil {
					t.Errorf("%s %s [%s]: %v", tag, e.ID, cat, err)
					continue
				}
				if !maps.Equal(used, want) {
					t.Errorf("%s %s [%s] uses fields %v; the English message uses %v", tag, e.ID, cat, slices.Sorted(maps.Keys(used)), slices.Sorted(maps.Keys(want)))
				}
			}
		}
	}
}

// TestPluralForms checks that a message is plural in every language or in none, that a plural
// message has exactly its language's CLDR categories, that each form shows the count, and
// that go-i18n's plural rules choose the form CLDR prescribes.
func TestPluralForms(t *testing.T) {
	files := catalogueFiles(t)
	englishPlural := map[string]bool{}
	for _, e := range files[Fallback] {
		englishPlural[e.ID] = e.Forms != nil
	}
	for _, tag := range Tags() {
		distinct := "" // a plural message whose forms all differ, for checking the rules
		for _, e := range files[tag] {
			if e.Forms == nil {
				if englishPlural[e.ID] {
					t.Errorf("%s %s is a plain message; in English it is plural", tag, e.ID)
				}
				continue
			}
			if !englishPlural[e.ID] {
				t.Errorf("%s %s is plural; in English it is a plain message", tag, e.ID)
			}
			if got := e.categories(); !slices.Equal(got, cldrCategories[tag]) {
				t.Errorf("%s %s has plural forms %v, want %v", tag, e.ID, got, cldrCategories[tag])
			}
			texts := e.texts()
			for cat, text := range texts {
				if !strings.Contains(text, "{{.Count}}") {
					t.Errorf("%s %s [%s] does not show {{.Count}}", tag, e.ID, cat)
				}
			}
			uniq := map[string]bool{}
			for _, text := range texts {
				uniq[text] = true
			}
			if distinct == "" && len(uniq) == len(cldrCategories[tag]) && onlyCount(texts) {
				distinct = e.ID
			}
		}
		if distinct == "" {
			t.Errorf("%s: no plural message tells its forms apart", tag)
			continue
		}
		l, err := New(tag)
		if err != nil {
			t.Fatal(err)
		}
		l.OnProblem(func(p Problem) { t.Error(p) })
		texts := byID(files[tag])[distinct].texts()
		for n := range 1000 {
			want := strings.ReplaceAll(texts[cldrCategory(tag, n)], "{{.Count}}", fmt.Sprint(n))
			if got := l.N(distinct, n, nil); got != want {
				t.Errorf("%s: N(%s, %d) = %q, want the %s form %q", tag, distinct, n, got, cldrCategory(tag, n), want)
				break
			}
		}
	}
}

func onlyCount(texts map[string]string) bool {
	for _, text := range texts {
		used, err := templateFields(text)
		if err != nil || len(used) != 1 || !used["Count"] {
			return false
		}
	}
	return true
}

// sampleData gives every field a message uses a value, as a screen would.
func sampleData(fields map[string]bool) map[string]any {
	data := map[string]any{}
	for f := range fields {
		switch f {
		case "Count":
		case "N", "Total", "Typed", "Answered", "Words", "Limit":
			data[f] = 7
		default:
			data[f] = "«" + f + "»"
		}
	}
	return data
}

// TestEveryMessageRenders renders every message of every language through a Localizer, as a
// screen would, and fails on any problem the Localizer reports, on a raw key and on template
// syntax left in the text.
func TestEveryMessageRenders(t *testing.T) {
	cat, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range Tags() {
		l, err := New(tag)
		if err != nil {
			t.Fatal(err)
		}
		l.OnProblem(func(p Problem) { t.Error(p) })
		for _, id := range IDs() {
			fields, _ := cat.messageFields(Fallback, id)
			data := sampleData(fields)
			var outs []string
			if len(pluralForms(cat.messages[Fallback][id])) > 1 {
				for _, n := range []int{0, 1, 2, 5, 11, 21, 22, 25, 101, 1000} {
					outs = append(outs, l.N(id, n, data))
				}
			} else {
				outs = append(outs, l.T(id, data))
			}
			for _, out := range outs {
				switch {
				case out == "" || out == id:
					t.Errorf("%s %s renders as %q", tag, id, out)
				case strings.Contains(out, "{{") || strings.Contains(out, "}}") || strings.Contains(out, "<no value>"):
					t.Errorf("%s %s renders with template syntax left: %q", tag, id, out)
				case strings.TrimSpace(out) != out || strings.Contains(out, "  "):
					t.Errorf("%s %s has stray spaces: %q", tag, id, out)
				}
			}
		}
	}
}

// TestAlphabets fails on a letter outside the language's alphabet, outside template fields.
func TestAlphabets(t *testing.T) {
	for tag, entries := range catalogueFiles(t) {
		for _, e := range entries {
			for cat, text := range e.texts() {
				for _, r := range withoutActions(text) {
					if unicode.IsLetter(r) && !strings.ContainsRune(alphabets[tag], unicode.ToLower(r)) {
						t.Errorf("%s %s [%s]: %q is not a letter of the language: %q", tag, e.ID, cat, r, text)
						break
					}
				}
			}
		}
	}
}

// TestTranslationsAreTranslated flags a message left identical to English; the few that are
// rightly the same in a language are listed.
func TestTranslationsAreTranslated(t *testing.T) {
	same := map[string][]string{ // message id → languages where the English text is right
		"proctor.pin.label":    {"bs", "hr", "sr-Latn", "sq"}, // "PIN"
		"common.terminal":      {"bs", "hr", "sr-Latn"},       // "Terminal {{.Terminal}}"
		"console.day.terminal": {"bs", "hr", "sr-Latn"},       // "Terminal", a column header
		"fyne.folder":          {"bs"},                        // "Folder"
	}
	files := catalogueFiles(t)
	english := byID(files[Fallback])
	for _, tag := range Tags() {
		if tag == Fallback {
			continue
		}
		for _, e := range files[tag] {
			en, ok := english[e.ID]
			if !ok || slices.Contains(same[e.ID], tag) {
				continue
			}
			if maps.Equal(e.texts(), en.texts()) {
				t.Errorf("%s %s is the English text %q", tag, e.ID, en.texts()["other"])
			}
		}
	}
}

func TestFyneTranslations(t *testing.T) {
	english := map[string]string{}
	for _, tag := range Tags() {
		data, err := FyneTranslations(tag)
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		var got map[string]string
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(fyneKeys))) {
			t.Errorf("%s: keys %v", tag, slices.Sorted(maps.Keys(got)))
		}
		for k, v := range got {
			if v == "" {
				t.Errorf("%s: %q is empty", tag, k)
			}
		}
		if tag == Fallback {
			english = got
		}
	}
	// Fyne's English text is the key itself, but for the two keys in its dotted style.
	for k, v := range english {
		if want := map[string]string{"file.name": "Name", "file.parent": "Parent"}[k]; want != "" {
			k = want
		}
		if v != k {
			t.Errorf("en: Fyne's %q is %q", k, v)
		}
	}
	if data, _ := FyneTranslations("sr-Cyrl"); !strings.Contains(string(data), `"Cancel": "Откажи"`) {
		t.Errorf("sr-Cyrl: %s", data)
	}
	if _, err := FyneTranslations("de"); err == nil {
		t.Error("FyneTranslations(de) did not fail")
	}
}
