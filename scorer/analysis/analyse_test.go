package analysis

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// abcd is the options of the test items; "b" is the key unless a test says otherwise.
var abcd = []string{"a", "b", "c", "d"}

// sheetsOf makes one sheet per (score, answer) of a single item id.
func sheetsOf(id string, rows ...any) []Sheet {
	var out []Sheet
	for i := 0; i+1 < len(rows); i += 2 {
		out = append(out, Sheet{Score: rows[i].(int), Answers: map[string]string{id: rows[i+1].(string)}})
	}
	return out
}

// want is what a test checks of a Result; nil fields and NaN values are not checked.
type want struct {
	shown, answered, correct, other, group int
	p, d, r                                float64 // NaN: must not be valid
	upper, lower                           float64
	options                                []OptionResult // checked without Share when non-nil
	flags                                  Flags
}

const tol = 1e-12

func checkResult(t *testing.T, got Result, w want) {
	t.Helper()
	if got.Shown != w.shown || got.Answered != w.answered || got.Correct != w.correct || got.Other != w.other || got.GroupSize != w.group {
		t.Errorf("%s: shown/answered/correct/other/group = %d/%d/%d/%d/%d, want %d/%d/%d/%d/%d", got.ID,
			got.Shown, got.Answered, got.Correct, got.Other, got.GroupSize, w.shown, w.answered, w.correct, w.other, w.group)
	}
	if got.Unanswered != got.Shown-got.Answered {
		t.Errorf("%s: unanswered %d, want %d", got.ID, got.Unanswered, got.Shown-got.Answered)
	}
	checkStat(t, got.ID+" p", got.Difficulty, w.p)
	checkStat(t, got.ID+" D", got.Discrimination, w.d)
	checkStat(t, got.ID+" r", got.PointBiserial, w.r)
	if math.Abs(got.UpperCorrect-w.upper) > tol || math.Abs(got.LowerCorrect-w.lower) > tol {
		t.Errorf("%s: upper/lower correct %v/%v, want %v/%v", got.ID, got.UpperCorrect, got.LowerCorrect, w.upper, w.lower)
	}
	if w.options != nil {
		if len(got.Options) != len(w.options) {
			t.Fatalf("%s: %d options, want %d", got.ID, len(got.Options), len(w.options))
		}
		for i, o := range got.Options {
			wo := w.options[i]
			if o.ID != wo.ID || o.Correct != wo.Correct || o.Chosen != wo.Chosen ||
				math.Abs(o.Upper-wo.Upper) > tol || math.Abs(o.Lower-wo.Lower) > tol {
				t.Errorf("%s option %d: %+v, want %+v", got.ID, i, o, wo)
			}
			if got.Shown > 0 {
				checkStat(t, got.ID+" share "+o.ID, o.Share, float64(o.Chosen)/float64(got.Shown))
			} else if o.Share.Valid {
				t.Errorf("%s option %s: share valid with no sheets", got.ID, o.ID)
			}
		}
	}
	if !slices.Equal(got.Flags, w.flags) {
		t.Errorf("%s: flags %v, want %v", got.ID, got.Flags, w.flags)
	}
}

func checkStat(t *testing.T, what string, got Stat, w float64) {
	t.Helper()
	if math.IsNaN(w) {
		if got.Valid || got.Value != 0 {
			t.Errorf("%s = %+v, want not available", what, got)
		}
		return
	}
	if !got.Valid || math.Abs(got.Value-w) > 1e-9 {
		t.Errorf("%s = %+v, want %v", what, got, w)
	}
}

var na = math.NaN()

