package svgchart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// canvas writes the elements of one chart. The plot area is x0..x1 by y0..y1 (y grows down);
// the x axis spans points whole points, the y axis 0..top candidates.
type canvas struct {
	buf            bytes.Buffer
	x0, x1, y0, y1 float64
	points, top    float64
}

// x is the position of a point value on the x axis.
func (c *canvas) x(points float64) float64 { return c.x0 + (c.x1-c.x0)*points/c.points }

// y is the position of a count on the y axis.
func (c *canvas) y(count float64) float64 { return c.y1 - (c.y1-c.y0)*count/c.top }

// element writes <name attrs>text</name>, the text XML-escaped (invalid UTF-8 and characters
// XML forbids become U+FFFD).
func (c *canvas) element(name, attrs, text string) {
	c.buf.WriteString("<" + name)
	if attrs != "" {
		c.buf.WriteString(" " + attrs)
	}
	c.buf.WriteString(">")
	xml.EscapeText(&c.buf, []byte(text))
	c.buf.WriteString("</" + name + ">\n")
}

// axes draws the x and y axis lines.
func (c *canvas) axes() {
	fmt.Fprintf(&c.buf, `<path class="axes" d="M%s %sV%sH%s" fill="none" stroke="%s" stroke-width="1"/>`+"\n",
		num(c.x0), num(c.y0), num(c.y1), num(c.x1), ink)
}

// axisLabels writes the x label under the axis and the y label turned along it.
func (c *canvas) axisLabels(h Histogram, w, ht int) {
	c.element("text", fmt.Sprintf(`x="%s" y="%d" font-size="%d" text-anchor="middle"`, num((c.x0+c.x1)/2), ht-8, fontLabel), h.XLabel)
	c.element("text", fmt.Sprintf(`transform="rotate(-90)" x="%s" y="12" font-size="%d" text-anchor="middle"`, num(-(c.y0+c.y1)/2), fontLabel), h.YLabel)
}

// yTicks draws the y ticks 0, step, …, top with grid lines and labels.
func (c *canvas) yTicks(top, step int) {
	c.buf.WriteString(`<g class="y-ticks" font-size="` + strconv.Itoa(fontTick) + `" text-anchor="end">` + "\n")
	for v := 0; v <= top; v += step {
		y := num(c.y(float64(v)))
		if v > 0 {
			fmt.Fprintf(&c.buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="0.5"/>`+"\n", num(c.x0), y, num(c.x1), y, gridStroke)
		}
		fmt.Fprintf(&c.buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`+"\n", num(c.x0-4), y, num(c.x0), y, ink)
		c.element("text", fmt.Sprintf(`x="%s" y="%s"`, num(c.x0-6), num(c.y(float64(v))+3.5)), strconv.Itoa(v))
	}
	c.buf.WriteString("</g>\n")
}

// xTicks labels bins under their middles: every k-th bin, k the smallest that keeps the
// labels from overlapping, counted from the bin at index anchor (the first bin at the pass
// mark) so that it is labelled.
func (c *canvas) xTicks(bins []Bin, anchor int) {
	c.buf.WriteString(`<g class="x-ticks" font-size="` + strconv.Itoa(fontTick) + `" text-anchor="middle">` + "\n")
	mid := func(bin Bin) float64 { return (c.x(float64(bin.Lo)) + c.x(float64(bin.Hi+1))) / 2 }
	half := func(bin Bin) float64 { return textWidth(binLabel(bin), fontTick) / 2 }
	k := 1
	for ; k < len(bins); k++ {
		fits := true
		for i := anchor%k + k; i < len(bins) && fits; i += k {
			fits = mid(bins[i-k])+half(bins[i-k])+4 <= mid(bins[i])-half(bins[i])
		}
		if fits {
			break
		}
	}
	for i := anchor % k; i < len(bins); i += k {
		c.element("text", fmt.Sprintf(`x="%s" y="%s"`, num(mid(bins[i])), num(c.y1+14)), binLabel(bins[i]))
	}
	c.buf.WriteString("</g>\n")
}

// bars draws one bar per non-empty bin with its count above it: hatched below the pass mark,
// light grey at or above it.
func (c *canvas) bars(bins []Bin, hatch string) {
	below := false
	for _, bin := range bins {
		below = below || !bin.Pass && bin.Count > 0
	}
	if below {
		fmt.Fprintf(&c.buf, `<defs><pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
			`<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="1.2"/></pattern></defs>`+"\n", hatch, ink)
	}
	c.buf.WriteString(`<g class="bars" stroke="` + ink + `" stroke-width="1">` + "\n")
	for _, bin := range bins {
		if bin.Count == 0 {
			continue
		}
		left, right := c.x(float64(bin.Lo)), c.x(float64(bin.Hi+1))
		if right-left > 4 {
			left, right = left+1, right-1 // a gap between neighbouring bars
		}
		top := c.y(float64(bin.Count))
		class, fill := "bar pass", passFill
		if !bin.Pass {
			class, fill = "bar below", "url(#"+hatch+")"
		}
		fmt.Fprintf(&c.buf, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s">`,
			class, num(left), num(top), num(right-left), num(c.y1-top), fill)
		c.element("title", "", fmt.Sprintf("%s: %d", binLabel(bin), bin.Count))
		c.buf.WriteString("</rect>\n")
	}
	c.buf.WriteString("</g>\n")
	c.buf.WriteString(`<g class="counts" text-anchor="middle">` + "\n")
	for _, bin := range bins {
		if bin.Count == 0 {
			continue
		}
		label := strconv.Itoa(bin.Count)
		width := c.x(float64(bin.Hi+1)) - c.x(float64(bin.Lo))
		font := float64(fontCount)
		if w := textWidth(label, font); w > width+2 {
			font = max(6, font*(width+2)/w) // shrink a wide count over a narrow bar
		}
		c.element("text", fmt.Sprintf(`class="count" x="%s" y="%s" font-size="%s"`,
			num((c.x(float64(bin.Lo))+c.x(float64(bin.Hi+1)))/2), num(c.y(float64(bin.Count))-3), num(font)), label)
	}
	c.buf.WriteString("</g>\n")
}

// passLine draws the dashed vertical pass-mark line from the label row to the x axis, and its
// label beside it (to its left when the line is in the right part of the plot).
func (c *canvas) passLine(h Histogram) {
	x := c.x(float64(h.PassMark))
	fmt.Fprintf(&c.buf, `<line class="pass-mark" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="6 3"/>`+"\n",
		num(x), num(c.y0-14), num(x), num(c.y1), ink)
	label := h.PassLabel
	if label == "" {
		label = strconv.Itoa(h.PassMark)
	}
	anchor, lx := "start", x+4
	if x > c.x0+(c.x1-c.x0)*0.6 {
		anchor, lx = "end", x-4
	}
	c.element("text", fmt.Sprintf(`class="pass-label" x="%s" y="%d" font-size="%d" text-anchor="%s"`, num(lx), passLabelY, fontLabel, anchor), label)
}
