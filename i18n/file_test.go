package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"ispit/assets"
)

// entry is one message of a catalogue file as written: its id and either one text (a plain
// message) or texts by CLDR plural category (a plural message).
type entry struct {
	ID    string
	Text  string
	Forms []form // nil for a plain message
}

type form struct{ Category, Text string }

// texts returns an entry's texts by plural category; a plain message's text is "other".
func (e entry) texts() map[string]string {
	if e.Forms == nil {
		return map[string]string{"other": e.Text}
	}
	m := make(map[string]string, len(e.Forms))
	for _, f := range e.Forms {
		m[f.Category] = f.Text
	}
	return m
}

func (e entry) categories() []string {
	var cats []string
	for _, f := range e.Forms {
		cats = append(cats, f.Category)
	}
	slices.Sort(cats)
	return cats
}

// pluralCategories are the keys a plural message may have, in CLDR order.
var pluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// readCatalogueFile reads a catalogue file in the layout the kiosk uses: one flat JSON object
// from message id to either a string or an object of plural forms. Unlike encoding/json it
// keeps the order and refuses a key given twice, which json.Unmarshal silently accepts.
func readCatalogueFile(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var entries []entry
	seen := map[string]bool{}
	for dec.More() {
		id, err := readString(dec)
		if err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, fmt.Errorf("message %q is given twice", id)
		}
		seen[id] = true
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		e := entry{ID: id}
		switch v := tok.(type) {
		case string:
			e.Text = v
		case json.Delim:
			if v != '{' {
				return nil, fmt.Errorf("%s: a message is a string or an object of plural forms", id)
			}
			e.Forms = []form{}
			cats := map[string]bool{}
			for dec.More() {
				cat, err := readString(dec)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", id, err)
				}
				if !slices.Contains(pluralCategories, cat) {
					return nil, fmt.Errorf("%s: %q is not a CLDR plural category", id, cat)
				}
				if cats[cat] {
					return nil, fmt.Errorf("%s: plural form %q is given twice", id, cat)
				}
				cats[cat] = true
				text, err := readString(dec)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", id, cat, err)
				}
				e.Forms = append(e.Forms, form{cat, text})
			}
			if err := expectDelim(dec, '}'); err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
		default:
			return nil, fmt.Errorf("%s: a message is a string or an object of plural forms, not %v", id, tok)
		}
		entries = append(entries, e)
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the catalogue's object")
	}
	return entries, nil
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("expected %q, found %v", d, tok)
	}
	return nil
}

func readString(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("expected a string, found %v", tok)
	}
	return s, nil
}

// writeCatalogueFile writes entries in the layout of the catalogue files: two-space indent,
// UTF-8 left as it is, one message per line or one plural form per line.
func writeCatalogueFile(entries []entry) []byte {
	var b bytes.Buffer
	quote := func(s string) string {
		var q bytes.Buffer
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			panic(err)
		}
		return strings.TrimSuffix(q.String(), "\n")
	}
	b.WriteString("{\n")
	for i, e := range entries {
		fmt.Fprintf(&b, "  %s: ", quote(e.ID))
		if e.Forms == nil {
			b.WriteString(quote(e.Text))
		} else {
			b.WriteString("{\n")
			for j, f := range e.Forms {
				fmt.Fprintf(&b, "    %s: %s", quote(f.Category), quote(f.Text))
				if j < len(e.Forms)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString("  }")
		}
		if i < len(entries)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// catalogueFiles reads every language's embedded catalogue files, all parts in the order of
// Parts, failing the test on a file that is missing or not in the layout.
func catalogueFiles(t *testing.T) map[string][]entry {
	t.Helper()
	files := map[string][]entry{}
	for _, tag := range Tags() {
		for _, part := range Parts {
			files[tag] = append(files[tag], partFile(t, part, tag)...)
		}
	}
	return files
}

// partFile reads one part of a language's embedded catalogue.
func partFile(t *testing.T, part, tag string) []entry {
	t.Helper()
	data, err := fs.ReadFile(assets.Translations(), fileName(part, tag))
	if err != nil {
		t.Fatalf("the %s catalogue: %v", tag, err)
	}
	entries, err := readCatalogueFile(data)
	if err != nil {
		t.Fatalf("%s: %v", fileName(part, tag), err)
	}
	return entries
}

func byID(entries []entry) map[string]entry {
	m := make(map[string]entry, len(entries))
	for _, e := range entries {
		m[e.ID] = e
	}
	return m
}

func TestCatalogueFileRoundTrip(t *testing.T) {
	for _, tag := range Tags() {
		for _, part := range Parts {
			data, err := fs.ReadFile(assets.Translations(), fileName(part, tag))
			if err != nil {
				t.Fatal(err)
			}
			if got := writeCatalogueFile(partFile(t, part, tag)); !bytes.Equal(got, data) {
				t.Errorf("%s is not in the canonical layout (two-space indent, one message a line); rewrite it with writeCatalogueFile", fileName(part, tag))
			}
		}
	}
}

func TestReadCatalogueFileRefuses(t *testing.T) {
	for name, data := range map[string]string{
		"duplicate id":          `{"a.b": "x", "a.b": "y"}`,
		"duplicate form":        `{"a.b": {"one": "x", "one": "y"}}`,
		"unknown category":      `{"a.b": {"one": "x", "several": "y"}}`,
		"number":                `{"a.b": 1}`,
		"array":                 `{"a.b": ["x"]}`,
		"trailing data":         `{"a.b": "x"} {}`,
		"nested beyond a level": `{"a.b": {"one": {"x": "y"}}}`,
	} {
		if _, err := readCatalogueFile([]byte(data)); err == nil {
			t.Errorf("%s: accepted %s", name, data)
		}
	}
}
