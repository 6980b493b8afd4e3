// Package source reads the human-editable source of a question bank (docs/bank-source.md): YAML
// files an exam authority writes, checked with errors that name the file and the line.
package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"ispit/bank"
)

// Format is the version of the source format this package reads.
const Format = "ispit-bank-source/1"

// maxSourceFile bounds one YAML file of a source.
const maxSourceFile = 64 << 20

// Error is a problem in a source file, at a line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	// An id or value quoted in the message may span lines; the error does not.
	msg := strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(e.Msg)
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return e.File + ": " + msg
}

// Root is the root file of a source, bank.yaml: the bank's id, title, languages, validity and
// positions, the item files, and the parts.
type Root struct {
	Format     string          `yaml:"format"`
	ID         string          `yaml:"id"`
	Title      bank.Text       `yaml:"title"`
	Languages  []string        `yaml:"languages"`
	ValidFrom  Timestamp       `yaml:"valid_from"`
	ValidUntil Timestamp       `yaml:"valid_until"`
	Positions  []bank.Position `yaml:"positions"`
	Items      []string        `yaml:"items"`
	Parts      []Part          `yaml:"parts"`
}

// Timestamp is a time in the source. It reads as time.Time does, but refuses a value that is
// not a time with an error that names the line.
type Timestamp struct{ time.Time }

// UnmarshalYAML reads a time, or refuses the node with its line.
func (t *Timestamp) UnmarshalYAML(n *yaml.Node) error {
	if err := n.Decode(&t.Time); err != nil {
		value := ""
		if n.Kind == yaml.ScalarNode {
			value = " `" + n.Value + "`"
		}
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: cannot unmarshal %s%s into time.Time", n.Line, n.ShortTag(), value)}}
	}
	return nil
}

// Part is a part of the exam as the root file sets it up: its kind, title, positions and
// duration, and either the items it lists or the pool it draws count items from.
type Part struct {
	ID        string        `yaml:"id"`
	Kind      bank.PartKind `yaml:"kind"`
	Title     bank.Text     `yaml:"title"`
	Positions []string      `yaml:"positions"`
	Duration  string        `yaml:"duration"`
	Count     int           `yaml:"count"`
	Pool      *Pool         `yaml:"pool"`
	Items     []string      `yaml:"items"`
}

// Pool is what a part draws its items from: the items of some topics, or the items listed,
// with an optional number of items from each topic.
type Pool struct {
	Topics []string       `yaml:"topics"`
	Items  []string       `yaml:"items"`
	Quota  map[string]int `yaml:"quota"`
}

// Item is an item of an item file: a multiple-choice item (stem and options) or a written task
// (prompt, points, word limit), with an optional image named relative to the item file.
type Item struct {
	ID        string    `yaml:"id"`
	Topic     string    `yaml:"topic"`
	Stem      bank.Text `yaml:"stem"`
	Options   []Option  `yaml:"options"`
	Prompt    bank.Text `yaml:"prompt"`
	Points    int       `yaml:"points"`
	WordLimit int       `yaml:"word_limit"`
	Image     string    `yaml:"image"`
	// Guide and ModelAnswer are a written task's grading guide and model answer, for the
	// commission only (they go into the answer key); each in some or all of the languages.
	Guide       bank.Text `yaml:"guide"`
	ModelAnswer bank.Text `yaml:"model_answer"`
}

// Written reports whether the item is a written task: it has a prompt.
func (it *Item) Written() bool { return it.Prompt != nil }

// Option is an option of a multiple-choice Item; its id defaults to its letter (a, b, …).
type Option struct {
	ID      string    `yaml:"id"`
	Text    bank.Text `yaml:"text"`
	Correct bool      `yaml:"correct"`
}

// place is where something was written.
type place struct {
	file string
	line int
}

// reader keeps what Load has read so far and where each thing came from.
type reader struct {
	fsys      fs.FS
	rootName  string
	def       *bank.Definition
	rootLine  map[string]int // line of each top-level key of bank.yaml
	fileLines []int          // line of each entry of the root's items list
	partLines []int          // line of each part, by index
	posLines  []int          // line of each position, by index
	positions map[string]int // line of each position
	// competences has, for each position, the line of its competences key ("") and of each
	// competence by id, the first one of an id given twice.
	competences map[string]map[string]int
	compLines   [][]int          // line of each competence, by position and competence index
	parts       map[string]int   // line of each part
	items       map[string]place // where each item is
	topicSeen   []string         // topics in the order they first appear
}

// Load reads a bank source from the root file (bank.yaml) and the item files it names.
func Load(rootPath string) (*bank.Definition, error) {
	return LoadFS(os.DirFS(filepath.Dir(rootPath)), filepath.Base(rootPath))
}

