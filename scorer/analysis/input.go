package analysis

// Item is one multiple-choice item of a part as the key has it.
type Item struct {
	// ID is the item's id, as Sheet.Answers names it.
	ID string
	// Options are the item's option ids, in the key's order.
	Options []string
	// Correct are the options scored correct: the key's, plus any accepted by an amendment.
	Correct []string
	// Voided reports that an amendment voided the item: everyone who had it got its points.
	Voided bool
}

// Sheet is one candidate's sheet of the part.
type Sheet struct {
	// Score is the candidate's points in the part, this item's points included; the upper and
	// lower groups are formed by it.
	Score int
	// Answers maps each item the sheet had to the chosen option id, "" when unanswered. It holds
	// exactly the items the sheet had: drawn parts give each candidate a subset of a pool.
	// Items not in the analysed list are ignored.
	Answers map[string]string
}
