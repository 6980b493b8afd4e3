//go:build !race

package sheet

// raceEnabled is true when the tests run with the race detector, which makes each Open many
// times slower; the exhaustive tamper tests then try fewer changes at each position.
const raceEnabled = false
