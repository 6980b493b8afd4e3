package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"ispit/assets"
)

// failOnProblem makes every problem l reports fail the test.
func failOnProblem(t *testing.T, l *Localizer) *Localizer {
	t.Helper()
	l.OnProblem(func(p Problem) { t.Error(p) })
	return l
}

func mustNew(t *testing.T, lang string) *Localizer {
	t.Helper()
	l, err := New(lang)
	if err != nil {
		t.Fatal(err)
	}
	return failOnProblem(t, l)
}

func TestT(t *testing.T) {
	data := map[string]any{"N": 7, "Total": 21}
	for lang, want := range map[string]string{
		"bs":      "Pitanje 7 od 21",
		"hr":      "Pitanje 7 od 21",
		"sr-Latn": "Pitanje 7 od 21",
		"sr-Cyrl": "Питање 7 од 21",
		"sq":      "Pyetja 7 nga 21",
		"en":      "Question 7 of 21",
	} {
		l := mustNew(t, lang)
		if got := l.T("candidate.question_of", data); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		if l.Lang() != lang {
			t.Errorf("Lang() = %q, want %q", l.Lang(), lang)
		}
	}
	if got := mustNew(t, "hr").T("common.save", nil); got != "Spremi" {
		t.Errorf("hr common.save = %q", got)
	}
	if got := mustNew(t, "bs").T("common.save", nil); got != "Sačuvaj" {
		t.Errorf("bs common.save = %q", got)
	}
}

