package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"ispit/bank"
)

// Several imports of the same questions in different languages become one multilingual
// source: items are matched by id, their texts joined, and their structure (kind, options,
// correct option, image) must agree. An item that lacks a language goes to incomplete.yaml.

// The YAML of a source, as ReadSource reads it back.
type rootYAML struct {
	Format     string          `yaml:"format"`
	ID         string          `yaml:"id"`
	Title      bank.Text       `yaml:"title"`
	Languages  []string        `yaml:"languages"`
	ValidFrom  time.Time       `yaml:"valid_from"`
	ValidUntil time.Time       `yaml:"valid_until"`
	Positions  []bank.Position `yaml:"positions"`
	Items      []string        `yaml:"items"`
	Parts      yaml.Node       `yaml:"parts"`
}

type itemYAML struct {
	ID        string       `yaml:"id"`
	Topic     string       `yaml:"topic"`
	Stem      bank.Text    `yaml:"stem"`
	Options   []optionYAML `yaml:"options"`
	Prompt    bank.Text    `yaml:"prompt"`
	Points    int          `yaml:"points"`
	WordLimit int          `yaml:"word_limit"`
	Image     string       `yaml:"image"`
}

type optionYAML struct {
	ID      string    `yaml:"id"`
	Text    bank.Text `yaml:"text"`
	Correct bool      `yaml:"correct"`
}

// maxSourceFile bounds one YAML file of a source (bank/source's own limit).
const maxSourceFile = 64 << 20

// ReadSource reads a bank source back for Merge: the folder (or its bank.yaml), the item files
// bank.yaml lists, incomplete.yaml when there is one, and the images the items show.
func ReadSource(p string) (*Source, error) {
	dir, rootName := p, RootFile
	if info, err := os.Stat(p); err == nil && !info.IsDir() {
		dir, rootName = filepath.Dir(p), filepath.Base(p)
	}
	fsys := os.DirFS(dir)
	var root rootYAML
	if _, err := decodeYAMLFile(fsys, rootName, &root); err != nil {
		return nil, err
	}
	if root.Format != "ispit-bank-source/1" {
		return nil, fmt.Errorf("%s: format is %q, not ispit-bank-source/1", rootName, root.Format)
	}
	src := &Source{ID: root.ID, Title: root.Title, Languages: root.Languages, ValidFrom: root.ValidFrom,
		ValidUntil: root.ValidUntil, Positions: root.Positions}
	if len(src.Languages) == 0 {
		return nil, fmt.Errorf("%s names no languages", rootName)
	}
	for _, l := range src.Languages {
		if _, ok := Language(l); !ok {
			return nil, fmt.Errorf("%s: language %q is not one of %s", rootName, l, strings.Join(bank.Languages, ", "))
		}
	}
	files := slices.Clone(root.Items)
	if _, err := fs.Stat(fsys, IncompleteFile); err == nil && !slices.Contains(files, IncompleteFile) {
		files = append(files, IncompleteFile)
	}
	for _, name := range files {
		clean := path.Clean(name)
		if !fs.ValidPath(clean) || strings.Contains(name, "\\") {
			return nil, fmt.Errorf("%s: item file %q must be inside the source folder, written with /", rootName, name)
		}
		var items []itemYAML
		doc, err := decodeYAMLFile(fsys, clean, &items)
		if err != nil {
			return nil, err
		}
		var comments []string
		if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode {
			for _, el := range doc.Content[0].Content {
				comments = append(comments, strings.TrimSpace(strings.TrimPrefix(el.HeadComment, "#")))
			}
		}
		for i, y := range items {
			it := Item{ID: y.ID, Topic: y.Topic, Stem: y.Stem, Prompt: y.Prompt, Points: y.Points, WordLimit: y.WordLimit}
			if i < len(comments) {
				it.Comment = comments[i]
			}
			if y.Prompt == nil && y.Options == nil {
				return nil, fmt.Errorf("%s: item %s has neither options nor a prompt", clean, y.ID)
			}
			for j, o := range y.Options {
				id := o.ID
				if id == "" {
					id = string(rune('a' + j))
				}
				it.Options = append(it.Options, Option{ID: id, Text: o.Text, Correct: o.Correct})
			}
			if y.Image != "" {
				file := path.Join(path.Dir(clean), y.Image)
				if !fs.ValidPath(file) || strings.Contains(y.Image, "\\") {
					return nil, fmt.Errorf("%s: item %s: image %q must be inside the source folder", clean, y.ID, y.Image)
				}
				data, err := readLimited(fsys, file, MaxImage)
				if err != nil {
					return nil, fmt.Errorf("%s: item %s: image %s: %s", clean, y.ID, y.Image, readError(err))
				}
				it.Image = &Image{Name: path.Base(file), Data: data}
			}
			if name == IncompleteFile {
				src.Incomplete = append(src.Incomplete, it)
			} else {
				src.Items = append(src.Items, it)
			}
		}
	}
	return src, nil
}

