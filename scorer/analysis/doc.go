// Package analysis computes classical item statistics of a multiple-choice exam part, so that
// the selection commission can spot items that look wrong before the authority issues a key
// correction.
//
// For every item it reports how many sheets had it (Shown), answered it and answered it
// correctly; its difficulty p (the share of Shown answering correctly); its discrimination
// index D (p in the upper group minus p in the lower group); the corrected item–total
// point-biserial correlation; per option how often it was chosen overall and in each group; and
// Flags that name what looks wrong.
//
// # Groups
//
// The upper and lower groups of an item are formed over the sheets that had the item (drawn
// parts give each candidate a subset of a pool), ranked by Sheet.Score. Each group has
// g = max(1, round(0.27·n)) sheets, n the sheets that had the item, rounded half up in integer
// arithmetic: g = max(1, (27·n + 50) / 100). With n < 2 there are no groups (GroupSize 0) and D
// is not available; with n ≥ 2 the two groups never share a sheet unless the sheets are tied.
//
// Ties at a group's boundary are shared, not broken: if the g-th best score is s, every sheet
// scoring more than s is in the upper group with weight 1, and the t sheets scoring exactly s
// share the group's remaining r places with weight r/t each. The lower group is formed the same
// way from the bottom. Group counts are therefore weighted counts: whole numbers unless a tie
// straddles the boundary. The result does not depend on the order of the sheets, and no sheet
// weighs more than 1 over both groups together (when all scores are equal each sheet is in
// both groups with weight g/n, and D is 0). Comparisons of group counts (the sign of D,
// distractor-beats-key) are made in exact integer arithmetic, never on rounded floats.
//
// # Correlation
//
// PointBiserial is the Pearson correlation, over the sheets that had the item, between
// item-correct (1 or 0) and the rest score: Score minus the item's own points, that is minus
// Config.PointsPerItem when the sheet answered correctly, and minus PointsPerItem for every
// sheet when the item is voided (everyone got its point). It is not available when it is
// undefined: fewer than 2 sheets, nobody or everybody correct, or all rest scores equal.
//
// # Statistics that are not defined
//
// No statistic is ever NaN or infinite: a statistic that can be undefined is a Stat, whose
// Valid is false (and Value 0) when it is undefined.
//
// # Voided items
//
// A voided item is analysed against its Correct options as listed, so that the commission sees
// how the item behaved as keyed; it carries FlagVoided besides whatever other flags that
// analysis raises.
package analysis