func TestN(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"hr", 1, "Preostala je još 1 minuta."},
		{"hr", 2, "Preostale su još 2 minute."},
		{"hr", 5, "Preostalo je još 5 minuta."},
		{"hr", 10, "Preostalo je još 10 minuta."},
		{"hr", 11, "Preostalo je još 11 minuta."},
		{"hr", 21, "Preostala je još 21 minuta."},
		{"hr", 22, "Preostale su još 22 minute."},
		{"sr-Latn", 1, "Preostao je još 1 minut."},
		{"sr-Latn", 3, "Preostala su još 3 minuta."},
		{"sr-Cyrl", 5, "Преостало је још 5 минута."},
		{"sr-Cyrl", 1, "Преостао је још 1 минут."},
		{"sq", 1, "Ka mbetur edhe 1 minutë."},
		{"sq", 10, "Kanë mbetur edhe 10 minuta."},
		{"en", 1, "1 minute left."},
		{"en", 0, "0 minutes left."},
	} {
		if got := mustNew(t, c.lang).N("candidate.warning", c.n, nil); got != c.want {
			t.Errorf("%s N(candidate.warning, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	// The count and the caller's fields together; the caller's map is left alone.
	data := map[string]any{"Folder": "/media/usb", "Count": "not this"}
	if got, want := mustNew(t, "bs").N("proctor.outbox.exported", 3, data), "3 lista su izvezena u /media/usb."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if data["Count"] != "not this" || len(data) != 2 {
		t.Errorf("N changed the caller's data: %v", data)
	}
}

func TestNewRefusesUnknownLanguages(t *testing.T) {
	for _, lang := range []string{"", "de", "sr", "sr_RS", "en-US", "C"} {
		if _, err := New(lang); err == nil {
			t.Errorf("New(%q) did not fail", lang)
		}
	}
	l := mustNew(t, "sr-latn")
	if l.Lang() != "sr-Latn" {
		t.Errorf("Lang() = %q", l.Lang())
	}
	if err := l.SetLang("xx"); err == nil || l.Lang() != "sr-Latn" {
		t.Errorf("SetLang(xx) = %v, Lang() = %q", err, l.Lang())
	}
}

// testCatalogue is the embedded catalogue with edits made to its decoded files.
func testCatalogue(t *testing.T, edit func(files map[string]map[string]any)) *catalogue {
	t.Helper()
	files := map[string]map[string]any{}
	for _, tag := range Tags() {
		m := map[string]any{}
		for _, part := range Parts {
			data, err := fs.ReadFile(assets.Translations(), fileName(part, tag))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
		}
		files[tag] = m
	}
	edit(files)
	fsys := fstest.MapFS{}
	for tag, m := range files {
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		fsys[fileName(Parts[0], tag)] = &fstest.MapFile{Data: data}
		for _, part := range Parts[1:] {
			fsys[fileName(part, tag)] = &fstest.MapFile{Data: []byte("{}")}
		}
	}
	cat, err := loadCatalogue(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// recorder collects the problems a Localizer reports.
type recorder struct {
	mu       sync.Mutex
	problems []Problem
}

func (r *recorder) hook(p Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, p)
}

func (r *recorder) take() []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.problems
	r.problems = nil
	return p
}

func newRecorded(t *testing.T, cat *catalogue, lang string) (*Localizer, *recorder) {
	t.Helper()
	l, err := newLocalizer(cat, lang)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	l.OnProblem(r.hook)
	return l, r
}

func TestMissingTranslationShowsEnglishAndIsReported(t *testing.T) {
	cat := testCatalogue(t, func(files map[string]map[string]any) {
		delete(files["hr"], "candidate.question_of")
		delete(files["hr"], "candidate.warning")
	})
	l, r := newRecorded(t, cat, "hr")
	if got := l.T("candidate.question_of", map[string]any{"N": 3, "Total": 21}); got != "Question 3 of 21" {
		t.Errorf("got %q, want the English text", got)
	}
	if got := l.N("candidate.warning", 5, nil); got != "5 minutes left." {
		t.Errorf("got %q, want the English text", got)
	}
	ps := r.take()
	if len(ps) != 2 || ps[0].Kind != MissingTranslation || ps[0].Lang != "hr" || ps[0].ID != "candidate.question_of" || ps[1].ID != "candidate.warning" {
		t.Errorf("problems %v", ps)
	}
	// Other messages of the language are unaffected.
	if got := l.T("common.save", nil); got != "Spremi" || len(r.take()) != 0 {
		t.Errorf("common.save = %q", got)
	}
}

func TestUnknownMessageIsReported(t *testing.T) {
	for _, lang := range []string{"sq", "en"} {
		l, r := newRecorded(t, mustCatalogue(t), lang)
		if got := l.T("candidate.no_such_message", nil); got != "candidate.no_such_message" {
			t.Errorf("%s: got %q", lang, got)
		}
		if ps := r.take(); len(ps) != 1 || ps[0].Kind != UnknownMessage || ps[0].ID != "candidate.no_such_message" {
			t.Errorf("%s: problems %v", lang, ps)
		}
	}
}

func mustCatalogue(t *testing.T) *catalogue {
	t.Helper()
	cat, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestMissingFieldShowsAGapAndIsReported(t *testing.T) {
	l, r := newRecorded(t, mustCatalogue(t), "sr-Cyrl")
	if got, want := l.T("candidate.question_of", map[string]any{"N": 4}), "Питање 4 од …"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if ps := r.take(); len(ps) != 1 || ps[0].Kind != BadTemplate || ps[0].Err == nil {
		t.Errorf("problems %v", ps)
	}
	// T on a plural message has no count: the "other" form, with a gap for the count.
	if got, want := l.T("candidate.warning", nil), "Преостало је још … минута."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if ps := r.take(); len(ps) != 1 || ps[0].Kind != BadTemplate {
		t.Errorf("problems %v", ps)
	}
}

func TestMissingPluralFormShowsOtherAndIsReported(t *testing.T) {
	cat := testCatalogue(t, func(files map[string]map[string]any) {
		delete(files["bs"]["candidate.warning"].(map[string]any), "few")
	})
	l, r := newRecorded(t, cat, "bs")
	if got, want := l.N("candidate.warning", 3, nil), "Preostalo je još 3 minuta."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if ps := r.take(); len(ps) != 1 || ps[0].Kind != BadTemplate {
		t.Errorf("problems %v", ps)
	}
}

func TestBrokenTemplateFallsBackToEnglish(t *testing.T) {
	cat := testCatalogue(t, func(files map[string]map[string]any) {
		files["sq"]["candidate.question_of"] = "Pyetja {{.N nga {{.Total}}"
	})
	l, r := newRecorded(t, cat, "sq")
	if got := l.T("candidate.question_of", map[string]any{"N": 1, "Total": 2}); got != "Question 1 of 2" {
		t.Errorf("got %q", got)
	}
	if ps := r.take(); len(ps) != 1 || ps[0].Kind != BadTemplate {
		t.Errorf("problems %v", ps)
	}
}

func TestDefaultHookLogsEachProblemOnce(t *testing.T) {
	var buf bytes.Buffer
	defer log.SetOutput(log.Writer())
	defer log.SetFlags(log.Flags())
	log.SetOutput(&buf)
	log.SetFlags(0)
	l, err := New("hr")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		l.T("test.only.default_hook", nil)
	}
	if got := strings.Count(buf.String(), "\n"); got != 1 || !strings.Contains(buf.String(), "unknown message: test.only.default_hook in hr") {
		t.Errorf("logged %d times: %q", got, buf.String())
	}
	// A hook replaces the log; nil brings it back.
	l.OnProblem(func(Problem) {})
	l.T("test.only.hooked", nil)
	l.OnProblem(nil)
	l.T("test.only.unhooked", nil)
	if strings.Contains(buf.String(), "test.only.hooked") || !strings.Contains(buf.String(), "test.only.unhooked") {
		t.Errorf("log %q", buf.String())
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{Kind: MissingTranslation, Lang: "sq", ID: "a.b", Err: fmt.Errorf("x")}
	if got := p.String(); got != "i18n: missing translation: a.b in sq: x" {
		t.Errorf("%q", got)
	}
	if got := ProblemKind(9).String(); got != "ProblemKind(9)" {
		t.Errorf("%q", got)
	}
}

// questionOf is what candidate.question_of with N=2, Total=9 is in each language.
var questionOf = map[string]string{
	"bs": "Pitanje 2 od 9", "hr": "Pitanje 2 od 9", "sr-Latn": "Pitanje 2 od 9",
	"sr-Cyrl": "Питање 2 од 9", "sq": "Pyetja 2 nga 9", "en": "Question 2 of 9",
}

// TestSwitchingOneLocalizer switches one Localizer between every language while other
// goroutines read from it: every text read is whole and in one of the languages, and after
// the switching stops the text follows the last SetLang.
func TestSwitchingOneLocalizer(t *testing.T) {
	l := mustNew(t, "en")
	data := map[string]any{"N": 2, "Total": 9}
	valid := map[string]bool{}
	for _, s := range questionOf {
		valid[s] = true
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if got := l.T("candidate.question_of", data); !valid[got] {
					t.Errorf("read %q while switching", got)
					return
				}
				_ = l.N("candidate.warning", 3, nil)
			}
		})
	}
	tags := Tags()
	for i := range 300 {
		if err := l.SetLang(tags[i%len(tags)]); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	for _, tag := range tags {
		if err := l.SetLang(tag); err != nil {
			t.Fatal(err)
		}
		if got := l.T("candidate.question_of", data); got != questionOf[tag] {
			t.Errorf("after SetLang(%s): %q", tag, got)
		}
	}
}

// TestSeveralLocalizersAtOnce runs one Localizer per terminal and language at the same time,
// each switching between its own two languages.
func TestSeveralLocalizersAtOnce(t *testing.T) {
	tags := Tags()
	data := map[string]any{"N": 2, "Total": 9}
	var wg sync.WaitGroup
	for i := range 12 {
		a, b := tags[i%len(tags)], tags[(i+1)%len(tags)]
		wg.Go(func() {
			l, err := New(a)
			if err != nil {
				t.Error(err)
				return
			}
			l.OnProblem(func(p Problem) { t.Error(p) })
			for j := range 200 {
				lang := a
				if j%2 == 1 {
					lang = b
				}
				if err := l.SetLang(lang); err != nil {
					t.Error(err)
					return
				}
				if got := l.T("candidate.question_of", data); got != questionOf[lang] {
					t.Errorf("Localizer %d in %s: %q", i, lang, got)
					return
				}
				if got := l.N("candidate.written.words", j, nil); !strings.HasPrefix(got, fmt.Sprint(j, " ")) {
					t.Errorf("Localizer %d in %s: %q", i, lang, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