// decodeYAMLFile decodes one YAML file strictly and returns its document node.
func decodeYAMLFile(fsys fs.FS, name string, v any) (*yaml.Node, error) {
	data, err := readLimited(fsys, name, maxSourceFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, readError(err))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("%s: the file is empty", name)
		}
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return &doc, nil
}

// MergeReport says what Merge could not join.
type MergeReport struct {
	// Missing lists, by language, the items that lack it (and so are in incomplete.yaml).
	Missing map[string][]string
	// Conflicts are items whose versions in two sources disagree, and how.
	Conflicts []string
	// Notes are differences that Merge settled by keeping the first source's version.
	Notes []string
}

// Incomplete reports whether any item could not be merged whole.
func (r *MergeReport) Incomplete() bool {
	for _, ids := range r.Missing {
		if len(ids) > 0 {
			return true
		}
	}
	return len(r.Conflicts) > 0
}

// Merge joins sources of the same questions in different languages, named by names in the
// report. The first source gives the id, the validity and, where versions differ in what is
// not text (a topic, a written task's points), the value kept.
func Merge(srcs []*Source, names []string, now time.Time) (*Source, *MergeReport, error) {
	if len(srcs) < 2 {
		return nil, nil, errors.New("merging needs at least two sources")
	}
	report := &MergeReport{Missing: map[string][]string{}}
	owner := map[string]int{}
	for i, s := range srcs {
		for _, l := range s.Languages {
			if j, dup := owner[l]; dup {
				return nil, nil, fmt.Errorf("language %s is in both %s and %s: merge sources of different languages", l, names[j], names[i])
			}
			owner[l] = i
		}
	}
	var langs []string
	for _, l := range bank.Languages {
		if _, ok := owner[l]; ok {
			langs = append(langs, l)
		}
	}
	if now.IsZero() {
		now = time.Now()
	}
	first := srcs[0]
	out := &Source{ID: first.ID, Title: bank.Text{}, Languages: langs, ValidFrom: first.ValidFrom, ValidUntil: first.ValidUntil}
	var from []string
	for i, s := range srcs {
		from = append(from, fmt.Sprintf("%s (%s)", names[i], strings.Join(s.Languages, ", ")))
		for _, l := range s.Languages {
			if t, ok := s.Title[l]; ok {
				out.Title[l] = t
			}
		}
		for _, p := range s.Positions {
			k := slices.IndexFunc(out.Positions, func(q bank.Position) bool { return q.Code == p.Code })
			if k < 0 {
				p.Department = cloneText(p.Department)
				out.Positions = append(out.Positions, p)
				continue
			}
			for _, l := range s.Languages {
				if t, ok := p.Department[l]; ok {
					out.Positions[k].Department[l] = t
				}
			}
		}
	}
	out.Origin = fmt.Sprintf("Merged by bankctl import --merge from %s on %s.", strings.Join(from, ", "), now.UTC().Format(time.DateOnly))

	// Every item of every source, by id, in the order they first appear.
	var order []string
	versions := map[string][]*Item{} // by source; nil where a source lacks the item
	for i, s := range srcs {
		seen := map[string]bool{}
		all := append(slices.Clone(s.Items), s.Incomplete...)
		for k := range all {
			it := &all[k]
			if seen[it.ID] {
				return nil, nil, fmt.Errorf("%s has item %s twice", names[i], it.ID)
			}
			seen[it.ID] = true
			if versions[it.ID] == nil {
				versions[it.ID] = make([]*Item, len(srcs))
				order = append(order, it.ID)
			}
			versions[it.ID][i] = it
		}
	}
	topicNotes := map[string]bool{}
	for _, id := range order {
		vs := versions[id]
		var merged *Item
		base := 0
		for i, v := range vs {
			if v == nil {
				continue
			}
			if merged == nil {
				merged, base = cloneItem(v), i
				continue
			}
			if why := disagree(merged, v); why != "" {
				report.Conflicts = append(report.Conflicts, fmt.Sprintf("item %s: %s in %s but %s in %s; its %s text is left out",
					id, why.of(merged), names[base], why.of(v), names[i], strings.Join(srcs[i].Languages, ", ")))
				continue
			}
			if v.Topic != merged.Topic && !topicNotes[merged.Topic+"\x00"+v.Topic] {
				topicNotes[merged.Topic+"\x00"+v.Topic] = true
				report.Notes = append(report.Notes, fmt.Sprintf("topic %s of %s is called %s in %s; %s is kept", merged.Topic, names[base], v.Topic, names[i], merged.Topic))
			}
			if v.Written() && (v.Points != merged.Points || v.WordLimit != merged.WordLimit) {
				report.Notes = append(report.Notes, fmt.Sprintf("item %s: points or word limit differ in %s; those of %s are kept", id, names[i], names[base]))
			}
			mergeText(merged.Stem, v.Stem, srcs[i].Languages)
			mergeText(merged.Prompt, v.Prompt, srcs[i].Languages)
			for k := range merged.Options {
				mergeText(merged.Options[k].Text, v.Options[k].Text, srcs[i].Languages)
			}
		}
		if before, _, found := strings.Cut(merged.Comment, "(missing: "); found {
			merged.Comment = strings.TrimSpace(before) // from an earlier merge
		}
		var missing []string
		for _, l := range langs {
			if !hasText(merged, l) {
				missing = append(missing, l)
				report.Missing[l] = append(report.Missing[l], id)
			}
		}
		if len(missing) > 0 {
			merged.Comment = strings.TrimSpace(merged.Comment + " (missing: " + strings.Join(missing, ", ") + ")")
			out.Incomplete = append(out.Incomplete, *merged)
			continue
		}
		out.Items = append(out.Items, *merged)
	}
	for l, t := range importedTitle {
		if _, ok := owner[l]; ok && out.Title[l] == "" {
			out.Title[l] = t
		}
	}
	if len(report.Notes) > 0 {
		slices.Sort(report.Notes)
		report.Notes = slices.Compact(report.Notes)
	}
	var tasks []int
	var ws []float64
	for i := range out.Items {
		if out.Items[i].Written() {
			tasks = append(tasks, i)
			ws = append(ws, float64(out.Items[i].Points))
		}
	}
	for k, p := range shares(ws, bank.ProfessionalMaxPoints) {
		out.Items[tasks[k]].Points = p
	}
	nameImages(out.Items)
	nameImages(out.Incomplete)
	return out, report, nil
}

