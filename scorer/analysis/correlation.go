package analysis

import "math"

// pointBiserial is the Pearson correlation between item-correct (xs) and the rest score over
// entries: Score minus ppi when the sheet scored the item's points (correct, or every sheet
// when the item is voided). It is not valid when undefined: fewer than 2 entries, nobody or
// everybody correct, or all rest scores equal.
//
// It uses the raw-sum form (n·Σxy − Σx·Σy) / √((n·Σx² − (Σx)²)(n·Σy² − (Σy)²)), whose
// numerator and variances are exact in float64 for integer scores while n·Σy² stays below 2^53
// (rest scores up to 1,000 over 10,000 sheets give at most 10^14); beyond that they carry
// float64 rounding, and a result that is not finite is reported as not available.
func pointBiserial(es []entry, xs []bool, correct int, ppi float64, voided bool) Stat {
	n := len(es)
	if n < 2 || correct == 0 || correct == n {
		return Stat{}
	}
	var sy, syy, sxy float64
	first, constant := 0.0, true
	for i, e := range es {
		y := float64(e.score)
		if voided || xs[i] {
			y -= ppi
		}
		if i == 0 {
			first = y
		} else if y != first {
			constant = false
		}
		sy += y
		syy += y * y
		if xs[i] {
			sxy += y
		}
	}
	if constant {
		return Stat{}
	}
	fn, sx := float64(n), float64(correct)
	varX := fn*sx - sx*sx
	varY := fn*syy - sy*sy
	den := math.Sqrt(varX) * math.Sqrt(varY)
	if !(den > 0) || math.IsInf(den, 0) {
		return Stat{}
	}
	r := (fn*sxy - sx*sy) / den
	r = max(-1, min(1, r)) // rounding must not push it past ±1
	return stat(r)
}
