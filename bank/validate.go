package bank

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ValidationError says what is wrong with a bank's content and which part, item or position
// it is about, so that a source reader can point at the line.
type ValidationError struct {
	Subject string // "bank", "position", "part" or "item"
	ID      string // the position code, part id or item id; empty for the bank
	Msg     string
}

func (e *ValidationError) Error() string {
	if e.ID == "" {
		return e.Subject + ": " + e.Msg
	}
	return e.Subject + " " + e.ID + " " + e.Msg
}

var (
	bankIDPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,63}$`)
	partIDPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	itemIDPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	topicPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	optionIDPattern   = regexp.MustCompile(`^[a-z0-9]{1,8}$`)
	positionPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9./_-]{0,63}$`)
	competencePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
)

// maxTextLength bounds one text of an item, in bytes.
const maxTextLength = 32 << 10

// content is what the bank checks have in common for a definition and an opened bank.
type content struct {
	languages []string
	positions []Position
	parts     []Part
	items     []Item
	correct   map[string]string // option id per choice item; nil when the key is absent
	guides    map[string]GradingGuide
	images    map[string]bool
}

func (c *content) validate() error {
	if err := c.validateLanguages(); err != nil {
		return err
	}
	positions := map[string]bool{}
	for i := range c.positions {
		p := &c.positions[i]
		fail := func(format string, args ...any) error {
			return &ValidationError{"position", p.Code, fmt.Sprintf(format, args...)}
		}
		switch {
		case !positionPattern.MatchString(p.Code):
			return &ValidationError{"position", p.Code, "has a code that is not allowed (letters, digits, '.', '/', '_', '-')"}
		case positions[p.Code]:
			return fail("is listed twice")
		case p.Openings < 1:
			return fail("must have at least one opening")
		}
		if err := c.validateText(p.Department, "department"); err != nil {
			return fail("%v", err)
		}
		if err := c.validateCompetences(p); err != nil {
			return err
		}
		positions[p.Code] = true
	}
	items := map[string]*Item{}
	for i := range c.items {
		it := &c.items[i]
		if err := c.validateItem(it); err != nil {
			return err
		}
		if items[it.ID] != nil {
			return &ValidationError{"item", it.ID, "is defined twice"}
		}
		items[it.ID] = it
	}
	if err := c.validateGuides(items); err != nil {
		return err
	}
	parts := map[string]bool{}
	for i := range c.parts {
		p := &c.parts[i]
		if parts[p.ID] {
			return &ValidationError{"part", p.ID, "is defined twice"}
		}
		parts[p.ID] = true
		if err := c.validatePart(p, positions, items); err != nil {
			return err
		}
	}
	if len(c.parts) == 0 {
		return &ValidationError{"bank", "", "has no parts"}
	}
	return nil
}

func (c *content) validateLanguages() error {
	if len(c.languages) == 0 {
		return &ValidationError{"bank", "", "names no languages"}
	}
	for i, l := range c.languages {
		if !slices.Contains(Languages, l) {
			return &ValidationError{"bank", "", fmt.Sprintf("language %q is not one of %s", l, strings.Join(Languages, ", "))}
		}
		if slices.Contains(c.languages[:i], l) {
			return &ValidationError{"bank", "", fmt.Sprintf("language %q is listed twice", l)}
		}
	}
	return nil
}

// validateText checks that t has a non-blank text in every language of the bank and no other.
func (c *content) validateText(t Text, what string) error {
	for _, l := range c.languages {
		s, ok := t[l]
		if !ok || strings.TrimSpace(s) == "" {
			return fmt.Errorf("has no %s in %s", what, l)
		}
		if len(s) > maxTextLength {
			return fmt.Errorf("has a %s in %s longer than %d bytes", what, l, maxTextLength)
		}
	}
	for _, l := range slices.Sorted(maps.Keys(t)) {
		if !slices.Contains(c.languages, l) {
			return fmt.Errorf("has a %s in %q, which is not a language of the bank", what, l)
		}
	}
	return nil
}

// validatePartialText checks a text that may be written in only some languages of the bank: at
// least one, each non-blank, and no language the bank does not have.
func (c *content) validatePartialText(t Text, what string) error {
	if len(t) == 0 {
		return fmt.Errorf("has a %s in no language", what)
	}
	for _, l := range slices.Sorted(maps.Keys(t)) {
		switch s := t[l]; {
		case !slices.Contains(c.languages, l):
			return fmt.Errorf("has a %s in %q, which is not a language of the bank", what, l)
		case strings.TrimSpace(s) == "":
			return fmt.Errorf("has a blank %s in %s", what, l)
		case len(s) > maxTextLength:
			return fmt.Errorf("has a %s in %s longer than %d bytes", what, l, maxTextLength)
		}
	}
	return nil
}

