package source

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ispit/bank"
)

// convertPart applies the defaults of the part's kind and resolves its pool and quota.
func (r *reader) convertPart(p *Part, line int) (bank.Part, error) {
	fail := func(format string, args ...any) error {
		return &Error{File: r.rootName, Line: line, Msg: fmt.Sprintf("part %s ", p.ID) + fmt.Sprintf(format, args...)}
	}
	out := bank.Part{ID: p.ID, Kind: p.Kind, Title: p.Title, Positions: p.Positions, Count: p.Count, Items: p.Items}
	var duration time.Duration
	if p.Duration != "" {
		d, err := time.ParseDuration(p.Duration)
		if err != nil || d <= 0 {
			return out, fail("has duration %q; write it like 30m or 1h30m", p.Duration)
		}
		duration = d
	}
	switch p.Kind {
	case bank.PartPublic:
		if duration == 0 {
			duration = bank.PublicDuration
		}
		if out.Count == 0 {
			out.Count = bank.PublicItems
		}
		out.PointsPerItem, out.MaxPoints, out.PassMark = 1, bank.PublicItems, bank.PublicPassCorrect
	case bank.PartProfessionalChoice:
		if out.Count == 0 {
			return out, fail("needs a count: 10 or 20 questions")
		}
		if out.Count != 10 && out.Count != 20 {
			return out, fail("has count %d; a professional multiple-choice test has 10 or 20 questions", out.Count)
		}
		out.PointsPerItem, out.MaxPoints, out.PassMark = bank.ProfessionalMaxPoints/out.Count, bank.ProfessionalMaxPoints, bank.ChoicePassPoints
	case bank.PartProfessionalWritten:
		if p.Pool != nil {
			return out, fail("draws from a pool; list its written tasks under items instead")
		}
		if out.Count == 0 {
			out.Count = len(p.Items)
		}
		out.MaxPoints, out.PassMark = bank.ProfessionalMaxPoints, bank.WrittenPassPoints
	default:
		return out, fail("has kind %q; use public, professional-choice or professional-written", p.Kind)
	}
	if duration == 0 {
		return out, fail("needs a duration, like 45m")
	}
	out.DurationSeconds = int(duration / time.Second)
	if p.Pool == nil {
		return out, nil
	}
	if p.Items != nil {
		return out, fail("has both items and a pool; use one")
	}
	draw, err := r.resolvePool(p.Pool, out.Count, p.Kind)
	if err != nil {
		return out, fail("%v", err)
	}
	out.Draw = draw
	return out, nil
}

// resolvePool lists the pool's items and works out how many each topic gives.
// A pool named by topics takes the items of those topics that the part's kind can use.
func (r *reader) resolvePool(p *Pool, count int, kind bank.PartKind) (*bank.Draw, error) {
	itemKind := bank.ItemChoice
	if kind == bank.PartProfessionalWritten {
		itemKind = bank.ItemWritten
	}
	if (p.Topics == nil) == (p.Items == nil) {
		return nil, errors.New("pool must name either topics or items")
	}
	draw := &bank.Draw{Pool: p.Items}
	if p.Topics != nil {
		for _, topic := range p.Topics {
			found := false
			for _, it := range r.def.Items {
				if it.Topic == topic && it.Kind == itemKind {
					draw.Pool = append(draw.Pool, it.ID)
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("pool names topic %q, which no %s item has", topic, itemKind)
			}
		}
	}
	if p.Quota != nil {
		draw.Quota = p.Quota
		return draw, nil
	}
	// Largest remainder: each topic gives count × its share of the pool, rounded down, and the
	// items left over go to the topics with the largest remainders, ties to the first named.
	var topics []string
	size := map[string]int{}
	for _, id := range draw.Pool {
		i := slices.IndexFunc(r.def.Items, func(it bank.Item) bool { return it.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("pool names item %q, which the bank does not have", id)
		}
		t := r.def.Items[i].Topic
		if size[t] == 0 {
			topics = append(topics, t)
		}
		size[t]++
	}
	if count <= 0 || len(draw.Pool) < count {
		return nil, fmt.Errorf("draws %d items from a pool of %d", count, len(draw.Pool))
	}
	draw.Quota = map[string]int{}
	given := 0
	for _, t := range topics {
		draw.Quota[t] = count * size[t] / len(draw.Pool)
		given += draw.Quota[t]
	}
	byRemainder := slices.Clone(topics)
	slices.SortStableFunc(byRemainder, func(a, b string) int {
		return count*size[b]%len(draw.Pool) - count*size[a]%len(draw.Pool)
	})
	for _, t := range byRemainder[:count-given] {
		draw.Quota[t]++
	}
	for t, n := range draw.Quota {
		if n == 0 {
			delete(draw.Quota, t)
		}
	}
	return draw, nil
}

// locate turns a bank validation error into one that names the file and line.
func (r *reader) locate(err error) error {
	var ve *bank.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		return &Error{File: r.rootName, Msg: err.Error()}
	}
	switch ve.Subject {
	case "item":
		at := r.items[ve.ID]
		return &Error{File: at.file, Line: at.line, Msg: ve.Error()}
	case "part":
		return &Error{File: r.rootName, Line: r.parts[ve.ID], Msg: ve.Error()}
	case "position":
		return &Error{File: r.rootName, Line: r.positionLine(ve), Msg: ve.Error()}
	}
	// A problem of the bank as a whole: point at the key it is about.
	for _, k := range []struct{ word, key string }{
		{"title", "title"}, {"valid_", "valid_until"}, {"language", "languages"}, {"id ", "id"}, {"parts", "parts"},
	} {
		if strings.Contains(ve.Msg, k.word) {
			return r.rootError(k.key, "%s", ve.Error())
		}
	}
	return &Error{File: r.rootName, Msg: ve.Error()}
}

// positionLine is the line a problem of a position is about: the competence it names, the
// position's competences when it is about them, or else the position.
func (r *reader) positionLine(ve *bank.ValidationError) int {
	at := r.competences[ve.ID]
	best, line := -1, 0
	for id, l := range at {
		if id != "" && len(id) > best && strings.HasPrefix(ve.Msg, "competence "+id+" ") {
			best, line = len(id), l
		}
	}
	switch {
	case best >= 0:
		return line
	case at != nil && strings.Contains(ve.Msg, "competences"):
		return at[""]
	}
	return r.positions[ve.ID]
}