// LoadFS reads a bank source from a file system, rooted at the named file.
func LoadFS(fsys fs.FS, rootName string) (*bank.Definition, error) {
	r := &reader{
		fsys:        fsys,
		rootName:    rootName,
		rootLine:    map[string]int{},
		positions:   map[string]int{},
		competences: map[string]map[string]int{},
		parts:       map[string]int{},
		items:       map[string]place{},
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r.def, nil
}

func (r *reader) load() error {
	var src Root
	doc, err := r.decode(r.rootName, &src)
	if err != nil {
		return err
	}
	if m := mapping(doc); m != nil {
		for i := 0; i+1 < len(m.Content); i += 2 {
			r.rootLine[m.Content[i].Value] = m.Content[i].Line
		}
		r.posLines = r.recordLines(m, "positions", "code", r.positions)
		r.recordCompetenceLines(m)
		r.partLines = r.recordLines(m, "parts", "id", r.parts)
		r.fileLines = r.recordLines(m, "items", "", nil)
	}
	switch src.Format {
	case Format:
	case "":
		return r.rootError("format", "has no format; write \"format: %s\" at the top", Format)
	default:
		return r.rootError("format", "format is %q; this program reads %q", src.Format, Format)
	}
	if err := r.checkUnique(src.Positions, src.Parts); err != nil {
		return err
	}
	if len(src.Items) == 0 {
		return r.rootError("items", "names no item files")
	}
	r.def = &bank.Definition{
		ID:         src.ID,
		Title:      src.Title,
		Languages:  src.Languages,
		ValidFrom:  src.ValidFrom.Time,
		ValidUntil: src.ValidUntil.Time,
		Positions:  src.Positions,
		Correct:    map[string]string{},
		Guides:     map[string]bank.GradingGuide{},
		Images:     map[string][]byte{},
	}
	if src.ValidFrom.IsZero() || src.ValidUntil.IsZero() {
		return r.rootError("valid_from", "valid_from and valid_until are required")
	}
	listed := map[string]int{}
	for i, name := range src.Items {
		if clean, ok := resolve(r.rootName, name); ok {
			if j, dup := listed[clean]; dup {
				return &Error{File: r.rootName, Line: lineAt(r.fileLines, i), Msg: fmt.Sprintf("item file %s is listed twice (first at line %d)", name, lineAt(r.fileLines, j))}
			}
			listed[clean] = i
		}
		if err := r.loadItems(name, lineAt(r.fileLines, i)); err != nil {
			return err
		}
	}
	for i, p := range src.Parts {
		converted, err := r.convertPart(&p, lineAt(r.partLines, i))
		if err != nil {
			return err
		}
		r.def.Parts = append(r.def.Parts, converted)
	}
	return r.locate(r.def.Validate())
}

// decode reads one YAML file into v, refusing unknown fields, and returns its document node.
func (r *reader) decode(name string, v any) (*yaml.Node, error) {
	data, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		return nil, &Error{File: name, Msg: readError(err)}
	}
	if len(data) > maxSourceFile {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is larger than %d bytes", maxSourceFile)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, yamlError(name, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return nil, yamlError(name, err)
		}
		return nil, &Error{File: name, Line: next.Line, Msg: "a second YAML document starts here; a source file holds one"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	return &doc, nil
}

func readError(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "file not found"
	}
	return err.Error()
}

// yamlError turns the YAML decoder's messages ("yaml: line 4: …") into file:line errors, in
// words an author of the source knows rather than the names of Go types.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		err = errors.New(te.Errors[0])
	}
	if err == io.EOF {
		return &Error{File: name, Msg: "file is empty"}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	if m := unknownFieldMessage.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("unknown field %q", shorten(m[1]))
		if t, ok := knownTypes[m[2]]; ok {
			msg += fmt.Sprintf(" (%s has: %s)", t.what, strings.Join(fieldNames(t.typ), ", "))
		}
	} else if m := typeMessage.FindStringSubmatch(msg); m != nil {
		found := yamlKinds[m[1]]
		if found == "" {
			found = m[1]
		}
		if m[2] != "" {
			found = strconv.Quote(shorten(strings.TrimSuffix(strings.TrimPrefix(m[2], "`"), "`")))
		}
		msg = fmt.Sprintf("expected %s, found %s", describeType(m[3]), found)
	}
	return &Error{File: name, Line: line, Msg: msg}
}

var (
	unknownFieldMessage = regexp.MustCompile(`(?s)^field (.*) not found in type (\S+)$`)
	typeMessage         = regexp.MustCompile("(?s)^cannot unmarshal (!!\\w+|\\S+)(?: (`.*`))? into (\\S+)$")
)