// disagreement is what keeps two versions of an item from being one.
type disagreement string

// of describes an item's version of what disagrees.
func (d disagreement) of(it *Item) string { return describe(string(d), it) }

// disagree says what keeps two versions of an item from being one: "" when nothing does.
func disagree(a, b *Item) disagreement {
	switch {
	case a.Written() != b.Written():
		return "kind"
	case len(a.Options) != len(b.Options):
		return "options"
	case correctIndex(a) != correctIndex(b):
		return "correct"
	case (a.Image == nil) != (b.Image == nil) || a.Image != nil && !bytes.Equal(a.Image.Data, b.Image.Data):
		return "image"
	}
	return ""
}

func describe(what string, it *Item) string {
	switch what {
	case "kind":
		if it.Written() {
			return "a written task"
		}
		return "multiple choice"
	case "options":
		return fmt.Sprintf("%d options", len(it.Options))
	case "correct":
		return fmt.Sprintf("option %s is correct", optionLetter(correctIndex(it)))
	case "image":
		if it.Image == nil {
			return "no image"
		}
		return "image " + it.Image.Name
	}
	return what
}

func correctIndex(it *Item) int {
	return slices.IndexFunc(it.Options, func(o Option) bool { return o.Correct })
}

func cloneText(t bank.Text) bank.Text {
	if t == nil {
		return nil
	}
	c := bank.Text{}
	for k, v := range t {
		c[k] = v
	}
	return c
}

func cloneItem(it *Item) *Item {
	c := *it
	c.Stem, c.Prompt = cloneText(it.Stem), cloneText(it.Prompt)
	c.Options = slices.Clone(it.Options)
	for i := range c.Options {
		c.Options[i].Text = cloneText(c.Options[i].Text)
	}
	return &c
}

// mergeText adds to t the texts of from in langs.
func mergeText(t, from bank.Text, langs []string) {
	if t == nil {
		return
	}
	for _, l := range langs {
		if s, ok := from[l]; ok {
			t[l] = s
		}
	}
}

// hasText reports whether an item has a text in lang for all it shows.
func hasText(it *Item, lang string) bool {
	t := it.Stem
	if it.Written() {
		t = it.Prompt
	}
	if strings.TrimSpace(t[lang]) == "" {
		return false
	}
	for _, o := range it.Options {
		if strings.TrimSpace(o.Text[lang]) == "" {
			return false
		}
	}
	return true
}
