package bank

import (
	"slices"
	"time"
)

// Languages are the languages a bank may carry, in the order the kiosk offers them.
var Languages = []string{"bs", "hr", "sr-Latn", "sr-Cyrl", "sq", "en"}

// Text is one text in each language of a bank, keyed by language code.
type Text map[string]string

// PartKind is the kind of an exam part; it fixes the part's scoring rules.
type PartKind string

// The kinds of part DESIGN.md's exam table names.
const (
	PartPublic              PartKind = "public"
	PartProfessionalChoice  PartKind = "professional-choice"
	PartProfessionalWritten PartKind = "professional-written"
)

// ItemKind says whether an item is answered by choosing an option or by writing.
type ItemKind string

// The kinds of item.
const (
	ItemChoice  ItemKind = "choice"
	ItemWritten ItemKind = "written"
)

// Position is a job a candidate applies for; its professional exam is the parts naming its code.
type Position struct {
	Code         string `json:"code"`
	Department   Text   `json:"department"`
	Openings     int    `json:"openings"`
	Municipality string `json:"municipality,omitempty"`
	// Competences are what the commission scores the interview by, their points adding up to
	// InterviewMaxPoints; none means the interview is scored as one number from 0 to
	// InterviewMaxPoints. They travel in the answer key only: a bank's manifest lists its
	// positions without them.
	Competences []Competence `json:"competences,omitempty"`
}

// Competence is one thing the selection commission scores in a position's interview.
type Competence struct {
	// ID is lower-case letters, digits and '-', at most 32, unique within the position.
	ID    string `json:"id"`
	Title Text   `json:"title"`
	// MaxPoints is at least 1; a source writes it as points, as items' points.
	MaxPoints int `json:"max_points" yaml:"points"`
}

// Competence returns the interview competence of the position with this id.
func (p Position) Competence(id string) (*Competence, bool) {
	for i := range p.Competences {
		if p.Competences[i].ID == id {
			return &p.Competences[i], true
		}
	}
	return nil, false
}

// GradingGuide is what the selection commission grades a written task by: a guide to what
// earns the points and a model answer. Either may be absent, and each may be written in only
// some of the bank's languages. It travels in the answer key only, never to a kiosk.
type GradingGuide struct {
	Guide       Text `json:"guide,omitempty"`
	ModelAnswer Text `json:"model_answer,omitempty"`
}

// Part is one exam of a bank as every candidate of the part sits it.
type Part struct {
	ID    string   `json:"id"`
	Kind  PartKind `json:"kind"`
	Title Text     `json:"title"`
	// Positions lists the position codes the part applies to; "*" stands for all of them.
	Positions       []string `json:"positions"`
	DurationSeconds int      `json:"duration_seconds"`
	// Count is the number of items each candidate gets.
	Count int `json:"count"`
	// PointsPerItem is what a correct answer earns in a multiple-choice part; written
	// tasks carry their own points.
	PointsPerItem int `json:"points_per_item,omitempty"`
	MaxPoints     int `json:"max_points"`
	PassMark      int `json:"pass_mark"`
	// Exactly one of Items and Draw is set: the items every candidate gets, in order, or
	// the rule that draws each candidate's items from a pool.
	Items []string `json:"items,omitempty"`
	Draw  *Draw    `json:"draw,omitempty"`
}

// Duration is the part's time allowance.
func (p *Part) Duration() time.Duration { return time.Duration(p.DurationSeconds) * time.Second }

// AppliesTo reports whether candidates for the position sit this part.
func (p *Part) AppliesTo(positionCode string) bool {
	return slices.Contains(p.Positions, "*") || slices.Contains(p.Positions, positionCode)
}

// Draw draws a part's items from a pool, a fixed number from each topic.
type Draw struct {
	Pool []string `json:"pool"`
	// Quota is how many items each topic gives; the numbers add up to the part's count.
	Quota map[string]int `json:"quota"`
}

// Item is a question as candidates see it: no answer key.
type Item struct {
	ID    string   `json:"id"`
	Kind  ItemKind `json:"kind"`
	Topic string   `json:"topic"`
	// Stem and Options belong to multiple-choice items.
	Stem    Text     `json:"stem,omitempty"`
	Options []Option `json:"options,omitempty"`
	// Prompt, MaxPoints and WordLimit belong to written tasks.
	Prompt    Text `json:"prompt,omitempty"`
	MaxPoints int  `json:"max_points,omitempty"`
	WordLimit int  `json:"word_limit,omitempty"`
	// Image names a PNG or JPEG file of the payload, "images/…".
	Image string `json:"image,omitempty"`
}

// Option is one answer a candidate may choose.
type Option struct {
	ID   string `json:"id"`
	Text Text   `json:"text"`
}

// Default exam rules, from DESIGN.md's exam table.
const (
	PublicItems            = 21
	PublicDuration         = 30 * time.Minute
	PublicPassCorrect      = 11
	ProfessionalMaxPoints  = 100
	ChoicePassPoints       = 70
	WrittenPassPoints      = 75
	InterviewMaxPoints     = 30
	InterviewPassPoints    = 16
	MinOptions, MaxOptions = 2, 6
)