// shorten cuts a value quoted in a message to at most 40 characters.
func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// yamlKinds names the YAML node kinds in errors.
var yamlKinds = map[string]string{
	"!!seq":       "a list",
	"!!map":       "a mapping (key: value lines)",
	"!!str":       "text",
	"!!int":       "a number",
	"!!float":     "a number",
	"!!bool":      "true or false",
	"!!null":      "nothing",
	"!!timestamp": "a time",
}

// knownTypes are the types of the source, by the name the YAML decoder gives them.
var knownTypes = map[string]struct {
	what string
	typ  reflect.Type
}{
	"source.Root":     {"the root file", reflect.TypeFor[Root]()},
	"source.Part":     {"a part", reflect.TypeFor[Part]()},
	"source.Pool":     {"a pool", reflect.TypeFor[Pool]()},
	"source.Item":     {"an item", reflect.TypeFor[Item]()},
	"source.Option":   {"an option", reflect.TypeFor[Option]()},
	"bank.Position":   {"a position", reflect.TypeFor[bank.Position]()},
	"bank.Competence": {"a competence", reflect.TypeFor[bank.Competence]()},
}

// fieldNames lists the YAML keys of a struct type, as the decoder names them.
func fieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names = append(names, name)
	}
	return names
}

// describeType says in words what a value of a Go type of the source is written as.
func describeType(goType string) string {
	switch goType = strings.TrimPrefix(goType, "*"); goType {
	case "int":
		return "a whole number"
	case "bool":
		return "true or false"
	case "string", "bank.PartKind":
		return "text"
	case "time.Time":
		return "a time like 2026-01-01T00:00:00Z"
	case "bank.Text":
		return "a text in each language (bs: …, en: …)"
	case "map[string]int":
		return "a mapping of topics to numbers"
	case "[]source.Item":
		return "a list of items"
	}
	if t, ok := knownTypes[goType]; ok {
		return t.what + " (key: value lines)"
	}
	if strings.HasPrefix(goType, "[]") {
		return "a list"
	}
	return goType
}

// mapping returns the top-level mapping of a document, or nil.
func mapping(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		return doc.Content[0]
	}
	return nil
}

// sequence returns the top-level sequence of a document, or nil.
func sequence(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.SequenceNode {
		return doc.Content[0]
	}
	return nil
}

// recordLines returns the line of each element of the list under key and notes the first line
// of each value of the elements' field in into.
func (r *reader) recordLines(m *yaml.Node, key, field string, into map[string]int) []int {
	var lines []int
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		lines = lines[:0]
		for _, el := range m.Content[i+1].Content {
			lines = append(lines, el.Line)
			if v := fieldValue(el, field); v != "" && into != nil {
				if _, seen := into[v]; !seen {
					into[v] = el.Line
				}
			}
		}
	}
	return lines
}

// recordCompetenceLines notes where each position's competences are written.
func (r *reader) recordCompetenceLines(m *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "positions" || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		r.compLines = r.compLines[:0]
		for _, pos := range m.Content[i+1].Content {
			var lines []int
			code := fieldValue(pos, "code")
			key, list := field(pos, "competences")
			if key != nil && list.Kind == yaml.SequenceNode {
				at := r.competences[code]
				if at == nil {
					at = map[string]int{"": key.Line}
					r.competences[code] = at
				}
				for _, el := range list.Content {
					lines = append(lines, el.Line)
					if id := fieldValue(el, "id"); id != "" {
						if _, seen := at[id]; !seen {
							at[id] = el.Line
						}
					}
				}
			}
			r.compLines = append(r.compLines, lines)
		}
	}
}

// field returns the key and value nodes of a mapping's field, or nil.
func field(m *yaml.Node, name string) (key, value *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// lineAt returns lines[i], or 0 when the line is not known.
func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// checkUnique refuses a position code, a competence id within a position or a part id given
// twice, at the second one, and a competence without an id.
func (r *reader) checkUnique(positions []bank.Position, parts []Part) error {
	first := map[string]int{}
	for i, p := range positions {
		if j, dup := first[p.Code]; dup {
			return &Error{File: r.rootName, Line: lineAt(r.posLines, i), Msg: fmt.Sprintf("position %s is listed twice (first at line %d)", p.Code, lineAt(r.posLines, j))}
		}
		first[p.Code] = i
		var lines []int
		if i < len(r.compLines) {
			lines = r.compLines[i]
		}
		ids := map[string]int{}
		for j, c := range p.Competences {
			if c.ID == "" {
				return &Error{File: r.rootName, Line: lineAt(lines, j), Msg: fmt.Sprintf("position %s has a competence without an id", p.Code)}
			}
			if k, dup := ids[c.ID]; dup {
				return &Error{File: r.rootName, Line: lineAt(lines, j), Msg: fmt.Sprintf("position %s has competence %s twice (first at line %d)", p.Code, c.ID, lineAt(lines, k))}
			}
			ids[c.ID] = j
		}
	}
	clear(first)
	for i, p := range parts {
		if j, dup := first[p.ID]; dup {
			return &Error{File: r.rootName, Line: lineAt(r.partLines, i), Msg: fmt.Sprintf("part %s is defined twice (first at line %d)", p.ID, lineAt(r.partLines, j))}
		}
		first[p.ID] = i
	}
	return nil
}

func fieldValue(m *yaml.Node, field string) string {
	if m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == field {
			return m.Content[i+1].Value
		}
	}
	return ""
}

