package svgchart

import (
	"reflect"
	"testing"
)

// span is a bin's Lo..Hi.
type span struct{ lo, hi int }

func spans(bins []Bin) []span {
	var out []span
	for _, b := range bins {
		out = append(out, span{b.Lo, b.Hi})
	}
	return out
}

// steps makes the bins lo, lo+w, … up to max, the last one ending at max.
func steps(lo, w, max int) []span {
	var out []span
	if lo > 0 {
		out = append(out, span{0, lo - 1})
	}
	for b := lo; b <= max; b += w {
		out = append(out, span{b, min(b+w-1, max)})
	}
	return out
}

func TestBinning(t *testing.T) {
	tests := []struct {
		name      string
		max, pass int
		want      []span
	}{
		{"public exam: one bin per point", 21, 11, steps(0, 1, 21)},
		{"professional exam: bins of 5, 100 alone", 100, 70, steps(0, 5, 100)},
		{"pass mark 75 is a multiple too", 100, 75, steps(0, 5, 100)},
		{"pass mark 73: bins aligned on it", 100, 73, steps(3, 5, 100)},
		{"interview: 0..30 in bins of 2", 30, 16, steps(0, 2, 30)},
		{"odd pass mark of 0..30", 30, 15, steps(1, 2, 30)},
		{"pass mark above max: aligned on 0", 100, 101, steps(0, 5, 100)},
		{"pass mark 0", 100, 0, steps(0, 5, 100)},
		{"negative pass mark", 21, -4, steps(0, 1, 21)},
		{"one point", 1, 1, steps(0, 1, 1)},
		{"0..1000 in bins of 50", 1000, 500, steps(0, 50, 1000)},
		{"max capped", MaxPoints * 10, 0, steps(0, 50000, MaxPoints)},
		{"max 0", 0, 0, nil},
		{"negative max", -5, 3, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bins := Histogram{Max: tc.max, PassMark: tc.pass}.Bins()
			if got := spans(bins); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("bins %v,\nwant %v", got, tc.want)
			}
			if len(bins) > MaxBins {
				t.Errorf("%d bins, more than %d", len(bins), MaxBins)
			}
			for _, b := range bins {
				if b.Pass != (b.Lo >= tc.pass) || b.Lo < tc.pass && b.Hi >= tc.pass {
					t.Errorf("bin %+v: pass %v with pass mark %d", b, b.Pass, tc.pass)
				}
			}
		})
	}
}

func TestCountsAndClamping(t *testing.T) {
	h := Histogram{Max: 21, PassMark: 11, Values: []int{-3, 0, 5, 10, 11, 11, 21, 22, 1000}}
	bins := h.Bins()
	want := map[int]int{0: 2, 5: 1, 10: 1, 11: 2, 21: 3} // −3 → 0; 22 and 1000 → 21
	for _, b := range bins {
		if b.Count != want[b.Lo] {
			t.Errorf("bin %d–%d: %d, want %d", b.Lo, b.Hi, b.Count, want[b.Lo])
		}
	}
	// At or above 11: 11, 11, 21, 22→21, 1000→21.
	if got, w := h.Summary(), (Summary{N: 9, AtOrAbove: 5, BelowRange: 1, AboveRange: 2}); got != w {
		t.Errorf("summary %+v, want %+v", got, w)
	}

	h = Histogram{Max: 100, PassMark: 73, Values: []int{0, 2, 3, 72, 73, 97, 98, 100}}
	got := map[span]int{}
	for _, b := range h.Bins() {
		got[span{b.Lo, b.Hi}] = b.Count
	}
	for s, n := range map[span]int{{0, 2}: 2, {3, 7}: 1, {68, 72}: 1, {73, 77}: 1, {93, 97}: 1, {98, 100}: 2} {
		if got[s] != n {
			t.Errorf("bin %v: %d, want %d", s, got[s], n)
		}
	}
}
