package analysis

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchmarkPart is a drawn part: a pool of 60 items of four options, 10,000 sheets of 21 items
// each, answered by candidates of varied ability; scores follow the key.
func benchmarkPart() ([]Item, []Sheet) {
	rng := rand.New(rand.NewPCG(7, 11))
	items := make([]Item, 60)
	for i := range items {
		items[i] = Item{ID: fmt.Sprintf("pool-%02d", i), Options: []string{"a", "b", "c", "d"}, Correct: []string{"b"}}
	}
	sheets := make([]Sheet, 10_000)
	for i := range sheets {
		ability := rng.Float64()
		s := Sheet{Answers: make(map[string]string, 21)}
		for _, k := range rng.Perm(60)[:21] {
			switch r := rng.Float64(); {
			case r < 0.05:
				s.Answers[items[k].ID] = ""
			case r < 0.25+0.7*ability:
				s.Answers[items[k].ID] = "b"
				s.Score++
			default:
				s.Answers[items[k].ID] = []string{"a", "c", "d"}[rng.IntN(3)]
			}
		}
		sheets[i] = s
	}
	return items, sheets
}

func BenchmarkAnalyse(b *testing.B) {
	items, sheets := benchmarkPart()
	b.ReportAllocs()
	for b.Loop() {
		Analyse(items, sheets, 1)
	}
}
