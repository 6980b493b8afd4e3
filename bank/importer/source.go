package importer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"ispit/bank"
	"ispit/bank/source"
)

// Source is a bank source in the native format (docs/bank-source.md), as Write writes it:
// bank.yaml, items.yaml with the items of the bank, incomplete.yaml with the items that lack a
// language of the bank (not listed in bank.yaml), and the images under images/. Its items are
// bank/source's, as the item files hold them.
type Source struct {
	ID                    string
	Title                 bank.Text
	Languages             []string
	ValidFrom, ValidUntil time.Time
	Positions             []bank.Position
	Items                 []source.Item
	// Incomplete are items that lack a language of the bank; they are kept apart so that the
	// source builds.
	Incomplete []source.Item
	// Images are the images the items show, by the path in the source folder that their
	// image field gives (images/NAME).
	Images map[string][]byte
	// Comments say where each item came from, by item id; each is written above its item.
	Comments map[string]string
	// Origin says where the source came from; it heads its files as a comment.
	Origin string
}

// Options say how NewSource makes a bank source of imported questions.
type Options struct {
	Lang string // the language of the questions, one of bank.Languages
	// Topic is the topic of questions the source files under no category; "imported" when empty.
	Topic string
	ID    string // the bank id; "imported" when empty
	Input string // the input's name, for the comments of the source
	// Positional gives items the ids q-001, q-002… by their place in the input, instead of
	// the identifiers the input gives them.
	Positional bool
	// Now is the start of the source's validity; today when zero.
	Now time.Time
}

// importedTitle is the title of an imported bank until its author sets one.
var importedTitle = bank.Text{
	"bs": "Uvezena pitanja", "hr": "Uvezena pitanja", "sr-Latn": "Uvezena pitanja",
	"sr-Cyrl": "Увезена питања", "sq": "Pyetje të importuara", "en": "Imported questions",
}

// Language returns the language code of bank.Languages that s names, in any letter case.
func Language(s string) (string, bool) {
	for _, l := range bank.Languages {
		if strings.EqualFold(l, s) {
			return l, true
		}
	}
	return "", false
}