func (r *reader) rootError(key, format string, args ...any) error {
	return &Error{File: r.rootName, Line: r.rootLine[key], Msg: fmt.Sprintf(format, args...)}
}

// resolve returns the path in the file system of a file named relative to the file from, or
// false when the name leads out of the source folder.
func resolve(from, name string) (string, bool) {
	if name == "" || path.IsAbs(name) || strings.Contains(name, "\\") {
		return "", false
	}
	clean := path.Join(path.Dir(from), name)
	return clean, fs.ValidPath(clean)
}

func (r *reader) loadItems(name string, line int) error {
	clean, ok := resolve(r.rootName, name)
	if !ok {
		return &Error{File: r.rootName, Line: line, Msg: fmt.Sprintf("item file %q must be inside the source folder, written with /", name)}
	}
	if _, err := fs.Stat(r.fsys, clean); err != nil {
		return &Error{File: r.rootName, Line: line, Msg: fmt.Sprintf("item file %s: %s", name, readError(err))}
	}
	var items []Item
	doc, err := r.decode(clean, &items)
	if err != nil {
		return err
	}
	seq := sequence(doc)
	for i := range items {
		it := &items[i]
		at := place{clean, 0}
		if seq != nil && i < len(seq.Content) {
			at.line = seq.Content[i].Line
		}
		if err := r.convertItem(it, at); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) convertItem(it *Item, at place) error {
	fail := func(format string, args ...any) error {
		return &Error{File: at.file, Line: at.line, Msg: fmt.Sprintf(format, args...)}
	}
	name := it.ID
	if name == "" {
		return fail("item has no id")
	}
	if first, dup := r.items[it.ID]; dup {
		return fail("item %s is defined twice (first at %s:%d)", name, first.file, first.line)
	}
	r.items[it.ID] = at
	if !slices.Contains(r.topicSeen, it.Topic) {
		r.topicSeen = append(r.topicSeen, it.Topic)
	}
	out := bank.Item{ID: it.ID, Topic: it.Topic}
	switch {
	case it.Options != nil && it.Prompt != nil:
		return fail("item %s has both options and a written task's prompt", name)
	case it.Options != nil:
		out.Kind = bank.ItemChoice
		out.Stem = it.Stem
		if it.Points != 0 || it.WordLimit != 0 {
			return fail("item %s is multiple-choice; points and word_limit belong to written tasks (a part's scoring rules give the points)", name)
		}
		if it.Guide != nil || it.ModelAnswer != nil {
			return fail("item %s is multiple-choice; guide and model_answer belong to written tasks", name)
		}
		correct := []string{}
		for i, o := range it.Options {
			id := o.ID
			if id == "" {
				id = string(rune('a' + i))
			}
			out.Options = append(out.Options, bank.Option{ID: id, Text: o.Text})
			if o.Correct {
				correct = append(correct, id)
			}
		}
		switch len(correct) {
		case 0:
			return fail("item %s has no correct option", name)
		case 1:
			r.def.Correct[it.ID] = correct[0]
		default:
			return fail("item %s has %d correct options (%s); exactly one is allowed", name, len(correct), strings.Join(correct, ", "))
		}
	case it.Prompt != nil:
		out.Kind = bank.ItemWritten
		out.Prompt = it.Prompt
		out.MaxPoints = it.Points
		out.WordLimit = it.WordLimit
		if it.Stem != nil {
			return fail("item %s is a written task; use prompt, not stem", name)
		}
		if it.Guide != nil || it.ModelAnswer != nil {
			r.def.Guides[it.ID] = bank.GradingGuide{Guide: it.Guide, ModelAnswer: it.ModelAnswer}
		}
	default:
		return fail("item %s has neither options (multiple choice) nor a prompt (written task)", name)
	}
	if it.Image != "" {
		file, ok := resolve(at.file, it.Image)
		if !ok {
			return fail("item %s: image %q must be inside the source folder, written with /", name, it.Image)
		}
		data, err := fs.ReadFile(r.fsys, file)
		if err != nil {
			return fail("item %s: image %s: %s", name, it.Image, readError(err))
		}
		imageName, err := bank.ImageName(data)
		if err != nil {
			return fail("item %s: image %s: %v", name, it.Image, err)
		}
		r.def.Images[imageName] = data
		out.Image = imageName
	}
	r.def.Items = append(r.def.Items, out)
	return nil
}
