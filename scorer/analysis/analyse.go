package analysis

import (
	"cmp"
	"slices"
)

// DefaultMinShown is the number of sheets an item needs before FlagNegativeDiscrimination is
// raised; below it the item is flagged FlagFewResponses instead.
const DefaultMinShown = 10

// Config sets the figures the analysis cannot find in its input.
type Config struct {
	// PointsPerItem is what a correct answer earns in the part (1 in the public exam, 10 or 5
	// in the professional one); the corrected item–total correlation removes it from the score.
	// Values below 1 are taken as 1.
	PointsPerItem int
	// MinShown is the number of sheets an item needs for its discrimination to be trusted;
	// 0 or less means DefaultMinShown. Set 1 to trust any number.
	MinShown int
}

// Analyse analyses items over sheets with the given points per item and DefaultMinShown; see
// Config.Analyse.
func Analyse(items []Item, sheets []Sheet, pointsPerItem int) []Result {
	return Config{PointsPerItem: pointsPerItem}.Analyse(items, sheets)
}

// entry is one sheet's answer to one item.
type entry struct {
	score  int
	answer string
}

// Analyse returns one Result per item, in the order of items. A sheet counts for an item when
// its Answers hold the item's id. Items with the same id are each analysed over the same
// sheets. It never panics and never reports NaN; empty inputs give results with Shown 0 (or
// no results at all when items is empty).
func (c Config) Analyse(items []Item, sheets []Sheet) []Result {
	if len(items) == 0 {
		return []Result{}
	}
	// Rank the sheets once, best first; each item's entries then come out ranked too.
	order := make([]int, len(sheets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sheets[b].Score, sheets[a].Score) })

	slot := make(map[string]int, len(items))
	for _, it := range items {
		if _, ok := slot[it.ID]; !ok {
			slot[it.ID] = len(slot)
		}
	}
	// Count first so that each item's entries are one allocation.
	counts := make([]int, len(slot))
	for _, s := range sheets {
		for id := range s.Answers {
			if k, ok := slot[id]; ok {
				counts[k]++
			}
		}
	}
	entries := make([][]entry, len(slot))
	for k, n := range counts {
		entries[k] = make([]entry, 0, n)
	}
	for _, i := range order {
		for id, ans := range sheets[i].Answers {
			if k, ok := slot[id]; ok {
				entries[k] = append(entries[k], entry{score: sheets[i].Score, answer: ans})
			}
		}
	}

	results := make([]Result, len(items))
	for i, it := range items {
		results[i] = c.analyseItem(it, entries[slot[it.ID]])
	}
	return results
}

// pointsPerItem is c.PointsPerItem, at least 1.
func (c Config) pointsPerItem() int { return max(1, c.PointsPerItem) }

// minShown is c.MinShown, or DefaultMinShown when unset.
func (c Config) minShown() int {
	if c.MinShown <= 0 {
		return DefaultMinShown
	}
	return c.MinShown
}

// analyseItem analyses one item over its entries, ranked by score, best first.
func (c Config) analyseItem(it Item, es []entry) Result {
	n := len(es)
	res := Result{ID: it.ID, Shown: n, Options: make([]OptionResult, len(it.Options))}
	g := newGroups(es)
	res.GroupSize = g.size

	// Per option (and one more slot for answers naming no option): how many chose it, overall
	// and fully or tied in each group.
	tallies := make([]tally, len(it.Options)+1)
	var correct tally
	xs := make([]bool, n)
	for i, e := range es {
		u, l := g.member(e.score)
		if e.answer != "" {
			res.Answered++
			k := index(it.Options, e.answer)
			if k < 0 {
				k = len(it.Options)
				res.Other++
			}
			tallies[k].add(u, l)
			if index(it.Correct, e.answer) >= 0 {
				res.Correct++
				correct.add(u, l)
				xs[i] = true
			}
		}
	}
	res.Unanswered = n - res.Answered
	if n > 0 {
		res.Difficulty = stat(float64(res.Correct) / float64(n))
	}

	upperCorrect, lowerCorrect := g.upper(correct), g.lower(correct)
	bestKeyUpper := frac{0, 1}
	distractorBeatsKey := false
	for k, id := range it.Options {
		o := &res.Options[k]
		o.ID = id
		o.Correct = index(it.Correct, id) >= 0
		if index(it.Options[:k], id) >= 0 {
			continue // a repeated option id: its answers went to the first
		}
		o.Chosen = tallies[k].chosen
		if n > 0 {
			o.Share = stat(float64(o.Chosen) / float64(n))
		}
		up, low := g.upper(tallies[k]), g.lower(tallies[k])
		o.Upper, o.Lower = up.float(), low.float()
		if o.Correct && bestKeyUpper.less(up) {
			bestKeyUpper = up
		}
	}
	for k := range it.Options {
		o := res.Options[k]
		if !o.Correct && g.size > 0 && bestKeyUpper.less(g.upper(tallies[k])) {
			distractorBeatsKey = true
		}
	}

	if g.size > 0 {
		res.UpperCorrect, res.LowerCorrect = upperCorrect.float(), lowerCorrect.float()
		res.Discrimination = Stat{Value: 0, Valid: true} // exactly 0 when the groups tie
		if upperCorrect.less(lowerCorrect) || lowerCorrect.less(upperCorrect) {
			res.Discrimination = stat((res.UpperCorrect - res.LowerCorrect) / float64(g.size))
		}
	}
	res.PointBiserial = pointBiserial(es, xs, res.Correct, float64(c.pointsPerItem()), it.Voided)

	negative := upperCorrect.less(lowerCorrect) && g.size > 0 ||
		res.PointBiserial.Valid && res.PointBiserial.Value < 0
	if negative && n >= c.minShown() {
		res.Flags = append(res.Flags, FlagNegativeDiscrimination)
	}
	if distractorBeatsKey {
		res.Flags = append(res.Flags, FlagDistractorBeatsKey)
	}
	if n > 0 && res.Correct == 0 {
		res.Flags = append(res.Flags, FlagNobodyCorrect)
	}
	if n > 0 && res.Correct == n {
		res.Flags = append(res.Flags, FlagEverybodyCorrect)
	}
	if n < c.minShown() {
		res.Flags = append(res.Flags, FlagFewResponses)
	}
	if it.Voided {
		res.Flags = append(res.Flags, FlagVoided)
	}
	return res
}

// index is the index of the first s in list, or -1. Items have a handful of options, so a scan
// beats a map.
func index(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
