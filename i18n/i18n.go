// Package i18n is the translation layer of the kiosk and of the commission's console: the
// message catalogues of the six exam languages (built into the programs from
// assets.Translations, in the go-i18n message format, one file per language for each of Parts)
// behind a Localizer that can switch language at run time, per candidate or per request.
//
// Fyne's own lang package picks one language from the system locale at start and cannot
// switch later, so screens take their text from a Localizer instead:
//
//	loc, _ := i18n.New(i18n.FromEnv(os.Getenv)) // the proctor's screens: the system locale
//	_ = loc.SetLang("bs")                       // the candidate chose Bosnian
//	title := loc.T("candidate.question_of", map[string]any{"N": 7, "Total": 21}) // "Pitanje 7 od 21"
//	left := loc.N("candidate.warning", 5, nil)                                   // "Preostalo je još 5 minuta."
//
// Message ids are stable dotted keys grouped by screen (the kiosk's common., admin.,
// proctor., candidate., a11y., error., state., fyne.; the console's console.). A user never sees a raw key silently: a message
// missing from a language is shown in English, and every such problem is reported through the
// Localizer's hook (OnProblem), which tests use to fail.
package i18n

import (
	"errors"
	"fmt"
	"log"
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Fallback is the language shown when a message is missing from the chosen language, and the
// language Pick chooses for a locale it does not know.
const Fallback = "en"

// gap stands in for a template field the caller did not supply.
const gap = "…"

// ProblemKind says what went wrong while localizing a message.
type ProblemKind int

const (
	// MissingTranslation: the language has no such message; the English text was shown.
	MissingTranslation ProblemKind = iota + 1
	// UnknownMessage: no catalogue has the message id, not even English; the id was shown.
	UnknownMessage
	// BadTemplate: the message exists but did not render as asked: a field it uses was not
	// supplied (shown as "…"), the language lacks the plural form the count needs (the
	// "other" form was shown), or the template does not parse.
	BadTemplate
)

// String names the kind.
func (k ProblemKind) String() string {
	switch k {
	case MissingTranslation:
		return "missing translation"
	case UnknownMessage:
		return "unknown message"
	case BadTemplate:
		return "bad template"
	}
	return fmt.Sprintf("ProblemKind(%d)", int(k))
}

// Problem is one message that could not be shown as its language has it.
type Problem struct {
	Kind ProblemKind
	Lang string // the language asked for
	ID   string // the message id
	Err  error  // what go-i18n or the template reported, if anything
}

// String describes the problem in one line, for logs and test failures.
func (p Problem) String() string {
	s := fmt.Sprintf("i18n: %s: %s in %s", p.Kind, p.ID, p.Lang)
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

// Localizer gives the kiosk's text in one language at a time. Its language can be changed at
// any time with SetLang; it is safe for concurrent use, and several Localizers (one per
// candidate, one for the proctor) may be used at once.
type Localizer struct {
	cat    *catalogue
	lang   atomic.Pointer[string]
	report atomic.Pointer[func(Problem)]
}

// New returns a Localizer for lang, one of the tags of Languages ("sr-Cyrl"); use Pick to map
// a system locale to one. It fails only for an unknown language or if the embedded catalogues
// cannot be read.
func New(lang string) (*Localizer, error) {
	cat, err := embedded()
	if err != nil {
		return nil, err
	}
	return newLocalizer(cat, lang)
}

// NewKiosk is New over the kiosk's part of the catalogue alone (KioskPart), for the kiosk,
// which shows none of the console's messages and so need not hold them in memory.
func NewKiosk(lang string) (*Localizer, error) {
	cat, err := embeddedKiosk()
	if err != nil {
		return nil, err
	}
	return newLocalizer(cat, lang)
}

func newLocalizer(cat *catalogue, lang string) (*Localizer, error) {
	l := &Localizer{cat: cat}
	if err := l.SetLang(lang); err != nil {
		return nil, err
	}
	return l, nil
}

// SetLang switches the Localizer to lang, one of the tags of Languages (compared without
// regard to case). Text obtained afterwards is in the new language; text already on screen is
// the caller's to refresh.
func (l *Localizer) SetLang(lang string) error {
	tag, ok := canonicalTag(lang)
	if !ok {
		return fmt.Errorf("i18n: unknown language %q; the kiosk has %s", lang, strings.Join(Tags(), ", "))
	}
	l.lang.Store(&tag)
	return nil
}

// Lang returns the Localizer's language tag ("sr-Cyrl").
func (l *Localizer) Lang() string { return *l.lang.Load() }

// OnProblem sets the function that receives every problem met while localizing (a message
// missing from the language, an unknown id, a field not supplied); nil restores the default,
// which logs each distinct problem once. Tests set it to fail. f may be called from any
// goroutine that calls T or N, and must not call back into this Localizer's OnProblem.
func (l *Localizer) OnProblem(f func(Problem)) {
	if f == nil {
		l.report.Store(nil)
		return
	}
	l.report.Store(&f)
}

// T returns the message id in the Localizer's language, with data's values in its template
// fields ({{.Name}} takes data["Name"]). A message missing from the language is given in
// English; an id no catalogue has is returned as it is. Either is reported to the problem hook.
func (l *Localizer) T(id string, data map[string]any) string {
	return l.localize(id, nil, data)
}

// N returns the plural message id for count, in the form the language's CLDR plural rules
// choose (bs, hr, sr: one, few, other; sq, en: one, other). The count is the template field
// Count, beside data's values. Problems are handled as by T.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	d := make(map[string]any, len(data)+1)
	maps.Copy(d, data)
	d["Count"] = count
	return l.localize(id, &count, d)
}

func (l *Localizer) localize(id string, count *int, data map[string]any) string {
	lang := l.Lang()
	text, err := l.cat.render(lang, id, count, data)
	if err == nil {
		return text
	}
	var notFound *goi18n.MessageNotFoundErr
	if errors.As(err, &notFound) {
		if _, ok := l.cat.messages[Fallback][id]; !ok || lang == Fallback {
			l.problem(Problem{Kind: UnknownMessage, Lang: lang, ID: id, Err: err})
			return id
		}
		l.problem(Problem{Kind: MissingTranslation, Lang: lang, ID: id, Err: err})
		lang = Fallback
		if text, err = l.cat.render(lang, id, count, data); err == nil {
			return text
		}
	}
	l.problem(Problem{Kind: BadTemplate, Lang: lang, ID: id, Err: err})
	if text != "" {
		return text // the "other" form, for a plural form the language lacks
	}
	return l.renderLeniently(lang, id, count, data)
}

// renderLeniently renders a message that exists in lang, filling every field the caller did
// not supply with a visible gap; failing that (a template that does not parse), the English
// text; failing that, the id. Problems have been reported already.
func (l *Localizer) renderLeniently(lang, id string, count *int, data map[string]any) string {
	for _, try := range []string{lang, Fallback} {
		fields, ok := l.cat.messageFields(try, id)
		if !ok {
			continue
		}
		filled := make(map[string]any, len(data)+len(fields))
		for f := range fields {
			filled[f] = gap
		}
		maps.Copy(filled, data)
		if text, err := l.cat.render(try, id, count, filled); err == nil || text != "" {
			return text
		}
	}
	return id
}

func (l *Localizer) problem(p Problem) {
	if f := l.report.Load(); f != nil {
		(*f)(p)
		return
	}
	logOnce(p)
}

// logged holds the problems the default hook has logged, so that each is logged once.
var logged sync.Map

func logOnce(p Problem) {
	key := fmt.Sprint(p.Kind, "\x00", p.Lang, "\x00", p.ID)
	if _, seen := logged.LoadOrStore(key, true); !seen {
		log.Print(p.String())
	}
}

// IDs returns every message id of the catalogues (those of the English one), sorted.
func IDs() []string {
	cat, err := embedded()
	if err != nil {
		return nil
	}
	return append([]string(nil), cat.ids...)
}
