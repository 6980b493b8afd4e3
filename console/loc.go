package console

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"ispit/bank"
	"ispit/i18n"
)

// loc gives templates the console's text in the member's language.
type loc struct {
	l    *i18n.Localizer
	lang string
}

func (c *Console) newLoc(lang string) *loc {
	l, err := i18n.New(lang)
	if err != nil {
		l, _ = i18n.New(i18n.Fallback)
		lang = i18n.Fallback
	}
	if c.cfg.OnTextProblem != nil {
		l.OnProblem(func(p i18n.Problem) { c.cfg.OnTextProblem(p.String()) })
	}
	return &loc{l: l, lang: lang}
}

// fields turns template arguments "Name", value, … into a message's data.
func fields(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return data
}

// T is a message: {{.L.T "console.grading.task_of" "N" 1 "Of" 2}}.
func (l *loc) T(id string, kv ...any) string { return l.l.T(id, fields(kv)) }

// N is a plural message for count n.
func (l *loc) N(id string, n int, kv ...any) string { return l.l.N(id, n, fields(kv)) }

// Enum is the message for one value of a set, "console.outcome" and "successful" giving
// console.outcome.successful; the hyphens of values ("sign-in") are underscores in ids.
func (l *loc) Enum(prefix string, value any) string {
	return l.T(prefix + "." + strings.ReplaceAll(fmt.Sprint(value), "-", "_"))
}

// auditFields are the keys of audit entries' details that the catalogue names.
var auditFields = map[string]bool{
	"script": true, "item": true, "sheet": true, "points": true, "comment": true, "kind": true, "note": true,
	"graders": true, "candidate": true, "position": true, "bank": true, "sequence": true, "reason": true,
	"changes": true, "candidates": true, "roles": true, "full_name": true, "disagreement": true, "list": true,
	"grounds": true, "appeal": true, "decision": true, "reasons": true,
	"attempt": true, "from": true, "to": true, "seq": true, "confirmed_by": true,
}

// Field names a key of an audit entry's detail; a key the catalogue does not know stays as it is.
func (l *loc) Field(key string) string {
	if id, ok := strings.CutPrefix(key, "competence "); ok {
		return l.T("console.audit.field.competence", "ID", id)
	}
	if auditFields[key] {
		return l.T("console.audit.field." + key)
	}
	return key
}

// Text picks a bank text in the member's language, else in the given one, else any.
func (l *loc) Text(t bank.Text, prefer ...string) string {
	if s, ok := t[l.lang]; ok && s != "" {
		return s
	}
	for _, p := range prefer {
		if s, ok := t[p]; ok && s != "" {
			return s
		}
	}
	for _, lang := range bank.Languages {
		if s := t[lang]; s != "" {
			return s
		}
	}
	return ""
}

// dateLayouts write dates as each language's readers expect.
var dateLayouts = map[string]string{
	"bs": "2. 1. 2006. 15:04", "hr": "2. 1. 2006. 15:04", "sr-Latn": "2. 1. 2006. 15:04", "sr-Cyrl": "2. 1. 2006. 15:04",
	"sq": "02.01.2006 15:04", "en": "2 Jan 2006 15:04",
}

// Time writes a moment in the scorer's local time.
func (l *loc) Time(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Local().Format(dateLayouts[l.lang])
}

// LangName is the language's name in itself.
func (l *loc) LangName(tag string) string {
	for _, lang := range i18n.Languages() {
		if lang.Tag == tag {
			return lang.Name
		}
	}
	return tag
}

// Number writes a decimal with two places, with the language's decimal separator.
func (l *loc) Number(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if l.lang != "en" {
		b := []byte(s)
		for i := range b {
			if b[i] == '.' {
				b[i] = ','
			}
		}
		s = string(b)
	}
	return s
}

// Percent writes a share (0..1) as a whole percentage.
func (l *loc) Percent(f float64) string {
	return strconv.Itoa(int(f*100+0.5)) + "\u00a0%"
}
