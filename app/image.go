package app

import (
	"bytes"
	"image"
	_ "image/jpeg" // bank images are PNG or JPEG
	_ "image/png"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/draw"
)

// questionImage is a bank image as a question shows it: no larger than its own pixels in the
// kiosk's units, at most nine tenths of the reading width wide and twenty lines of text high.
// It is decoded here once and scaled down to the pixels it takes on the screen (the canvas's
// scale times its size), so that the screen holds the picture at the size it is shown: given
// the file, Fyne would keep it decoded at full size as long as the question is on the screen,
// 144 MB for a picture of the 36 megapixels a bank may carry (docs/kiosk.md, Memory). Nil if
// the picture does not decode.
func questionImage(data []byte, canvasScale float32) fyne.CanvasObject {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	b := src.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil
	}
	w, h := float32(b.Dx()), float32(b.Dy())
	scale := min(readableWidth()*0.9/w, 20*theme.TextSize()/h, 1)
	size := fyne.NewSize(w*scale, h*scale)
	pw := min(b.Dx(), int(math.Ceil(float64(size.Width*max(canvasScale, 1)))))
	ph := min(b.Dy(), int(math.Ceil(float64(size.Height*max(canvasScale, 1)))))
	if pw < b.Dx() || ph < b.Dy() {
		dst := image.NewNRGBA(image.Rect(0, 0, max(pw, 1), max(ph, 1)))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		src = dst
	}
	img := canvas.NewImageFromImage(src)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(size)
	return img
}
