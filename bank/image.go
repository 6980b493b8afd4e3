package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // images in banks are PNG or JPEG
	_ "image/png"
	"strings"
)

// maxImageSize bounds one image file; maxImagePixels bounds its decoded size.
const (
	maxImageSize   = 8 << 20
	maxImagePixels = 6000 * 6000
)

// ImageName is the payload name of an image: its SHA-256 and its format, so that the same
// picture used by many items is carried once.
func ImageName(data []byte) (string, error) {
	format, err := imageFormat(data)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return "images/" + hex.EncodeToString(sum[:]) + "." + format, nil
}

func imageFormat(data []byte) (string, error) {
	if len(data) > maxImageSize {
		return "", fmt.Errorf("image is %d bytes; at most %d are allowed", len(data), maxImageSize)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return "", errors.New("not a PNG or JPEG image")
	}
	if err != nil {
		return "", fmt.Errorf("not a readable %s image: %v", strings.ToUpper(format), err)
	}
	if format == "jpeg" {
		format = "jpg"
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return "", fmt.Errorf("image is %d×%d pixels; at most %d pixels are allowed", cfg.Width, cfg.Height, maxImagePixels)
	}
	return format, nil
}

// checkImage checks that an image carried in a payload is what its name says.
func checkImage(name string, data []byte) error {
	want, err := ImageName(data)
	if err != nil {
		return fmt.Errorf("image %s: %v", name, err)
	}
	if want != name {
		return fmt.Errorf("image %s: its name does not match its content (%s)", name, want)
	}
	return nil
}
