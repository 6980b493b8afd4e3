package analysis

import "math/bits"

// groups are the upper and lower groups of one item's sheets (see the package documentation).
type groups struct {
	// size is g, 0 when there are no groups.
	size int
	// upperScore is the g-th best score: sheets above it are fully in the upper group, sheets
	// at it share upperRest places among upperTied of them. The lower group mirrors it.
	upperScore, upperTied, upperRest int
	lowerScore, lowerTied, lowerRest int
}

// membership is how a sheet belongs to a group.
type membership uint8

const (
	out membership = iota
	full
	tied
)

// newGroups forms the groups of entries ranked by score, best first.
func newGroups(es []entry) groups {
	n := len(es)
	if n < 2 {
		return groups{}
	}
	g := groups{size: max(1, (27*n+50)/100)}
	g.upperScore = es[g.size-1].score
	above := 0
	for above < n && es[above].score > g.upperScore {
		above++
	}
	for i := above; i < n && es[i].score == g.upperScore; i++ {
		g.upperTied++
	}
	g.upperRest = g.size - above

	g.lowerScore = es[n-g.size].score
	below := 0
	for below < n && es[n-1-below].score < g.lowerScore {
		below++
	}
	for i := n - 1 - below; i >= 0 && es[i].score == g.lowerScore; i-- {
		g.lowerTied++
	}
	g.lowerRest = g.size - below
	return g
}

// member returns how a sheet with the given score belongs to the upper and the lower group.
func (g groups) member(score int) (upper, lower membership) {
	if g.size == 0 {
		return out, out
	}
	switch {
	case score > g.upperScore:
		upper = full
	case score == g.upperScore:
		upper = tied
	}
	switch {
	case score < g.lowerScore:
		lower = full
	case score == g.lowerScore:
		lower = tied
	}
	return upper, lower
}

// tally counts the sheets that gave one answer: all of them, and those fully in or tied at the
// boundary of each group.
type tally struct {
	chosen                                     int
	upperFull, upperTied, lowerFull, lowerTied int
}

// add counts one sheet with the given group memberships.
func (t *tally) add(upper, lower membership) {
	t.chosen++
	switch upper {
	case full:
		t.upperFull++
	case tied:
		t.upperTied++
	}
	switch lower {
	case full:
		t.lowerFull++
	case tied:
		t.lowerTied++
	}
}

// upper is the tally's weighted count in the upper group.
func (g groups) upper(t tally) frac {
	return weighted(t.upperFull, t.upperTied, g.upperRest, g.upperTied)
}

// lower is the tally's weighted count in the lower group.
func (g groups) lower(t tally) frac {
	return weighted(t.lowerFull, t.lowerTied, g.lowerRest, g.lowerTied)
}

// weighted is fullCount + tiedCount·rest/tied as an exact fraction.
func weighted(fullCount, tiedCount, rest, tiedAll int) frac {
	if tiedAll <= 0 {
		return frac{num: uint64(fullCount), den: 1}
	}
	return frac{num: uint64(fullCount)*uint64(tiedAll) + uint64(tiedCount)*uint64(rest), den: uint64(tiedAll)}
}

// frac is a non-negative fraction num/den with den ≥ 1, for comparisons without rounding.
type frac struct{ num, den uint64 }

// less reports whether a < b, exactly (128-bit cross products).
func (a frac) less(b frac) bool {
	h1, l1 := bits.Mul64(a.num, b.den)
	h2, l2 := bits.Mul64(b.num, a.den)
	return h1 < h2 || h1 == h2 && l1 < l2
}

// float is the fraction's value.
func (a frac) float() float64 { return float64(a.num) / float64(a.den) }
