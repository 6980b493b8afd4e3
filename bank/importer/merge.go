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
	"ispit/bank/source"
)

// Several imports of the same questions in different languages become one multilingual
// source: items are matched by id, their texts joined, and their structure (kind, options,
// correct option, image) must agree. An item that lacks a language goes to incomplete.yaml.

// maxSourceFile bounds one YAML file of a source (bank/source's own limit).
const maxSourceFile = 64 << 20

// ReadSource reads a bank source back for Merge: the folder (or its bank.yaml), the item files
// bank.yaml lists, incomplete.yaml when there is one, and the images the items show. It reads
// them into bank/source's types, leaving the checks of a whole bank to bank/source's Load.
func ReadSource(p string) (*Source, error) {
	dir, rootName := p, RootFile
	if info, err := os.Stat(p); err == nil && !info.IsDir() {
		dir, rootName = filepath.Dir(p), filepath.Base(p)
	}
	fsys := os.DirFS(dir)
	var root source.Root
	if _, err := decodeYAMLFile(fsys, rootName, &root); err != nil {
		return nil, err
	}
	if root.Format != source.Format {
		return nil, fmt.Errorf("%s: format is %q, not %s", rootName, root.Format, source.Format)
	}
	src := &Source{ID: root.ID, Title: root.Title, Languages: root.Languages, ValidFrom: root.ValidFrom.Time,
		ValidUntil: root.ValidUntil.Time, Positions: root.Positions, Images: map[string][]byte{}, Comments: map[string]string{}}
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
		var items []source.Item
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
		for i, it := range items {
			if i < len(comments) && comments[i] != "" {
				src.Comments[it.ID] = comments[i]
			}
			if it.Prompt == nil && it.Options == nil {
				return nil, fmt.Errorf("%s: item %s has neither options nor a prompt", clean, it.ID)
			}
			for j := range it.Options {
				if it.Options[j].ID == "" {
					it.Options[j].ID = string(rune('a' + j))
				}
			}
			if it.Image != "" {
				// Named relative to its item file, the image is kept by its path in the folder.
				file := path.Join(path.Dir(clean), it.Image)
				if !fs.ValidPath(file) || strings.Contains(it.Image, "\\") {
					return nil, fmt.Errorf("%s: item %s: image %q must be inside the source folder", clean, it.ID, it.Image)
				}
				data, err := readLimited(fsys, file, MaxImage)
				if err != nil {
					return nil, fmt.Errorf("%s: item %s: image %s: %s", clean, it.ID, it.Image, readError(err))
				}
				it.Image = file
				src.Images[file] = data
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
	out := &Source{ID: first.ID, Title: bank.Text{}, Languages: langs, ValidFrom: first.ValidFrom, ValidUntil: first.ValidUntil,
		Images: map[string][]byte{}, Comments: map[string]string{}}
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
	versions := map[string][]*source.Item{} // by source; nil where a source lacks the item
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
				versions[it.ID] = make([]*source.Item, len(srcs))
				order = append(order, it.ID)
			}
			versions[it.ID][i] = it
		}
	}
	topicNotes := map[string]bool{}
	pictures := map[string][]byte{} // the picture of each merged item that shows one, by id
	for _, id := range order {
		vs := versions[id]
		var merged *source.Item
		base := 0
		for i, v := range vs {
			if v == nil {
				continue
			}
			if merged == nil {
				merged, base = cloneItem(v), i
				continue
			}
			if why := disagree(merged, v, srcs[base].Images[merged.Image], srcs[i].Images[v.Image]); why != "" {
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
			mergeText(merged.Guide, v.Guide, srcs[i].Languages)
			mergeText(merged.ModelAnswer, v.ModelAnswer, srcs[i].Languages)
			for k := range merged.Options {
				mergeText(merged.Options[k].Text, v.Options[k].Text, srcs[i].Languages)
			}
		}
		comment := srcs[base].Comments[id]
		if before, _, found := strings.Cut(comment, "(missing: "); found {
			comment = strings.TrimSpace(before) // from an earlier merge
		}
		var missing []string
		for _, l := range langs {
			if !hasText(merged, l) {
				missing = append(missing, l)
				report.Missing[l] = append(report.Missing[l], id)
			}
		}
		if merged.Image != "" {
			pictures[id] = srcs[base].Images[merged.Image]
		}
		if len(missing) > 0 {
			comment = strings.TrimSpace(comment + " (missing: " + strings.Join(missing, ", ") + ")")
			out.Incomplete = append(out.Incomplete, *merged)
		} else {
			out.Items = append(out.Items, *merged)
		}
		if comment != "" {
			out.Comments[id] = comment
		}
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
	// The images are named anew, the items' first and then the incomplete ones', so that two
	// sources' pictures of one name do not share a file.
	namer := newImageNamer(out.Images)
	for _, list := range [][]source.Item{out.Items, out.Incomplete} {
		for i := range list {
			if data, ok := pictures[list[i].ID]; ok {
				list[i].Image = namer.path(path.Base(list[i].Image), data)
			}
		}
	}
	return out, report, nil
}

// disagreement is what keeps two versions of an item from being one.
type disagreement string

// of describes an item's version of what disagrees.
func (d disagreement) of(it *source.Item) string { return describe(string(d), it) }

// disagree says what keeps two versions of an item, showing the pictures aImage and bImage,
// from being one: "" when nothing does.
func disagree(a, b *source.Item, aImage, bImage []byte) disagreement {
	switch {
	case a.Written() != b.Written():
		return "kind"
	case len(a.Options) != len(b.Options):
		return "options"
	case correctIndex(a) != correctIndex(b):
		return "correct"
	case (a.Image == "") != (b.Image == "") || a.Image != "" && !bytes.Equal(aImage, bImage):
		return "image"
	}
	return ""
}

func describe(what string, it *source.Item) string {
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
		if it.Image == "" {
			return "no image"
		}
		return "image " + path.Base(it.Image)
	}
	return what
}

func correctIndex(it *source.Item) int {
	return slices.IndexFunc(it.Options, func(o source.Option) bool { return o.Correct })
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

func cloneItem(it *source.Item) *source.Item {
	c := *it
	c.Stem, c.Prompt = cloneText(it.Stem), cloneText(it.Prompt)
	c.Guide, c.ModelAnswer = cloneText(it.Guide), cloneText(it.ModelAnswer)
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
func hasText(it *source.Item, lang string) bool {
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
