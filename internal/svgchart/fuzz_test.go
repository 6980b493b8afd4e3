package svgchart

import (
	"encoding/binary"
	"testing"
)

// FuzzHistogram renders histograms of random Max, PassMark, size, values and labels, and
// checks that SVG never panics and always gives a well-formed chart with at most one bar per
// bin whose counts add up to the number of values.
func FuzzHistogram(f *testing.F) {
	f.Add("Javni ispit", "Bodovi", "Кандидати", "prolaz 11", "", 21, 11, 0, 0, []byte{1, 0, 5, 0, 11, 0, 21, 0})
	f.Add("</svg><script>", "&", "\"'", "<", "\xff", 100, 70, 300, 100, []byte{0xff, 0xff, 0x40, 0, 100, 0})
	f.Add("", "", "", "", "", 0, 0, -1, -1, []byte{})
	f.Add("x", "y", "z", "p", "e", -3, 1<<40, 1<<40, 1, []byte{7})
	f.Fuzz(func(t *testing.T, title, xLabel, yLabel, passLabel, empty string, max, pass, width, height int, raw []byte) {
		var values []int
		for i := 0; i+1 < len(raw); i += 2 {
			values = append(values, int(int16(binary.LittleEndian.Uint16(raw[i:]))))
		}
		h := Histogram{Title: title, XLabel: xLabel, YLabel: yLabel, PassLabel: passLabel, Empty: empty,
			Max: max, PassMark: pass, Values: values, Width: width, Height: height}
		root := parse(t, h.SVG())
		bins := h.Bins()
		if len(bins) > MaxBins {
			t.Fatalf("%d bins", len(bins))
		}
		total := 0
		for _, b := range bins {
			total += b.Count
		}
		if len(bins) > 0 && total != len(values) {
			t.Fatalf("bins hold %d of %d values", total, len(values))
		}
		if n := len(root.all(classed("bar"))); n > len(bins) {
			t.Fatalf("%d bars for %d bins", n, len(bins))
		}
	})
}