// NewSource makes a one-language bank source of what a parser read. It returns notes for the
// author: ids that were changed to be unique, and what the questions' own notes say.
func NewSource(res *Result, opt Options) (*Source, []string, error) {
	lang, ok := Language(opt.Lang)
	if !ok {
		return nil, nil, fmt.Errorf("language %q is not one of %s", opt.Lang, strings.Join(bank.Languages, ", "))
	}
	topic := opt.Topic
	if topic == "" {
		topic = "imported"
	}
	if !ValidTopic(topic) {
		return nil, nil, fmt.Errorf("topic %q is not allowed (lower-case letters, digits and '-')", topic)
	}
	id := opt.ID
	if id == "" {
		id = "imported"
	}
	if !ValidBankID(id) {
		return nil, nil, fmt.Errorf("bank id %q is not allowed (lower-case letters, digits, '.' and '-', at most 64)", id)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	src := &Source{
		ID:         id,
		Title:      bank.Text{lang: importedTitle[lang]},
		Languages:  []string{lang},
		ValidFrom:  from,
		ValidUntil: from.AddDate(1, 0, 0),
		Images:     map[string][]byte{},
		Comments:   map[string]string{},
		Origin:     fmt.Sprintf("Imported by bankctl import from %s (%s, %s) on %s.", either(opt.Input, "the input"), res.Format, lang, from.Format(time.DateOnly)),
	}
	var categories []string
	for _, q := range res.Questions {
		categories = append(categories, q.Category)
	}
	topics := topicsOf(categories, topic)
	taken := newNames()
	images := newImageNamer(src.Images)
	var tasks []weighted
	var out []string
	for _, q := range res.Questions {
		label := fmt.Sprintf("%s %q", q.Where, q.Name)
		itemID := ""
		if !opt.Positional && q.ID != "" {
			itemID = q.ID
			if !itemIDPattern.MatchString(itemID) {
				itemID = slug(itemID, 64, true)
			}
		}
		if itemID == "" {
			itemID = fmt.Sprintf("q-%03d", q.Number)
		}
		if u := taken.take(itemID, 64); u != itemID {
			out = append(out, fmt.Sprintf("%s: id %s is taken by an earlier question; this one is %s", label, itemID, u))
			itemID = u
		}
		it := source.Item{ID: itemID, Topic: topics[q.Category]}
		if q.Image != nil {
			it.Image = images.path(q.Image.Name, q.Image.Data)
		}
		src.Comments[itemID] = fmt.Sprintf("%s: %s", q.Where, q.Name)
		switch q.Kind {
		case bank.ItemWritten:
			it.Prompt = bank.Text{lang: q.Text}
			it.WordLimit = q.WordLimit
			tasks = append(tasks, weighted{len(src.Items), q.Weight})
		default:
			it.Stem = bank.Text{lang: q.Text}
			for i, o := range q.Options {
				it.Options = append(it.Options, source.Option{ID: string(rune('a' + i)), Text: bank.Text{lang: o}, Correct: i == q.Correct})
			}
		}
		for _, n := range q.Notes {
			out = append(out, label+": "+n)
		}
		src.Items = append(src.Items, it)
	}
	ws := make([]float64, len(tasks))
	for i, t := range tasks {
		ws[i] = t.weight
	}
	points := shares(ws, bank.ProfessionalMaxPoints)
	for i, t := range tasks {
		src.Items[t.index].Points = points[i]
	}
	return src, out, nil
}

// weighted is a written task (by its index among the items) and its weight.
type weighted struct {
	index  int
	weight float64
}

// shares splits total points among tasks in proportion to their weights (a weight of 0 counts
// as 1), by largest remainder, each at least 1. With more tasks than points, each gets 1.
func shares(weights []float64, total int) []int {
	n := len(weights)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	if n > total {
		for i := range out {
			out[i] = 1
		}
		return out
	}
	ws := make([]float64, n)
	sum := 0.0
	for i, w := range weights {
		if w <= 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			w = 1
		}
		ws[i] = w
		sum += w
	}
	if sum <= 0 || math.IsInf(sum, 0) {
		ws, sum = slices.Repeat([]float64{1}, n), float64(n)
	}
	given := 0
	rem := make([]float64, n)
	for i, w := range ws {
		exact := float64(total) * w / sum
		out[i] = int(math.Floor(exact))
		rem[i] = exact - float64(out[i])
		given += out[i]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for k := 0; given < total; k = (k + 1) % n {
		out[order[k]]++
		given++
	}
	for given > total {
		big := slices.Index(out, slices.Max(out))
		out[big]--
		given--
	}
	// Every task is worth at least a point: take it from the largest.
	for i := range out {
		for out[i] < 1 {
			big := slices.Index(out, slices.Max(out))
			out[big]--
			out[i]++
		}
	}
	return out
}

// imageNamer gives the images of a source's items their files under images/: the same picture
// one file, and no two pictures one name.
type imageNamer struct {
	images map[string][]byte // by path, the source's Images
	byData map[[32]byte]string
	taken  *names
}

func newImageNamer(images map[string][]byte) *imageNamer {
	return &imageNamer{images: images, byData: map[[32]byte]string{}, taken: newNames()}
}

// path keeps the picture data, named after name, and returns its path in the source folder.
func (n *imageNamer) path(name string, data []byte) string {
	sum := sha256.Sum256(data)
	if p, ok := n.byData[sum]; ok {
		return p
	}
	ext := strings.ToLower(filepath.Ext(name))
	p := ImagesDir + "/" + n.taken.take(strings.ToLower(safeFileName(strings.TrimSuffix(name, filepath.Ext(name)))), 48) + ext
	n.byData[sum] = p
	n.images[p] = data
	return p
}

// Parts plans the parts of the source's bank.yaml: a public exam drawing 21 of the
// multiple-choice items (or a professional test of 10 or 20 when there are fewer), and a
// professional written exam of all the written tasks; each applies to every position. An empty
// Duration is the kind's default. The notes say why a part is missing.
func (s *Source) Parts() ([]source.Part, []string) {
	var parts []source.Part
	var notes []string
	var topics, written []string
	seen := map[string]bool{}
	choice, points := 0, 0
	for _, it := range s.Items {
		if it.Written() {
			written = append(written, it.ID)
			points += it.Points
			continue
		}
		choice++
		if !seen[it.Topic] {
			seen[it.Topic] = true
			topics = append(topics, it.Topic)
		}
	}
	pool := &source.Pool{Topics: topics}
	switch {
	case choice >= bank.PublicItems:
		parts = append(parts, plannedPart("public", bank.PartPublic, bank.PublicItems, "", pool, nil))
	case choice >= 20:
		parts = append(parts, plannedPart("professional-choice", bank.PartProfessionalChoice, 20, "90m", pool, nil))
	case choice >= 10:
		parts = append(parts, plannedPart("professional-choice", bank.PartProfessionalChoice, 10, "45m", pool, nil))
	case choice > 0:
		notes = append(notes, fmt.Sprintf("%s too few for a part (a public exam draws %d, a professional test 10 or 20): bank.yaml has no multiple-choice part", count(choice, "multiple-choice item is", "multiple-choice items are"), bank.PublicItems))
	}
	switch {
	case len(written) > 0 && points == bank.ProfessionalMaxPoints:
		parts = append(parts, plannedPart("professional-written", bank.PartProfessionalWritten, len(written), "2h", nil, written))
	case len(written) > 0:
		notes = append(notes, fmt.Sprintf("%d written tasks cannot share %d points (at least 1 each): bank.yaml has no written part", len(written), bank.ProfessionalMaxPoints))
	}
	if len(parts) == 0 {
		notes = append(notes, "bank.yaml has no part yet: add one before building (docs/bank-source.md)")
	}
	return parts, notes
}

// plannedPart is a part Parts plans, for every position, with the kind's title in every
// language.
func plannedPart(id string, kind bank.PartKind, n int, duration string, pool *source.Pool, items []string) source.Part {
	return source.Part{ID: id, Kind: kind, Title: partTitles[kind], Positions: []string{"*"}, Duration: duration, Count: n, Pool: pool, Items: items}
}

// PartSummary describes a part Parts planned in a few words.
func PartSummary(p source.Part) string {
	if p.Pool == nil {
		return fmt.Sprintf("%s (%s): %s, %s", p.ID, p.Kind, count(len(p.Items), "written task", "written tasks"), p.Duration)
	}
	d := p.Duration
	if d == "" {
		d = strings.TrimSuffix(bank.PublicDuration.String(), "0s")
	}
	noun := "topics"
	if len(p.Pool.Topics) == 1 {
		noun = "topic"
	}
	return fmt.Sprintf("%s (%s): %d items drawn from %s %s, %s", p.ID, p.Kind, p.Count, noun, strings.Join(p.Pool.Topics, ", "), d)
}

// count writes n with the singular or plural noun.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// The files of a source.
const (
	RootFile       = "bank.yaml"
	ItemsFile      = "items.yaml"
	IncompleteFile = "incomplete.yaml"
	ImagesDir      = "images"
)

// partTitles are the parts' titles in every language, as the demo bank has them.
var partTitles = map[bank.PartKind]bank.Text{
	bank.PartPublic: {"bs": "Javni ispit", "hr": "Javni ispit", "sr-Latn": "Javni ispit", "sr-Cyrl": "Јавни испит",
		"sq": "Provimi publik", "en": "Public exam"},
	bank.PartProfessionalChoice: {"bs": "Stručni ispit — test s ponuđenim odgovorima", "hr": "Stručni ispit — test s ponuđenim odgovorima",
		"sr-Latn": "Stručni ispit — test sa ponuđenim odgovorima", "sr-Cyrl": "Стручни испит — тест са понуђеним одговорима",
		"sq": "Provimi profesional — test me zgjedhje të shumëfishtë", "en": "Professional exam — multiple-choice test"},
	bank.PartProfessionalWritten: {"bs": "Stručni ispit — pismeni zadaci", "hr": "Stručni ispit — pisani zadatci",
		"sr-Latn": "Stručni ispit — pismeni zadaci", "sr-Cyrl": "Стручни испит — писмени задаци",
		"sq": "Provimi profesional — detyra me shkrim", "en": "Professional exam — written tasks"},
}

// Files renders the source: its files by their path in the source folder.
func (s *Source) Files() (map[string][]byte, error) {
	files := map[string][]byte{}
	parts, _ := s.Parts()
	root, err := encodeYAML(s.rootNode(parts))
	if err != nil {
		return nil, err
	}
	files[RootFile] = root
	lists := []struct {
		name  string
		items []source.Item
		head  string
	}{
		{ItemsFile, s.Items, s.Origin + "\nThe items of the bank (docs/bank-source.md)."},
		{IncompleteFile, s.Incomplete, s.Origin + "\nItems that lack a language of the bank. bank.yaml does not list this file:\n" +
			"complete an item and move it to items.yaml, or leave it out."},
	}
	for _, l := range lists {
		if len(l.items) == 0 && l.name == IncompleteFile {
			continue
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range l.items {
			n := s.itemNode(&l.items[i])
			seq.Content = append(seq.Content, n)
			if img := l.items[i].Image; img != "" {
				files[img] = s.Images[img]
			}
		}
		doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: comment(l.head), Content: []*yaml.Node{seq}}
		data, err := encodeYAML(doc)
		if err != nil {
			return nil, err
		}
		files[l.name] = data
	}
	return files, nil
}

func (s *Source) rootNode(parts []source.Part) *yaml.Node {
	m := mapNode(
		"format", str("ispit-bank-source/1"),
		"id", str(s.ID),
		"title", s.textNode(s.Title),
		"languages", flowSeq(s.Languages...),
		"valid_from", timeNode(s.ValidFrom),
		"valid_until", timeNode(s.ValidUntil),
	)
	m.Content[0].HeadComment = comment(s.Origin + "\nCheck the questions, then set the title, the validity, the positions and the parts\n" +
		"you want (docs/bank-source.md; docs/importing.md says what the import did).")
	if len(s.Positions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.Positions {
			pm := mapNode("code", str(p.Code), "department", s.textNode(p.Department), "openings", intNode(p.Openings))
			if p.Municipality != "" {
				addPair(pm, "municipality", str(p.Municipality))
			}
			seq.Content = append(seq.Content, pm)
		}
		addPair(m, "positions", seq)
	}
	addPair(m, "items", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{str(ItemsFile)}})
	if len(s.Positions) == 0 {
		m.Content[len(m.Content)-2].HeadComment = comment("positions: the positions this bank examines (code, department, openings); the parts\n" +
			"below apply to every position (\"*\") until you name them.")
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, p := range parts {
		pm := mapNode("id", str(p.ID), "kind", str(string(p.Kind)), "title", s.textNode(p.Title), "positions", flowSeq(p.Positions...))
		if p.Duration != "" {
			addPair(pm, "duration", str(p.Duration))
		}
		if p.Pool == nil {
			addPair(pm, "items", flowSeq(p.Items...))
		} else {
			addPair(pm, "count", intNode(p.Count))
			addPair(pm, "pool", mapNode("topics", flowSeq(p.Pool.Topics...)))
		}
		seq.Content = append(seq.Content, pm)
	}
	if len(parts) == 0 {
		seq.Style = yaml.FlowStyle
	}
	addPair(m, "parts", seq)
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}}
}