func TestAnalyseHandComputed(t *testing.T) {
	tests := []struct {
		name   string
		item   Item
		sheets []Sheet
		cfg    Config
		want   want
	}{
		{
			// n = 10, g = max(1, (27·10+50)/100) = 3.
			// Ranked: 9b 8b 7c | 6b 5a 4b 3c | 2a 1– 0d.
			// Upper {9b, 8b, 7c}: 2 correct; lower {2a, 1–, 0d}: 0. D = (2 − 0)/3 = 2/3.
			// Correct 9,8,6,4 → 4 of 10, p = 0.4; answered 9.
			// r: x = 1101010000, rest y = score − x = 8 7 7 5 5 3 3 2 1 0;
			// Σx = 4, Σy = 41, Σxy = 8+7+5+3 = 23, Σy² = 235;
			// r = (10·23 − 4·41) / √((10·4 − 16)(10·235 − 41²)) = 66 / √(24·669) = 66/√16056.
			name:   "plain",
			item:   Item{ID: "q1", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q1", 9, "b", 8, "b", 7, "c", 6, "b", 5, "a", 4, "b", 3, "c", 2, "a", 1, "", 0, "d"),
			want: want{shown: 10, answered: 9, correct: 4, group: 3, p: 0.4, d: 2.0 / 3, r: 66 / math.Sqrt(16056),
				upper: 2, lower: 0,
				options: []OptionResult{
					{ID: "a", Chosen: 2, Upper: 0, Lower: 1},
					{ID: "b", Correct: true, Chosen: 4, Upper: 2, Lower: 0},
					{ID: "c", Chosen: 2, Upper: 1, Lower: 0},
					{ID: "d", Chosen: 1, Upper: 0, Lower: 1},
				}},
		},
		{
			// Ties at both boundaries. n = 10, g = 3.
			// Ranked: 9b 8c [7b 7c 7c] 5b [3b 3a] 2a 1a.
			// Upper: 9b, 8c fully in; the three 7s share 3 − 2 = 1 place: 1/3 each.
			//   correct (b): 1 + 1/3 = 4/3; c: 1 + 2/3 = 5/3 > 4/3 → distractor-beats-key.
			// Lower: 2a, 1a fully in; the two 3s share 3 − 2 = 1 place: 1/2 each.
			//   correct: 1/2; a: 2 + 1/2 = 5/2.
			// D = (4/3 − 1/2)/3 = 5/18. Correct: 9,7,5,3 → 4, p = 0.4.
			// r: x = 1010011000, y = 8 8 6 7 7 4 2 3 2 1; Σx = 4, Σy = 48, Σxy = 8+6+4+2 = 20,
			// Σy² = 296; r = (200 − 192) / √(24·(2960 − 2304)) = 8/√15744.
			name:   "ties at the boundaries",
			item:   Item{ID: "q2", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q2", 9, "b", 8, "c", 7, "b", 7, "c", 7, "c", 5, "b", 3, "b", 3, "a", 2, "a", 1, "a"),
			want: want{shown: 10, answered: 10, correct: 4, group: 3, p: 0.4, d: 5.0 / 18, r: 8 / math.Sqrt(15744),
				upper: 4.0 / 3, lower: 0.5,
				options: []OptionResult{
					{ID: "a", Chosen: 3, Upper: 0, Lower: 2.5},
					{ID: "b", Correct: true, Chosen: 4, Upper: 4.0 / 3, Lower: 0.5},
					{ID: "c", Chosen: 3, Upper: 5.0 / 3, Lower: 0},
					{ID: "d"},
				},
				flags: Flags{FlagDistractorBeatsKey}},
		},
		{
			// All scores equal: n = 4, g = (108+50)/100 = 1; all four share each group's place
			// (1/4 each). Upper correct = lower correct = 2/4, D = 0.
			// Rest scores: b → 1, others 2: x = 1100, y = 1 1 2 2; Σx = 2, Σy = 6, Σxy = 2,
			// Σy² = 10; r = (4·2 − 2·6)/√((8−4)(40−36)) = −4/4 = −1: the corrected item–total
			// is fully negative when totals carry no information. Shown 4 < 10: not flagged.
			name:   "all scores tied",
			item:   Item{ID: "q3", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q3", 2, "b", 2, "b", 2, "a", 2, "c"),
			want: want{shown: 4, answered: 4, correct: 2, group: 1, p: 0.5, d: 0, r: -1, upper: 0.5, lower: 0.5,
				options: []OptionResult{
					{ID: "a", Chosen: 1, Upper: 0.25, Lower: 0.25},
					{ID: "b", Correct: true, Chosen: 2, Upper: 0.5, Lower: 0.5},
					{ID: "c", Chosen: 1, Upper: 0.25, Lower: 0.25},
					{ID: "d"},
				},
				flags: Flags{FlagFewResponses}},
		},
		{
			// The same with MinShown 1: now the negative correlation is flagged.
			name:   "all scores tied, any number trusted",
			item:   Item{ID: "q3", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q3", 2, "b", 2, "b", 2, "a", 2, "c"),
			cfg:    Config{MinShown: 1},
			want: want{shown: 4, answered: 4, correct: 2, group: 1, p: 0.5, d: 0, r: -1, upper: 0.5, lower: 0.5,
				flags: Flags{FlagNegativeDiscrimination}},
		},
		{
			// Everybody correct: n = 12, g = (324+50)/100 = 3; p = 1, D = (3−3)/3 = 0;
			// r not available (item-correct does not vary).
			name:   "everybody correct",
			item:   Item{ID: "q4", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q4", 12, "b", 11, "b", 10, "b", 9, "b", 8, "b", 7, "b", 6, "b", 5, "b", 4, "b", 3, "b", 2, "b", 1, "b"),
			want:   want{shown: 12, answered: 12, correct: 12, group: 3, p: 1, d: 0, r: na, upper: 3, lower: 3, flags: Flags{FlagEverybodyCorrect}},
		},
		{
			// Nobody correct: p = 0, D = 0, r not available; the upper group chose a and c
			// while the key got 0 → distractor-beats-key too.
			name:   "nobody correct",
			item:   Item{ID: "q5", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q5", 12, "a", 11, "c", 10, "a", 9, "d", 8, "", 7, "a", 6, "c", 5, "d", 4, "a", 3, "c", 2, "", 1, "d"),
			want:   want{shown: 12, answered: 10, correct: 0, group: 3, p: 0, d: 0, r: na, flags: Flags{FlagDistractorBeatsKey, FlagNobodyCorrect}},
		},
		{
			// Answers naming no option ("z", "B") count as answered and as Other, never as
			// correct. n = 3, g = (81+50)/100 = 1. Upper {3b} correct, lower {1z}: D = 1.
			// r: x = 100, y = 2 2 1: Σx = 1, Σy = 5, Σxy = 2, Σy² = 9;
			// r = (3·2 − 5)/√((3−1)(27−25)) = 1/2.
			name:   "unknown options",
			item:   Item{ID: "q6", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q6", 3, "b", 2, "B", 1, "z"),
			want: want{shown: 3, answered: 3, correct: 1, other: 2, group: 1, p: 1.0 / 3, d: 1, r: 0.5, upper: 1, lower: 0,
				options: []OptionResult{{ID: "a"}, {ID: "b", Correct: true, Chosen: 1, Upper: 1}, {ID: "c"}, {ID: "d"}},
				flags:   Flags{FlagFewResponses}},
		},
		{
			// An amendment accepted c as well: both b and c are correct.
			// n = 4, g = 1. Ranked 4b 3c 2a 1d: upper {4b} correct, lower {1d} not; D = 1.
			// x = 1100, y = 3 2 2 1: Σx = 2, Σy = 8, Σxy = 5, Σy² = 18;
			// r = (4·5 − 2·8)/√((8−4)(72−64)) = 4/√32.
			name:   "two correct options",
			item:   Item{ID: "q7", Options: abcd, Correct: []string{"b", "c"}},
			sheets: sheetsOf("q7", 4, "b", 3, "c", 2, "a", 1, "d"),
			want:   want{shown: 4, answered: 4, correct: 2, group: 1, p: 0.5, d: 1, r: 4 / math.Sqrt(32), upper: 1, lower: 0, flags: Flags{FlagFewResponses}},
		},
		{
			// Voided: everyone got the point, so every rest score is Score − 1 (here with 10
			// points per item: Score − 10) and the correlation is that of the scores themselves.
			// The statistics describe the item as keyed (b). n = 4, g = 1.
			// x = 1010, y = 30 20 10 0: Σx = 2, Σy = 60, Σxy = 40, Σy² = 1400;
			// r = (4·40 − 2·60)/√((8−4)(5600−3600)) = 40/√8000.
			name:   "voided",
			item:   Item{ID: "q8", Options: abcd, Correct: []string{"b"}, Voided: true},
			sheets: sheetsOf("q8", 40, "b", 30, "a", 20, "b", 10, "c"),
			cfg:    Config{PointsPerItem: 10},
			want:   want{shown: 4, answered: 4, correct: 2, group: 1, p: 0.5, d: 1, r: 40 / math.Sqrt(8000), upper: 1, lower: 0, flags: Flags{FlagFewResponses, FlagVoided}},
		},
		{
			// One sheet: no groups (D not available), no correlation.
			name:   "one sheet",
			item:   Item{ID: "q9", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("q9", 1, "b"),
			want:   want{shown: 1, answered: 1, correct: 1, p: 1, d: na, r: na, flags: Flags{FlagEverybodyCorrect, FlagFewResponses}},
		},
		{
			// No sheet had the item: nothing is available.
			name:   "not shown",
			item:   Item{ID: "q10", Options: abcd, Correct: []string{"b"}},
			sheets: sheetsOf("other", 1, "b"),
			want: want{p: na, d: na, r: na, options: []OptionResult{{ID: "a"}, {ID: "b", Correct: true}, {ID: "c"}, {ID: "d"}},
				flags: Flags{FlagFewResponses}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cfg.Analyse([]Item{tc.item}, tc.sheets)
			if len(got) != 1 {
				t.Fatalf("%d results, want 1", len(got))
			}
			checkResult(t, got[0], tc.want)
			// The order of the sheets never matters.
			shuffled := slices.Clone(tc.sheets)
			slices.Reverse(shuffled)
			if again := tc.cfg.Analyse([]Item{tc.item}, shuffled); !reflect.DeepEqual(again, got) {
				t.Errorf("reversed sheets give\n%+v\nwant\n%+v", again, got)
			}
		})
	}
}

// TestAnalyseDrawn analyses a pool of three items of which each sheet had two; groups are
// formed per item over the sheets that had it. Key b, one point each.
//
//	A 2: x b, y b    B 1: x b, z a    C 1: y a, z b    D 0: x a, y a    E 2: z b, x b
func TestAnalyseDrawn(t *testing.T) {
	sheets := []Sheet{
		{Score: 2, Answers: map[string]string{"x": "b", "y": "b"}},
		{Score: 1, Answers: map[string]string{"x": "b", "z": "a"}},
		{Score: 1, Answers: map[string]string{"y": "a", "z": "b"}},
		{Score: 0, Answers: map[string]string{"x": "a", "y": "a"}},
		{Score: 2, Answers: map[string]string{"z": "b", "x": "b"}},
	}
	items := []Item{
		{ID: "x", Options: abcd, Correct: []string{"b"}},
		{ID: "y", Options: abcd, Correct: []string{"b"}},
		{ID: "z", Options: abcd, Correct: []string{"b"}},
	}
	got := Analyse(items, sheets, 1)
	wants := []want{
		// x: A, B, D, E; n = 4, g = 1. Ranked [E2 A2] B1 D0: upper = the two 2s at 1/2 each,
		// both correct → 1; lower {D} wrong → 0; D = 1.
		// x = 1110, y = 1 1 0 0: Σx = 3, Σy = 2, Σxy = 2, Σy² = 2;
		// r = (4·2 − 3·2)/√((12−9)(8−4)) = 2/√12.
		{shown: 4, answered: 4, correct: 3, group: 1, p: 0.75, d: 1, r: 2 / math.Sqrt(12), upper: 1, lower: 0, flags: Flags{FlagFewResponses}},
		// y: A, C, D; n = 3, g = 1. Upper {A} correct, lower {D} wrong: D = 1.
		// x = 100, y = 1 1 0: r = (3·1 − 1·2)/√((3−1)(6−4)) = 1/2.
		{shown: 3, answered: 3, correct: 1, group: 1, p: 1.0 / 3, d: 1, r: 0.5, upper: 1, lower: 0, flags: Flags{FlagFewResponses}},
		// z: B, C, E; n = 3, g = 1. Upper {E} correct; lower: B and C tie at 1 and share the
		// place, C correct → 1/2; D = 1/2.
		// Ranked E B C: x = 101, y = 1 1 0: Σx = 2, Σy = 2, Σxy = 1, Σy² = 2;
		// r = (3·1 − 2·2)/√((6−4)(6−4)) = −1/2 (not flagged: 3 sheets).
		{shown: 3, answered: 3, correct: 2, group: 1, p: 2.0 / 3, d: 0.5, r: -0.5, upper: 1, lower: 0.5, flags: Flags{FlagFewResponses}},
	}
	for i := range items {
		checkResult(t, got[i], wants[i])
	}
}

// TestAnalysePlantedWrongKey builds 40 candidates of rising ability and ten items. Nine are
// keyed right: candidate i answers item j correctly (b) when i ≥ 4j+2, else d. On the planted
// item the key says a, but the true answer is c: candidates 20..39 choose c, the weaker ones a
// (even) or b (odd). Scores follow the (wrong) key. The planted item must be flagged, the others
// not.
func TestAnalysePlantedWrongKey(t *testing.T) {
	items := []Item{{ID: "planted", Options: abcd, Correct: []string{"a"}}}
	for j := range 9 {
		items = append(items, Item{ID: string(rune('0' + j)), Options: abcd, Correct: []string{"b"}})
	}
	var sheets []Sheet
	for i := range 40 {
		s := Sheet{Answers: map[string]string{}}
		for j := range 9 {
			ans := "d"
			if i >= 4*j+2 {
				ans, s.Score = "b", s.Score+1
			}
			s.Answers[string(rune('0'+j))] = ans
		}
		switch {
		case i >= 20:
			s.Answers["planted"] = "c"
		case i%2 == 0:
			s.Answers["planted"] = "a"
			s.Score++
		default:
			s.Answers["planted"] = "b"
		}
		sheets = append(sheets, s)
	}
	got := Analyse(items, sheets, 1)
	planted := got[0]
	for _, f := range []Flag{FlagNegativeDiscrimination, FlagDistractorBeatsKey} {
		if !planted.Flags.Has(f) {
			t.Errorf("planted item: flags %v lack %s", planted.Flags, f)
		}
	}
	if !planted.Discrimination.Valid || planted.Discrimination.Value >= 0 || !planted.PointBiserial.Valid || planted.PointBiserial.Value >= 0 {
		t.Errorf("planted item: D %+v, r %+v, want both negative", planted.Discrimination, planted.PointBiserial)
	}
	// g = (27·40+50)/100 = 11: the upper group is candidates 29..39, all choosing c.
	if planted.GroupSize != 11 || planted.Options[2].Upper != 11 || planted.Options[0].Upper != 0 {
		t.Errorf("planted item: group %d, c upper %v, a upper %v; want 11, 11, 0", planted.GroupSize, planted.Options[2].Upper, planted.Options[0].Upper)
	}
	for _, r := range got[1:] {
		if r.Flags.Has(FlagNegativeDiscrimination) || r.Flags.Has(FlagDistractorBeatsKey) {
			t.Errorf("item %s wrongly flagged %v (D %+v, r %+v)", r.ID, r.Flags, r.Discrimination, r.PointBiserial)
		}
	}
}

func TestAnalyseEdgeInputs(t *testing.T) {
	tests := []struct {
		name   string
		items  []Item
		sheets []Sheet
		cfg    Config
		shown  []int
	}{
		{name: "nothing"},
		{name: "no items", sheets: sheetsOf("q", 1, "a")},
		{name: "no sheets", items: []Item{{ID: "q", Options: abcd, Correct: []string{"b"}}}, shown: []int{0}},
		{name: "nil answers", items: []Item{{ID: "q"}}, sheets: []Sheet{{Score: 3}, {}}, shown: []int{0}},
		{name: "item without options or key", items: []Item{{ID: "q"}}, sheets: sheetsOf("q", 2, "a", 1, "", 0, "b"), shown: []int{3}},
		{name: "key naming no option", items: []Item{{ID: "q", Options: abcd, Correct: []string{"x", ""}}}, sheets: sheetsOf("q", 2, "x", 1, "", 0, "b"), shown: []int{3}},
		{name: "repeated ids", items: []Item{{ID: "q", Options: []string{"a", "a", "b"}, Correct: []string{"a"}}, {ID: "q", Options: abcd, Correct: []string{"b"}}},
			sheets: sheetsOf("q", 2, "a", 1, "b", 0, "a"), shown: []int{3, 3}},
		{name: "extreme scores", items: []Item{{ID: "q", Options: abcd, Correct: []string{"b"}}},
			sheets: sheetsOf("q", math.MaxInt, "b", math.MinInt, "a", math.MaxInt, "a", math.MinInt, "b", 0, "b"), cfg: Config{PointsPerItem: math.MaxInt, MinShown: -3}, shown: []int{5}},
		{name: "negative points per item", items: []Item{{ID: "q", Options: abcd, Correct: []string{"b"}, Voided: true}},
			sheets: sheetsOf("q", 3, "b", 2, "a", 1, "b"), cfg: Config{PointsPerItem: -5}, shown: []int{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.cfg.Analyse(tc.items, tc.sheets)
			if got == nil || len(got) != len(tc.items) {
				t.Fatalf("%d results (nil %v), want %d", len(got), got == nil, len(tc.items))
			}
			for i, r := range got {
				if r.Shown != tc.shown[i] {
					t.Errorf("result %d: shown %d, want %d", i, r.Shown, tc.shown[i])
				}
				checkInvariants(t, tc.items[i], r)
			}
		})
	}
}

// checkInvariants checks what holds of every Result.
func checkInvariants(t *testing.T, it Item, r Result) {
	t.Helper()
	for _, s := range []Stat{r.Difficulty, r.Discrimination, r.PointBiserial} {
		if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || !s.Valid && s.Value != 0 {
			t.Errorf("%s: bad stat %+v", r.ID, s)
		}
	}
	if r.Discrimination.Valid && math.Abs(r.Discrimination.Value) > 1 || r.PointBiserial.Valid && math.Abs(r.PointBiserial.Value) > 1 {
		t.Errorf("%s: D %+v or r %+v outside −1..1", r.ID, r.Discrimination, r.PointBiserial)
	}
	if r.Discrimination.Valid != (r.Shown >= 2) || r.Difficulty.Valid != (r.Shown > 0) {
		t.Errorf("%s: validity of D %v / p %v with %d shown", r.ID, r.Discrimination.Valid, r.Difficulty.Valid, r.Shown)
	}
	if len(r.Options) != len(it.Options) {
		t.Errorf("%s: %d options, want %d", r.ID, len(r.Options), len(it.Options))
	}
	chosen, upper, lower := r.Other+r.Unanswered, 0.0, 0.0
	for _, o := range r.Options {
		chosen += o.Chosen
		upper += o.Upper
		lower += o.Lower
		if math.IsNaN(o.Share.Value) || math.IsNaN(o.Upper) || math.IsNaN(o.Lower) {
			t.Errorf("%s: NaN in option %+v", r.ID, o)
		}
	}
	if chosen != r.Shown {
		t.Errorf("%s: options + other + unanswered = %d, want %d", r.ID, chosen, r.Shown)
	}
	if upper > float64(r.GroupSize)+1e-9 || lower > float64(r.GroupSize)+1e-9 {
		t.Errorf("%s: option group counts %v/%v exceed the group size %d", r.ID, upper, lower, r.GroupSize)
	}
	if r.Correct > r.Answered || r.Answered > r.Shown || r.UpperCorrect > float64(r.GroupSize)+1e-9 {
		t.Errorf("%s: inconsistent counts %+v", r.ID, r)
	}
}

// TestAnalyseRandom checks the invariants on random drawn parts with random, often tied, scores and some invalid answers; and that the order of
// the sheets does not matter.
func TestAnalyseRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		pool := 1 + rng.IntN(8)
		var items []Item
		for j := range pool {
			items = append(items, Item{ID: string(rune('A' + j)), Options: abcd[:2+rng.IntN(3)], Correct: []string{abcd[rng.IntN(4)]}, Voided: rng.IntN(10) == 0})
		}
		sheets := make([]Sheet, rng.IntN(60))
		for i := range sheets {
			sheets[i].Score = rng.IntN(6)
			sheets[i].Answers = map[string]string{}
			for _, it := range items {
				if rng.IntN(3) > 0 {
					sheets[i].Answers[it.ID] = []string{"", "a", "b", "c", "d", "?"}[rng.IntN(6)]
				}
			}
		}
		cfg := Config{PointsPerItem: 1 + rng.IntN(3), MinShown: rng.IntN(12)}
		got := cfg.Analyse(items, sheets)
		for i, r := range got {
			checkInvariants(t, items[i], r)
		}
		rng.Shuffle(len(sheets), func(i, j int) { sheets[i], sheets[j] = sheets[j], sheets[i] })
		if again := cfg.Analyse(items, sheets); !reflect.DeepEqual(again, got) {
			t.Fatalf("round %d: shuffled sheets change the result", round)
		}
	}
}

func TestGroupsFillTheirPlaces(t *testing.T) {
	tests := []struct {
		scores                 []int // best first
		size                   int
		upperRest, upperTied   int
		lowerRest, lowerTied   int
		upperScore, lowerScore int
	}{
		// n = 2: g = (54+50)/100 = 1.
		{scores: []int{5, 3}, size: 1, upperRest: 1, upperTied: 1, lowerRest: 1, lowerTied: 1, upperScore: 5, lowerScore: 3},
		// n = 50: g = (1350+50)/100 = 14 (13.5 rounds half up).
		{scores: slices.Repeat([]int{7}, 50), size: 14, upperRest: 14, upperTied: 50, lowerRest: 14, lowerTied: 50, upperScore: 7, lowerScore: 7},
		// n = 7: g = (189+50)/100 = 2. 9 [8 8 8] 4 [2 2]... lower: 2nd worst is 2, none below.
		{scores: []int{9, 8, 8, 8, 4, 2, 2}, size: 2, upperRest: 1, upperTied: 3, lowerRest: 2, lowerTied: 2, upperScore: 8, lowerScore: 2},
	}
	for _, tc := range tests {
		var es []entry
		for _, s := range tc.scores {
			es = append(es, entry{score: s})
		}
		g := newGroups(es)
		w := groups{size: tc.size, upperScore: tc.upperScore, upperTied: tc.upperTied, upperRest: tc.upperRest,
			lowerScore: tc.lowerScore, lowerTied: tc.lowerTied, lowerRest: tc.lowerRest}
		if g != w {
			t.Errorf("groups of %v = %+v, want %+v", tc.scores, g, w)
		}
		var all tally
		for _, e := range es {
			all.add(g.member(e.score))
		}
		if u, l := g.upper(all), g.lower(all); u.float() != float64(tc.size) || l.float() != float64(tc.size) {
			t.Errorf("groups of %v hold %v and %v sheets, want %d", tc.scores, u.float(), l.float(), tc.size)
		}
	}
}

func TestFracLess(t *testing.T) {
	tests := []struct {
		a, b frac
		want bool
	}{
		{frac{4, 3}, frac{5, 3}, true},
		{frac{5, 3}, frac{4, 3}, false},
		{frac{2, 4}, frac{1, 2}, false},
		{frac{1, 2}, frac{2, 4}, false},
		{frac{1 << 62, 1<<62 + 1}, frac{1, 1}, true}, // needs 128 bits
		{frac{0, 1}, frac{0, 7}, false},
	}
	for _, tc := range tests {
		if got := tc.a.less(tc.b); got != tc.want {
			t.Errorf("%v < %v = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFlagsHas(t *testing.T) {
	fs := Flags{FlagVoided, FlagFewResponses}
	if !fs.Has(FlagVoided) || fs.Has(FlagNobodyCorrect) || Flags(nil).Has(FlagVoided) {
		t.Error("Flags.Has is wrong")
	}
}
