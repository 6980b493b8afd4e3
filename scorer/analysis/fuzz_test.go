package analysis

import (
	"math"
	"testing"
)

// FuzzAnalyse turns arbitrary bytes into a drawn part (items, sheets, scores, answers, some of
// them naming no option) and checks that Analyse neither panics nor reports NaN, and that its
// invariants hold.
func FuzzAnalyse(f *testing.F) {
	f.Add([]byte{3, 1, 0, 2, 9, 1, 1, 4, 2, 2, 7, 0}, 1, 10)
	f.Add([]byte{}, 0, 0)
	f.Add([]byte{255, 255, 255, 0, 128, 64}, -7, -1)
	f.Fuzz(func(t *testing.T, data []byte, ppi, minShown int) {
		if len(data) == 0 {
			data = []byte{0}
		}
		options := []string{"a", "b", "c", "d", "", "?"}
		items := make([]Item, 1+int(data[0])%5)
		for i := range items {
			items[i] = Item{ID: string(rune('A' + i)), Options: options[:2+i%3], Correct: []string{options[i%4]}, Voided: i == 3}
		}
		var sheets []Sheet
		for i := 1; i+1 < len(data); i += 2 {
			s := Sheet{Score: int(int8(data[i])) * (1 + int(data[i+1])%3), Answers: map[string]string{}}
			for j, it := range items {
				if data[i+1]>>j&1 == 1 {
					s.Answers[it.ID] = options[(int(data[i])+j)%len(options)]
				}
			}
			if data[i] == 255 {
				s.Score = math.MinInt
			}
			sheets = append(sheets, s)
		}
		got := Config{PointsPerItem: ppi, MinShown: minShown}.Analyse(items, sheets)
		if len(got) != len(items) {
			t.Fatalf("%d results for %d items", len(got), len(items))
		}
		for i, r := range got {
			checkInvariants(t, items[i], r)
		}
	})
}