func (s *Source) itemNode(it *source.Item) *yaml.Node {
	m := mapNode("id", str(it.ID), "topic", str(it.Topic))
	if c := s.Comments[it.ID]; c != "" {
		m.HeadComment = comment(c)
	}
	if it.Written() {
		addPair(m, "prompt", s.textNode(it.Prompt))
		addPair(m, "points", intNode(it.Points))
		if it.WordLimit > 0 {
			addPair(m, "word_limit", intNode(it.WordLimit))
		}
		if it.Guide != nil {
			addPair(m, "guide", s.textNode(it.Guide))
		}
		if it.ModelAnswer != nil {
			addPair(m, "model_answer", s.textNode(it.ModelAnswer))
		}
	} else {
		addPair(m, "stem", s.textNode(it.Stem))
	}
	if it.Image != "" {
		addPair(m, "image", str(it.Image))
	}
	if !it.Written() {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for i, o := range it.Options {
			om := mapNode()
			if o.ID != string(rune('a'+i)) {
				addPair(om, "id", str(o.ID))
			}
			addPair(om, "text", s.textNode(o.Text))
			if o.Correct {
				addPair(om, "correct", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
			seq.Content = append(seq.Content, om)
		}
		addPair(m, "options", seq)
	}
	return m
}

// textNode writes a text in the order of the bank's languages; a text in another language
// has no place in the source and is left out.
func (s *Source) textNode(t bank.Text) *yaml.Node {
	m := mapNode()
	for _, l := range s.Languages {
		if v, ok := t[l]; ok {
			addPair(m, l, str(v))
		}
	}
	return m
}

func mapNode(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		addPair(m, kv[i].(string), kv[i+1].(*yaml.Node))
	}
	return m
}

func addPair(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func timeNode(t time.Time) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: t.UTC().Format(time.RFC3339)}
}

