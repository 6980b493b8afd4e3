package i18n

import (
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"text/template/parse"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"ispit/assets"
)

// catalogue is the messages of every language, each language in a bundle of its own so that a
// lookup never matches one language for another (bs, hr and sr-Latn are close kin to the
// matcher of golang.org/x/text); the fallback to English is the Localizer's, not the bundle's.
type catalogue struct {
	localizers map[string]*goi18n.Localizer          // by language tag
	messages   map[string]map[string]*goi18n.Message // by language tag, then message id
	ids        []string                              // the English ids, sorted
}

// KioskPart is the part of each language's catalogue that holds the kiosk's messages.
const KioskPart = "kiosk"

// Parts are the catalogue files of each language: the kiosk's messages and the commission
// console's. A message id is in one part only.
var Parts = []string{KioskPart, "console"}

// fileName is the name of one part of a language's catalogue ("console.sr-Cyrl.json").
func fileName(part, tag string) string { return part + "." + tag + ".json" }

// strictParser fails when a template uses a field the data does not have, instead of
// printing "<no value>"; the Localizer then reports the problem and fills the gap.
var strictParser = &template.TextParser{Option: "missingkey=error"}

// embedded is the catalogue built into the program, every part, loaded once.
var embedded = sync.OnceValues(func() (*catalogue, error) { return loadCatalogue(assets.Translations()) })

// embeddedKiosk is the kiosk's part of the built-in catalogue alone, loaded once. The kiosk
// never shows the console's messages, and their share of a loaded catalogue, some 1.7 MB of
// heap, is better left out of the kiosk's memory (docs/kiosk.md, Memory).
var embeddedKiosk = sync.OnceValues(func() (*catalogue, error) {
	return loadCatalogue(assets.Translations(), KioskPart)
})

// loadCatalogue reads every language's files of the parts given (all Parts when none is) from
// fsys. Every language must have a file of each part, each must parse, and no message may be
// in two parts; whether the files agree with each other is for the tests to check.
func loadCatalogue(fsys fs.FS, parts ...string) (*catalogue, error) {
	if len(parts) == 0 {
		parts = Parts
	}
	c := &catalogue{
		localizers: make(map[string]*goi18n.Localizer, len(languages)),
		messages:   make(map[string]map[string]*goi18n.Message, len(languages)),
	}
	for _, lang := range languages {
		tag := language.MustParse(lang.Tag)
		bundle := goi18n.NewBundle(tag)
		byID := map[string]*goi18n.Message{}
		for _, part := range parts {
			name := fileName(part, lang.Tag)
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: the %s catalogue: %w", lang.Tag, err)
			}
			file, err := bundle.ParseMessageFileBytes(data, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			if file.Tag != tag {
				return nil, fmt.Errorf("i18n: %s holds language %s, not %s", name, file.Tag, tag)
			}
			for _, m := range file.Messages {
				if _, dup := byID[m.ID]; dup {
					return nil, fmt.Errorf("i18n: %s: message %s is in another part too", name, m.ID)
				}
				byID[m.ID] = m
			}
		}
		c.messages[lang.Tag] = byID
		c.localizers[lang.Tag] = goi18n.NewLocalizer(bundle, lang.Tag)
	}
	for id := range c.messages[Fallback] {
		c.ids = append(c.ids, id)
	}
	slices.Sort(c.ids)
	return c, nil
}

// render localizes one message in one language, strictly: a missing message, a missing
// plural form and a template field missing from data are all errors. For a plural form
// missing from the language it still returns the "other" form along with the error.
func (c *catalogue) render(lang, id string, count *int, data map[string]any) (string, error) {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateParser: strictParser}
	if count != nil {
		cfg.PluralCount = *count
	}
	if data != nil {
		cfg.TemplateData = data
	}
	return c.localizers[lang].Localize(cfg)
}

// messageFields returns the template fields ({{.Name}} → "Name") used by any plural form of
// a message in a language, and whether the language has that message.
func (c *catalogue) messageFields(lang, id string) (map[string]bool, bool) {
	m, ok := c.messages[lang][id]
	if !ok {
		return nil, false
	}
	all := map[string]bool{}
	for _, src := range pluralForms(m) {
		used, err := templateFields(src)
		if err != nil {
			continue
		}
		for f := range used {
			all[f] = true
		}
	}
	return all, true
}

// pluralForms returns a message's non-empty texts by CLDR plural category.
func pluralForms(m *goi18n.Message) map[string]string {
	forms := map[string]string{}
	for cat, src := range map[string]string{
		"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other,
	} {
		if src != "" {
			forms[cat] = src
		}
	}
	return forms
}

// templateFields returns the fields a message template uses. Messages may hold only text and
// plain field actions ({{.Count}}); anything else (pipelines, functions, conditions, nested
// fields) is refused, so that translators cannot put logic into a catalogue.
func templateFields(src string) (map[string]bool, error) {
	trees, err := parse.Parse("message", src, "{{", "}}")
	if err != nil {
		return nil, err
	}
	fields := map[string]bool{}
	tree := trees["message"]
	if tree == nil || tree.Root == nil {
		return fields, nil
	}
	for _, node := range tree.Root.Nodes {
		switch n := node.(type) {
		case *parse.TextNode:
		case *parse.ActionNode:
			name, ok := plainField(n)
			if !ok {
				return nil, fmt.Errorf("%q: only plain fields such as {{.Count}} are allowed in a message", n.String())
			}
			fields[name] = true
		default:
			return nil, fmt.Errorf("%q: only plain fields such as {{.Count}} are allowed in a message", node.String())
		}
	}
	return fields, nil
}

// plainField reports whether an action is a single field reference {{.Name}}, and its name.
func plainField(n *parse.ActionNode) (string, bool) {
	if n.Pipe == nil || len(n.Pipe.Decl) != 0 || len(n.Pipe.Cmds) != 1 {
		return "", false
	}
	args := n.Pipe.Cmds[0].Args
	if len(args) != 1 {
		return "", false
	}
	f, ok := args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 {
		return "", false
	}
	return f.Ident[0], true
}
