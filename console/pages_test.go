package console_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ispit/i18n"
	"ispit/internal/competition"
)

// TestEveryPageInEveryLanguage opens every screen in each of the six languages after a whole
// competition: nothing may be missing from a catalogue (newWorld fails the test on any
// catalogue problem), no page may fail, and every page must be valid enough to parse.
func TestEveryPageInEveryLanguage(t *testing.T) {
	w := newWorld(t)
	gradeTheDemo(t, w)
	interviewAll(t, w, func(string, int) int { return 20 })
	sec := w.signIn("tajnica")
	code := w.receipts["DEMO-0001 "+competition.WrittenPart]
	sec.post("/appeals/"+code, "/appeals/"+code, url.Values{"sheet": {sheetOf(t, w, code)}, "grounds": {"Ocjena je preniska."}})
	sec.upload(amendment(t, w, w.sat.authority, 1, "pro-mc-01"))
	ana := w.signIn("ana")
	written := url.PathEscape(competition.WrittenPosition)
	pages := map[*browser][]string{
		sec: {"/", "/results", "/results/" + written, "/results/" + written + "/record", "/disputes", "/day", "/items",
			"/items/demo-2026/public", "/items/demo-2026/professional-choice", "/appeals", "/appeals/" + code,
			"/amendments", "/users", "/audit", "/rules", "/password"},
		ana: {"/", "/grading", "/interviews", "/interviews/" + written},
	}
	shots := os.Getenv("ISPIT_CONSOLE_HTML")
	for _, lang := range i18n.Tags() {
		for b, paths := range pages {
			b.lang = lang
			setLanguage(t, b, lang)
			for _, path := range paths {
				p := b.get(path)
				if p.status != http.StatusOK {
					t.Errorf("%s %s: %d", lang, path, p.status)
					continue
				}
				if !strings.Contains(p.body, `<html lang="`+lang+`">`) {
					t.Errorf("%s %s is not in %s", lang, path, lang)
				}
				if m := leftover.FindString(p.body); m != "" {
					t.Errorf("%s %s shows %q", lang, path, m)
				}
				if shots != "" {
					name := lang + strings.ReplaceAll(path, "/", "_") + ".html"
					os.WriteFile(filepath.Join(shots, name), []byte(p.body), 0o644)
				}
			}
		}
	}
}

// leftover finds what a template leaves when it goes wrong: a raw message id, a Go value.
var leftover = regexp.MustCompile(`console\.[a-z_]+\.[a-z_.]+|<no value>|%!|map\[|&lt;nil&gt;`)

func setLanguage(t *testing.T, b *browser, lang string) {
	t.Helper()
	p := b.get("/language?lang=" + lang + "&back=/")
	if p.status != http.StatusSeeOther {
		t.Fatalf("choosing %s: %d", lang, p.status)
	}
}

func sheetOf(t *testing.T, w *world, code string) string {
	t.Helper()
	for _, m := range regexp.MustCompile(`name="sheet" value="([^"]+)"`).FindAllStringSubmatch(w.signIn("tajnica").get("/appeals/"+code).body, -1) {
		return m[1]
	}
	t.Fatalf("no sheet behind %s", code)
	return ""
}