// validateCompetences checks a position's interview competences: none, or some with their own
// ids, titles in every language and points adding up to InterviewMaxPoints.
func (c *content) validateCompetences(p *Position) error {
	if p.Competences == nil {
		return nil
	}
	fail := func(format string, args ...any) error {
		return &ValidationError{"position", p.Code, fmt.Sprintf(format, args...)}
	}
	if len(p.Competences) == 0 {
		return fail("has an empty list of interview competences; leave it out to score the interview as one number")
	}
	sum := 0
	for i, comp := range p.Competences {
		switch {
		case !competencePattern.MatchString(comp.ID):
			return fail("competence %s has an id that is not allowed (lower-case letters, digits, '-', at most 32)", comp.ID)
		case slices.ContainsFunc(p.Competences[:i], func(e Competence) bool { return e.ID == comp.ID }):
			return fail("competence %s is listed twice", comp.ID)
		case comp.MaxPoints < 1 || comp.MaxPoints > InterviewMaxPoints:
			return fail("competence %s has %d points; a competence has 1 to %d", comp.ID, comp.MaxPoints, InterviewMaxPoints)
		}
		if err := c.validateText(comp.Title, "title"); err != nil {
			return fail("competence %s %v", comp.ID, err)
		}
		sum += comp.MaxPoints
	}
	if sum != InterviewMaxPoints {
		return fail("has interview competences worth %d points in all; they must add up to %d", sum, InterviewMaxPoints)
	}
	return nil
}

// validateGuides checks the grading guides and model answers: each for a written task of the
// bank, and each text in some of the bank's languages.
func (c *content) validateGuides(items map[string]*Item) error {
	for _, id := range slices.Sorted(maps.Keys(c.guides)) {
		g := c.guides[id]
		fail := func(format string, args ...any) error {
			return &ValidationError{"item", id, fmt.Sprintf(format, args...)}
		}
		it := items[id]
		switch {
		case it == nil:
			return fail("has a grading guide or model answer, but the bank has no such item")
		case it.Kind != ItemWritten && (g.Guide != nil || g.ModelAnswer != nil):
			return fail("is a multiple-choice item; a grading guide and a model answer belong to written tasks")
		}
		if g.Guide != nil {
			if err := c.validatePartialText(g.Guide, "grading guide"); err != nil {
				return fail("%v", err)
			}
		}
		if g.ModelAnswer != nil {
			if err := c.validatePartialText(g.ModelAnswer, "model answer"); err != nil {
				return fail("%v", err)
			}
		}
	}
	return nil
}

func (c *content) validateItem(it *Item) error {
	fail := func(format string, args ...any) error {
		return &ValidationError{"item", it.ID, fmt.Sprintf(format, args...)}
	}
	if !itemIDPattern.MatchString(it.ID) {
		return &ValidationError{"item", it.ID, "has an id that is not allowed (letters, digits, '.', '_', '-', at most 64)"}
	}
	if !topicPattern.MatchString(it.Topic) {
		return fail("has no topic, or one that is not allowed (lower-case letters, digits, '-')")
	}
	if it.Image != "" && !c.images[it.Image] {
		return fail("refers to image %q, which the bank does not carry", it.Image)
	}
	switch it.Kind {
	case ItemChoice:
		if it.Prompt != nil || it.MaxPoints != 0 || it.WordLimit != 0 {
			return fail("is a multiple-choice item but has a written task's prompt, points or word limit")
		}
		if err := c.validateText(it.Stem, "question"); err != nil {
			return fail("%v", err)
		}
		if n := len(it.Options); n < MinOptions || n > MaxOptions {
			noun := "options"
			if n == 1 {
				noun = "option"
			}
			return fail("has %d %s; it needs %d to %d", n, noun, MinOptions, MaxOptions)
		}
		for i, o := range it.Options {
			if !optionIDPattern.MatchString(o.ID) {
				return fail("has option id %q that is not allowed (lower-case letters and digits)", o.ID)
			}
			for _, earlier := range it.Options[:i] {
				if earlier.ID == o.ID {
					return fail("has option %q twice", o.ID)
				}
			}
			if err := c.validateText(o.Text, "text for option "+o.ID); err != nil {
				return fail("%v", err)
			}
		}
		if c.correct != nil {
			correct, ok := c.correct[it.ID]
			if !ok || correct == "" {
				return fail("has no correct option")
			}
			if !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == correct }) {
				return fail("names correct option %q, which it does not have", correct)
			}
		}
	case ItemWritten:
		if it.Stem != nil || it.Options != nil {
			return fail("is a written task but has a question stem or options")
		}
		if err := c.validateText(it.Prompt, "task text"); err != nil {
			return fail("%v", err)
		}
		if it.MaxPoints < 1 || it.MaxPoints > ProfessionalMaxPoints {
			return fail("has %d points; a written task has 1 to %d", it.MaxPoints, ProfessionalMaxPoints)
		}
		if it.WordLimit < 0 {
			return fail("has a negative word limit")
		}
	default:
		return fail("has unknown kind %q", it.Kind)
	}
	return nil
}

