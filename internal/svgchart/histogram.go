package svgchart

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"unicode/utf8"
)

// Default and limiting sizes of a chart, in CSS pixels.
const (
	DefaultWidth, DefaultHeight = 640, 240
	MinWidth, MinHeight         = 240, 160
	MaxWidth, MaxHeight         = 4000, 4000
)

// Histogram is a score distribution of one exam part: how many candidates got how many points.
// Every text is already translated by the caller and is XML-escaped when rendered.
type Histogram struct {
	// Title is shown above the chart and is the chart's accessible name (<title>).
	Title string
	// XLabel and YLabel name the axes (points, candidates).
	XLabel, YLabel string
	// PassLabel labels the pass-mark line, e.g. "pass mark 75"; empty shows the number.
	PassLabel string
	// Desc, when set, is the description screen readers get (<desc>); the caller makes it from
	// Summary, e.g. "120 candidates, 48 at or above the pass mark". When empty it is the
	// language-neutral "n = 120; ≥ 75: 48".
	Desc string
	// Empty is shown, and is the description, when there is nothing to chart (Max ≤ 0 or no
	// values), e.g. "no results yet"; when empty it is "n = 0".
	Empty string
	// Max is the most points possible: the x axis runs over 0..Max (see Bins).
	Max int
	// PassMark is the least points that pass. Bins at or above it are filled light grey,
	// bins below it hatched, and a dashed line marks it when 0 < PassMark ≤ Max.
	PassMark int
	// Values are the candidates' points, one per candidate.
	Values []int
	// Width and Height are the chart's size; 0 or less gives DefaultWidth × DefaultHeight,
	// and sizes are kept within MinWidth..MaxWidth and MinHeight..MaxHeight.
	Width, Height int
}

// Layout of the chart: margins around the plot area and font sizes.
const (
	marginLeft, marginRight = 52, 16
	plotTop                 = 52 // below the title row and the pass-label row
	marginBottom            = 40 // x tick labels and the x label
	titleY, passLabelY      = 18, 36
	fontTitle, fontLabel    = 13, 11
	fontTick, fontCount     = 10, 10
	charWidth               = 0.6 // average glyph width of sans-serif, in ems
)

// Fills and strokes: black on white and light grey, so that the chart prints.
const (
	ink        = "#000"
	passFill   = "#d9d9d9"
	gridStroke = "#bbb"
)

// SVG renders the histogram as a standalone SVG document (no XML declaration, so that it can
// also be inlined in HTML5). The same histogram always gives the same bytes.
//
// The chart has the title, a y axis of candidates with a few whole-number ticks and light grid
// lines, an x axis of points labelled per bin (every k-th bin where labels would overlap, always
// including the first bin at the pass mark), one
// bar per non-empty bin with its count above it and its range and count in a <title> tooltip,
// and the dashed pass-mark line with its label. Bars below the pass mark are hatched (a
// <pattern> whose id is derived from the histogram, so identical charts on one page share an
// identical definition), bars at or above it are solid light grey: they differ without colour.
// With nothing to chart (Max ≤ 0 or no values) it has the title, the axes and the Empty text.
func (h Histogram) SVG() []byte {
	w, ht := size(h.Width, DefaultWidth, MinWidth, MaxWidth), size(h.Height, DefaultHeight, MinHeight, MaxHeight)
	c := &canvas{x0: marginLeft, x1: float64(w - marginRight), y0: plotTop, y1: float64(ht - marginBottom)}
	bins := h.Bins()
	empty := len(bins) == 0 || len(h.Values) == 0

	desc := h.Desc
	if empty {
		desc = h.Empty
		if desc == "" {
			desc = "n = 0"
		}
	} else if desc == "" {
		desc = fmt.Sprintf("n = %d; ≥ %d: %d", len(h.Values), h.PassMark, h.Summary().AtOrAbove)
	}

	b := &c.buf
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" font-family="sans-serif">`, w, ht, w, ht)
	b.WriteString("\n")
	c.element("title", "", h.Title)
	c.element("desc", "", desc)
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", w, ht)
	c.element("text", fmt.Sprintf(`x="%s" y="%d" font-size="%d" font-weight="bold"`, num(c.x0), titleY, fontTitle), h.Title)

	if empty {
		c.axes()
		c.axisLabels(h, w, ht)
		c.element("text", fmt.Sprintf(`x="%s" y="%s" font-size="%d" text-anchor="middle"`, num((c.x0+c.x1)/2), num((c.y0+c.y1)/2), fontLabel), desc)
		b.WriteString("</svg>\n")
		return b.Bytes()
	}

	c.points = float64(bins[len(bins)-1].Hi + 1)
	top, step := yScale(bins)
	c.top = float64(top)
	c.yTicks(top, step)
	c.axes()
	anchor := 0
	for i, bin := range bins {
		if bin.Pass {
			anchor = i
			break
		}
	}
	c.xTicks(bins, anchor)
	c.axisLabels(h, w, ht)
	c.bars(bins, patternID(h, w, ht))
	if h.PassMark > 0 && h.PassMark <= bins[len(bins)-1].Hi {
		c.passLine(h)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// size is v kept within lo..hi, or def when v ≤ 0.
func size(v, def, lo, hi int) int {
	if v <= 0 {
		return def
	}
	return max(lo, min(v, hi))
}

// yScale returns the top of the y axis and its tick step: the smallest of 1, 2, 5, 10, … that
// reaches the largest count in at most five steps.
func yScale(bins []Bin) (top, step int) {
	most := 1
	for _, bin := range bins {
		most = max(most, bin.Count)
	}
	for s := range niceSteps(most) {
		step = s
		if (most+s-1)/s <= 5 {
			break
		}
	}
	return (most + step - 1) / step * step, step
}

// patternID names the hatch pattern after the histogram, so that different charts inlined in
// one page never share an id with different content.
func patternID(h Histogram, w, ht int) string {
	f := fnv.New64a()
	for _, s := range []string{h.Title, h.XLabel, h.YLabel, h.PassLabel, h.Desc, h.Empty} {
		binary.Write(f, binary.LittleEndian, int64(len(s)))
		f.Write([]byte(s))
	}
	for _, v := range append([]int{h.Max, h.PassMark, w, ht, len(h.Values)}, h.Values...) {
		binary.Write(f, binary.LittleEndian, int64(v))
	}
	return fmt.Sprintf("svgchart-hatch-%016x", f.Sum64())
}

// textWidth estimates the width of s at the font size.
func textWidth(s string, fontSize float64) float64 {
	return float64(utf8.RuneCountInString(s)) * charWidth * fontSize
}

// num formats a coordinate with at most two decimals.
func num(v float64) string {
	r := math.Round(v*100) / 100
	if r == 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		r = 0 // no "-0"; coordinates are finite, but never write NaN
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// binLabel is "lo" or "lo–hi".
func binLabel(bin Bin) string {
	if bin.Lo == bin.Hi {
		return strconv.Itoa(bin.Lo)
	}
	return strconv.Itoa(bin.Lo) + "–" + strconv.Itoa(bin.Hi)
}
