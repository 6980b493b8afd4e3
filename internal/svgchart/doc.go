// Package svgchart renders charts for the commission's console as static SVG made on the
// server: no script, no external references, no fonts loaded, black strokes on light fills so
// that they print. The output is a standalone SVG document that also works inline in HTML5.
package svgchart