func (c *content) validatePart(p *Part, positions map[string]bool, items map[string]*Item) error {
	fail := func(format string, args ...any) error {
		return &ValidationError{"part", p.ID, fmt.Sprintf(format, args...)}
	}
	if !partIDPattern.MatchString(p.ID) {
		return &ValidationError{"part", p.ID, "has an id that is not allowed (lower-case letters, digits, '-')"}
	}
	if err := c.validateText(p.Title, "title"); err != nil {
		return fail("%v", err)
	}
	if len(p.Positions) == 0 {
		return fail("names no positions (use \"*\" for all)")
	}
	for _, code := range p.Positions {
		if code != "*" && !positions[code] {
			return fail("names position %q, which the bank does not list", code)
		}
	}
	if p.DurationSeconds <= 0 || p.DurationSeconds > int(24*time.Hour/time.Second) {
		return fail("needs a duration between 1 second and 24 hours")
	}
	wantKind := ItemChoice
	if p.Kind == PartProfessionalWritten {
		wantKind = ItemWritten
	}
	checkItem := func(id string) (*Item, error) {
		it := items[id]
		if it == nil {
			return nil, fail("uses item %q, which the bank does not have", id)
		}
		if it.Kind != wantKind {
			return nil, fail("is a %s part but item %s is a %s item", p.Kind, id, it.Kind)
		}
		return it, nil
	}
	switch {
	case (p.Items == nil) == (p.Draw == nil):
		return fail("must either list its items or draw them from a pool")
	case p.Items != nil:
		if p.Count != len(p.Items) {
			return fail("lists %d items but its count is %d", len(p.Items), p.Count)
		}
		for i, id := range p.Items {
			if _, err := checkItem(id); err != nil {
				return err
			}
			if slices.Contains(p.Items[:i], id) {
				return fail("lists item %s twice", id)
			}
		}
	default:
		available := map[string]int{}
		inPool := make(map[string]bool, len(p.Draw.Pool))
		for _, id := range p.Draw.Pool {
			it, err := checkItem(id)
			if err != nil {
				return err
			}
			if inPool[id] {
				return fail("has item %s twice in its pool", id)
			}
			inPool[id] = true
			available[it.Topic]++
		}
		total := 0
		for _, topic := range slices.Sorted(maps.Keys(p.Draw.Quota)) {
			n := p.Draw.Quota[topic]
			if n < 1 {
				return fail("draws %d items from topic %q; a quota is at least 1", n, topic)
			}
			if available[topic] < n {
				return fail("draws %d items from topic %q, but its pool has only %d", n, topic, available[topic])
			}
			total += n
		}
		if total != p.Count {
			return fail("draws %d items in all but its count is %d", total, p.Count)
		}
	}
	return c.validateScoring(p, items, fail)
}

func (c *content) validateScoring(p *Part, items map[string]*Item, fail func(string, ...any) error) error {
	switch p.Kind {
	case PartPublic:
		if p.Count != PublicItems || p.PointsPerItem != 1 || p.MaxPoints != PublicItems || p.PassMark != PublicPassCorrect {
			return fail("must have %d items worth 1 point each, passed with %d", PublicItems, PublicPassCorrect)
		}
	case PartProfessionalChoice:
		if p.Count != 10 && p.Count != 20 {
			return fail("has %d items; a professional multiple-choice test has 10 or 20", p.Count)
		}
		if p.PointsPerItem*p.Count != ProfessionalMaxPoints || p.MaxPoints != ProfessionalMaxPoints || p.PassMark != ChoicePassPoints {
			return fail("must be worth %d points in all, passed with %d", ProfessionalMaxPoints, ChoicePassPoints)
		}
	case PartProfessionalWritten:
		if p.Items == nil {
			return fail("must list its written tasks; they are not drawn")
		}
		sum := 0
		for _, id := range p.Items {
			sum += items[id].MaxPoints
		}
		if sum != ProfessionalMaxPoints || p.MaxPoints != ProfessionalMaxPoints || p.PassMark != WrittenPassPoints || p.PointsPerItem != 0 {
			return fail("has tasks worth %d points in all; they must add up to %d, passed with %d", sum, ProfessionalMaxPoints, WrittenPassPoints)
		}
	default:
		return fail("has unknown kind %q", p.Kind)
	}
	return nil
}

// inTimeRange reports whether t can be recorded in a manifest: RFC 3339 allows only the years
// 0 to 9999, in UTC as the manifest writes them.
func inTimeRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}
