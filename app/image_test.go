package app

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// imageSize is the picture TestQuestionImageMemory measures: a 12-megapixel photograph by
// default; -image-size 6000x6000 measures the largest a bank may carry.
var imageSize = flag.String("image-size", "4000x3000", "the `WxH` of the picture TestQuestionImageMemory measures")

// picture encodes a w×h picture with some detail, as JPEG or PNG.
func picture(t testing.TB, w, h int, asPNG bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: uint8(x ^ y), A: 0xff})
		}
	}
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestQuestionImageIsDecodedAtDisplaySize checks that a question's picture is held in the
// pixels it takes on the screen, at the size the screen gives it, and that a small picture is
// neither enlarged nor resampled.
func TestQuestionImageIsDecodedAtDisplaySize(t *testing.T) {
	test.NewTempApp(t)
	big := picture(t, 3000, 2000, true)
	for _, scale := range []float32{1, 1.5, 2} {
		img := questionImage(big, scale).(*canvas.Image)
		f := min(readableWidth()*0.9/3000, 20*theme.TextSize()/2000, 1)
		size := img.MinSize()
		if want := fyne.NewSize(3000*f, 2000*f); size != want {
			t.Errorf("scale %v: shown at %v, want %v", scale, size, want)
		}
		got := img.Image.Bounds().Size()
		if want := (image.Point{X: int(math.Ceil(float64(size.Width * scale))), Y: int(math.Ceil(float64(size.Height * scale)))}); got != want {
			t.Errorf("scale %v: held at %v pixels, want %v", scale, got, want)
		}
	}
	small := questionImage(picture(t, 120, 80, false), 2).(*canvas.Image)
	if got := small.Image.Bounds().Size(); got != image.Pt(120, 80) || small.MinSize() != fyne.NewSize(120, 80) {
		t.Errorf("a 120×80 picture is held at %v and shown at %v", got, small.MinSize())
	}
	if questionImage([]byte("not a picture"), 1) != nil {
		t.Error("a file that is not a picture gave an image")
	}
}

// TestQuestionImageMemory measures the heap a question's picture keeps while it is on the
// screen: given the file, Fyne keeps it decoded at full size; questionImage keeps the pixels
// shown. go test ./app -run QuestionImageMemory -v [-args -image-size 6000x6000]
func TestQuestionImageMemory(t *testing.T) {
	test.NewTempApp(t)
	var w, h int
	if _, err := fmt.Sscanf(*imageSize, "%dx%d", &w, &h); err != nil {
		t.Fatalf("-image-size %q: %v", *imageSize, err)
	}
	for _, asPNG := range []bool{false, true} {
		data := picture(t, w, h, asPNG)
		size := questionImage(data, 1).MinSize()
		// What the question did before: the file to Fyne, which decodes it once laid out.
		before := liveHeap()
		whole := canvas.NewImageFromResource(fyne.NewStaticResource("picture", data))
		whole.FillMode = canvas.ImageFillContain
		whole.Resize(size)
		withFile := liveHeap() - before
		runtime.KeepAlive(whole)
		whole = nil
		before = liveHeap()
		fittedImage := questionImage(data, 1)
		fitted := liveHeap() - before
		runtime.KeepAlive(fittedImage)
		kind := map[bool]string{false: "JPEG", true: "PNG"}[asPNG]
		pixels := fittedImage.(*canvas.Image).Image.Bounds().Size()
		t.Logf("%s %dx%d (%d KB): held by Fyne from the file %.1f MB; decoded at display size %.1f MB (%dx%d pixels)",
			kind, w, h, len(data)/1024, float64(withFile)/1e6, float64(fitted)/1e6, pixels.X, pixels.Y)
		if fitted > withFile/4 {
			t.Errorf("%s: decoded at display size it keeps %d bytes, from the file %d", kind, fitted, withFile)
		}
	}
}

// liveHeap is the live heap after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
