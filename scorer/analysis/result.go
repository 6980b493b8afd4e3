package analysis

import "math"

// Stat is a statistic that may be undefined. When it is, Valid is false and Value is 0; Value is
// never NaN or infinite.
type Stat struct {
	Value float64
	Valid bool
}

// stat returns a valid Stat of v, or an invalid one when v is NaN or infinite.
func stat(v float64) Stat {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Stat{}
	}
	return Stat{Value: v, Valid: true}
}

// Result is the analysis of one item.
type Result struct {
	// ID is the item's id.
	ID string
	// Shown is the number of sheets that had the item.
	Shown int
	// Answered is the number of those sheets with a non-empty answer, whether or not it names
	// an option of the item.
	Answered int
	// Unanswered is Shown − Answered.
	Unanswered int
	// Correct is the number of sheets whose answer is one of the item's Correct options.
	Correct int
	// Other is the number of answers that name no option of the item (invalid answers). They
	// count as answered, and as correct only if Correct lists them.
	Other int
	// Difficulty is p = Correct / Shown; not valid when Shown is 0.
	Difficulty Stat
	// GroupSize is the size g of the upper and of the lower group (see the package
	// documentation); 0 when Shown < 2.
	GroupSize int
	// UpperCorrect and LowerCorrect are the weighted numbers of the upper and lower group that
	// answered correctly.
	UpperCorrect, LowerCorrect float64
	// Discrimination is D = (UpperCorrect − LowerCorrect) / GroupSize; valid when Shown ≥ 2.
	Discrimination Stat
	// PointBiserial is the corrected item–total correlation (see the package documentation).
	PointBiserial Stat
	// Options are the item's options, in the key's order.
	Options []OptionResult
	// Flags name what looks wrong with the item, in the order the Flag constants are declared.
	Flags Flags
}

// OptionResult is how one option of an item was chosen.
type OptionResult struct {
	// ID is the option's id.
	ID string
	// Correct reports that the option is one of the item's Correct options.
	Correct bool
	// Chosen is the number of sheets that chose the option.
	Chosen int
	// Share is Chosen / Shown; not valid when Shown is 0.
	Share Stat
	// Upper and Lower are the weighted numbers of the upper and lower group that chose it.
	Upper, Lower float64
}
