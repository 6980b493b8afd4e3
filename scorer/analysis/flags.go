package analysis

import "slices"

// Flag names one reason the commission should look at an item.
type Flag string

// The flags, in the order a Result lists them. MinShown is Config.MinShown (DefaultMinShown
// unless set).
const (
	// FlagNegativeDiscrimination: Shown ≥ MinShown, and D < 0 or the point-biserial
	// correlation < 0 (each only when valid). The weaker candidates did better on the item than
	// the stronger ones: a wrong key or a misleading stem.
	FlagNegativeDiscrimination Flag = "negative-discrimination"
	// FlagDistractorBeatsKey: some option not in Correct was chosen by more of the upper group
	// (weighted count, compared exactly) than the correct option the upper group chose most
	// (0 when the item lists no correct option among its Options). Needs a group (Shown ≥ 2);
	// it does not wait for MinShown. The classic sign of a wrong key.
	FlagDistractorBeatsKey Flag = "distractor-beats-key"
	// FlagNobodyCorrect: Shown > 0 and Correct == 0.
	FlagNobodyCorrect Flag = "nobody-correct"
	// FlagEverybodyCorrect: Shown > 0 and Correct == Shown.
	FlagEverybodyCorrect Flag = "everybody-correct"
	// FlagFewResponses: Shown < MinShown (Shown 0 included): D and the correlation are not
	// reliable, though still reported where defined.
	FlagFewResponses Flag = "few-responses"
	// FlagVoided: the item is voided by an amendment.
	FlagVoided Flag = "voided"
)

// Flags is the set of flags of an item.
type Flags []Flag

// Has reports whether f is among fs.
func (fs Flags) Has(f Flag) bool { return slices.Contains(fs, f) }