func flowSeq(values ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range values {
		n.Content = append(n.Content, str(v))
	}
	return n
}

// comment makes text safe for a YAML comment: printable, one comment line per line.
func comment(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, strings.TrimSpace(collapseSpace(cleanText(l))))
	}
	return strings.Join(lines, "\n")
}

func encodeYAML(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ErrExists is Write refusing to overwrite a bank source without force.
var ErrExists = errors.New("already holds a bank source (bank.yaml)")

// Write writes the source into the folder dir and returns the paths of the files it wrote.
// It refuses to overwrite a bank.yaml there unless force is set.
func (s *Source) Write(dir string, force bool) ([]string, error) {
	files, err := s.Files()
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(filepath.Join(dir, RootFile))
	existed := err == nil
	switch {
	case existed && !force:
		return nil, fmt.Errorf("%s %w; give --force to overwrite it", dir, ErrExists)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, ImagesDir), 0o755); err != nil {
		return nil, err
	}
	var names []string
	for name := range files {
		if name != RootFile {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	names = append(names, RootFile) // last: a source is not there until its root is
	var written []string
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := writeFile(p, files[name]); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	if _, ok := files[IncompleteFile]; !ok && existed {
		if err := os.Remove(filepath.Join(dir, IncompleteFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return written, err
		}
	}
	if entries, err := os.ReadDir(filepath.Join(dir, ImagesDir)); err == nil && len(entries) == 0 {
		os.Remove(filepath.Join(dir, ImagesDir))
	}
	return written, nil
}

// writeFile writes data to path through a temporary file, so that a failure leaves no half file.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
