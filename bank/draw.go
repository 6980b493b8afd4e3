package bank

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
)

// Drawing is reproducible: the same bank, part and seed give the same items in the same order
// on every machine and every Go release. The generator is ChaCha8 (C2SP chacha8rand, stable by
// specification) keyed by SHA-256 of a label, the part id and the seed; bounded numbers are
// taken by rejection, so they are uniform.

// Draw returns the ids of the items a candidate with this seed gets in the part, in the order
// they are shown. A part that lists its items gives them as listed. A drawn part takes its
// quota from each topic (topics in alphabetical order, items in pool order, a partial
// Fisher–Yates shuffle), then shuffles the drawn items together.
func (b *Bank) Draw(partID string, seed []byte) ([]string, error) {
	p, ok := b.Manifest.Part(partID)
	if !ok {
		return nil, fmt.Errorf("bank %s has no part %q", b.Manifest.BankID, partID)
	}
	if p.Draw == nil {
		return append([]string(nil), p.Items...), nil
	}
	rng := NewSeededRand("ispit-draw-v1", p.ID, seed)
	topics := make([]string, 0, len(p.Draw.Quota))
	for t := range p.Draw.Quota {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	drawn := make([]string, 0, p.Count)
	for _, topic := range topics {
		var candidates []string
		for _, id := range p.Draw.Pool {
			if b.items[id].Topic == topic {
				candidates = append(candidates, id)
			}
		}
		n := p.Draw.Quota[topic]
		for i := range n {
			j := i + rng.IntN(len(candidates)-i)
			candidates[i], candidates[j] = candidates[j], candidates[i]
		}
		drawn = append(drawn, candidates[:n]...)
	}
	rng.Shuffle(drawn)
	return drawn, nil
}

// SeededRand is a reproducible random sequence derived from a label and some inputs.
type SeededRand struct{ src *rand.ChaCha8 }

// NewSeededRand returns the sequence for label and inputs; each input is length-prefixed, so
// no two different input lists give the same sequence.
func NewSeededRand(label string, part string, seed []byte) *SeededRand {
	h := sha256.New()
	for _, b := range [][]byte{[]byte(label), []byte(part), seed} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	return &SeededRand{rand.NewChaCha8(key)}
}

// IntN returns a uniform number in [0, n); n must be positive.
func (r *SeededRand) IntN(n int) int {
	bound := uint64(n)
	limit := -bound % bound // 2^64 mod n: values below it would make the result uneven
	for {
		if x := r.src.Uint64(); x >= limit {
			return int(x % bound)
		}
	}
}

// Shuffle puts ids in a uniformly random order (Fisher–Yates, from the end).
func (r *SeededRand) Shuffle(ids []string) {
	for i := len(ids) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		ids[i], ids[j] = ids[j], ids[i]
	}
}
