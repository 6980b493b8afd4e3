package svgchart

import "sort"

// Binning limits.
const (
	// MaxBins is the most bins a histogram has; 22 so that the public exam's 0..21 points get
	// one bin per point.
	MaxBins = 22
	// MaxPoints caps Histogram.Max: a larger Max is taken as MaxPoints.
	MaxPoints = 1_000_000
)

// Bin is one bar of a histogram: the candidates with Lo..Hi points, both included.
type Bin struct {
	Lo, Hi int
	Count  int
	// Pass reports that the whole bin is at or above the pass mark (Lo ≥ PassMark).
	Pass bool
}

// Summary is what a histogram's description reports.
type Summary struct {
	// N is the number of values (candidates).
	N int
	// AtOrAbove is the number of values at or above the pass mark, after clamping.
	AtOrAbove int
	// BelowRange and AboveRange are the values below 0 and above Max, which were clamped into
	// the first and the last bin.
	BelowRange, AboveRange int
}

// max is h.Max capped at MaxPoints.
func (h Histogram) max() int { return min(h.Max, MaxPoints) }

// clamp puts v into 0..Max.
func (h Histogram) clamp(v int) int { return max(0, min(v, h.max())) }

// Summary counts the histogram's values.
func (h Histogram) Summary() Summary {
	s := Summary{N: len(h.Values)}
	for _, v := range h.Values {
		switch {
		case v < 0:
			s.BelowRange++
		case v > h.max():
			s.AboveRange++
		}
		if h.clamp(v) >= h.PassMark {
			s.AtOrAbove++
		}
	}
	return s
}

// Bins groups the values into bins of whole points over 0..Max.
//
// The bin width w is the smallest of 1, 2, 5, 10, 20, 50, … that gives at most MaxBins bins:
// 0..21 gives 22 bins of one point, 0..100 bins of 5 (0–4, 5–9, …, 95–99 and 100 alone, 21
// bins), 0..30 bins of 2. Bins are aligned on the pass mark when 0 < PassMark ≤ Max, so that
// no bin straddles it: bin boundaries are at PassMark + k·w, and the first and the last bin may
// be narrower (0..100 with pass mark 73 gives 0–2, 3–7, …, 93–97, 98–100). Values below 0 or
// above Max are clamped into the first or the last bin (Summary counts them). Max ≤ 0 gives no
// bins; Max above MaxPoints is taken as MaxPoints.
func (h Histogram) Bins() []Bin {
	starts := binStarts(h.max(), h.PassMark)
	if len(starts) == 0 {
		return nil
	}
	bins := make([]Bin, len(starts))
	for i, lo := range starts {
		hi := h.max()
		if i+1 < len(starts) {
			hi = starts[i+1] - 1
		}
		bins[i] = Bin{Lo: lo, Hi: hi, Pass: lo >= h.PassMark}
	}
	for _, v := range h.Values {
		// The last bin starting at or below v.
		i := sort.SearchInts(starts, h.clamp(v)+1) - 1
		bins[i].Count++
	}
	return bins
}

// binStarts returns the lowest value of each bin over 0..max (see Histogram.Bins).
func binStarts(max, pass int) []int {
	if max <= 0 {
		return nil
	}
	for w := range niceSteps(max + 1) {
		off := 0
		if pass > 0 && pass <= max {
			off = pass % w
		}
		// The boundaries above 0: off + k·w in 1..max.
		first := off
		if first == 0 {
			first = w
		}
		n := 1
		if first <= max {
			n += (max-first)/w + 1
		}
		if n > MaxBins && w <= max {
			continue
		}
		starts := make([]int, 0, n)
		starts = append(starts, 0)
		for b := first; b <= max; b += w {
			starts = append(starts, b)
		}
		return starts
	}
	return []int{0}
}

// niceSteps yields 1, 2, 5, 10, 20, 50, … up to the first step at or above limit.
func niceSteps(limit int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for decade := 1; ; decade *= 10 {
			for _, m := range []int{1, 2, 5} {
				if !yield(m*decade) || m*decade >= limit {
					return
				}
			}
		}
	}
}
