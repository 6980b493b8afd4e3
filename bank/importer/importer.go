// Package importer brings questions from other formats into the native bank source
// (docs/bank-source.md): GIFT, Aiken, Moodle XML and QTI 2.1/2.2, as docs/importing.md
// describes. A parser reads an input into a Result: the questions that map onto the kiosk's
// single-answer multiple choice and written tasks, and every question it skipped with where it
// was and why. NewSource makes a bank source of a Result; Merge joins sources of the same
// questions in different languages; Source.Write writes one that bankctl build reads.
//
// The parsers never panic and bound what they read: inputs larger than the limits below are
// refused, and a QTI package is read with a budget of entries and uncompressed bytes.
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"ispit/bank"
)

// Format is an input format.
type Format string

// The formats the importer reads.
const (
	FormatAuto      Format = "auto" // guess from the content
	FormatGIFT      Format = "gift"
	FormatAiken     Format = "aiken"
	FormatMoodleXML Format = "moodlexml"
	FormatQTI       Format = "qti"
)

// Formats are the formats a user may name, FormatAuto last.
var Formats = []Format{FormatGIFT, FormatAiken, FormatMoodleXML, FormatQTI, FormatAuto}

// Limits on what the importers read.
const (
	MaxTextFile       = 32 << 20  // a GIFT or Aiken file
	MaxXMLFile        = 256 << 20 // a Moodle XML file or a QTI item
	MaxPackage        = 512 << 20 // a QTI content package (zip file)
	MaxPackageEntries = 10000     // files in a QTI content package
	MaxPackageData    = 1 << 30   // uncompressed bytes read from one package in all
	MaxImage          = 8 << 20   // one image (the bank's own limit)
)

// Question is one question read from an input, in one language, reduced to what the kiosk shows.
type Question struct {
	// ID is the identifier the source gives the question (GIFT title, Moodle ID number or
	// name, QTI identifier); empty when it gives none.
	ID string
	// Number is the question's place among the questions of the input, from 1, counting the
	// skipped ones too.
	Number int
	// Name and Where name the question in a report: its title or the start of its text, and
	// where it was ("line 12", "items/q1.xml line 3").
	Name, Where string
	// Category is the category the source files it under (Moodle category path, GIFT
	// $CATEGORY); empty when none.
	Category string
	Kind     bank.ItemKind
	// Text is the stem of a multiple-choice item or the prompt of a written task, in the
	// native text format.
	Text  string
	Image *Image
	// Options and Correct belong to multiple-choice items: the options' texts in the order
	// written and the index of the correct one.
	Options []string
	Correct int
	// Weight is a written task's weight as the source gives it (Moodle default grade, QTI
	// maximum score); 0 when it gives none.
	Weight    float64
	WordLimit int
	// Notes are things about an imported question the author should check.
	Notes []string
}

// Image is an image of a question: a PNG or JPEG file.
type Image struct {
	Name string // a file name for it, with the extension of its format
	Data []byte
}

// Skipped is a question the importer did not bring in.
type Skipped struct {
	Name, Where string
	Reason      string
}

// Result is what a parser read from one input.
type Result struct {
	Format    Format
	Questions []Question
	Skipped   []Skipped
}

// Parse reads an input in format f (FormatAuto guesses it). name is the input's file name, for
// reports; dir holds the files a single QTI item refers to (it may be nil); lang is the
// language of the questions.
func Parse(f Format, name string, data []byte, dir fs.FS, lang string) (*Result, error) {
	if f == FormatAuto || f == "" {
		var err error
		if f, err = Detect(data); err != nil {
			return nil, err
		}
	}
	switch f {
	case FormatGIFT:
		return ParseGIFT(data, lang)
	case FormatAiken:
		return ParseAiken(data)
	case FormatMoodleXML:
		return ParseMoodleXML(data, lang)
	case FormatQTI:
		if isZip(data) {
			return ParseQTIPackage(data, lang)
		}
		return ParseQTIItem(name, data, dir, lang)
	}
	return nil, fmt.Errorf("unknown format %q (use gift, aiken, moodlexml, qti or auto)", f)
}

func isZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// Detect guesses the format of an input from its content.
func Detect(data []byte) (Format, error) {
	if isZip(data) {
		return FormatQTI, nil
	}
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(text)
	if bytes.HasPrefix(trimmed, []byte("<")) {
		root, err := xmlRoot(trimmed)
		if err != nil {
			return "", fmt.Errorf("cannot tell the format: the file starts like XML but %v", err)
		}
		switch root {
		case "quiz":
			return FormatMoodleXML, nil
		case "assessmentItem":
			return FormatQTI, nil
		case "questestinterop":
			return "", errors.New("this is QTI 1.2 (questestinterop), which is not supported: export QTI 2.1 or 2.2")
		case "qti-assessment-item":
			return "", errors.New("this is QTI 3 (qti-assessment-item), which is not supported: export QTI 2.1 or 2.2")
		case "manifest":
			return "", errors.New("this is an IMS manifest: import the whole content package (the zip file)")
		}
		return "", fmt.Errorf("cannot tell the format: XML with root element <%s> is neither Moodle XML nor QTI", root)
	}
	lines := strings.Split(strings.ReplaceAll(string(head(text, 1<<20)), "\r", "\n"), "\n")
	aiken, gift := 0, 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case aikenAnswer.MatchString(l):
			aiken++
		case strings.HasPrefix(l, "//"), strings.HasPrefix(l, "::"), strings.HasPrefix(l, "$CATEGORY:"):
			gift++
		}
		if i := strings.Index(l, "{"); i >= 0 && (i == 0 || l[i-1] != '\\') {
			gift++
		}
	}
	switch {
	case aiken > 0 && gift == 0:
		return FormatAiken, nil
	case gift > 0 && aiken == 0:
		return FormatGIFT, nil
	case aiken > 0:
		return "", errors.New("cannot tell the format: the file has both Aiken ANSWER: lines and GIFT markup; give --format")
	}
	return "", errors.New("cannot tell the format: not a zip, not XML, and neither GIFT nor Aiken markup; give --format")
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// textLines prepares a text file: without a byte order mark, with Windows and old Macintosh
// line ends made Unix ones, and checked to be UTF-8.
func textLines(data []byte, limit int) ([]string, error) {
	if len(data) > limit {
		return nil, fmt.Errorf("the file is %d bytes; at most %d are read", len(data), limit)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if !utf8.ValidString(l) {
			return nil, fmt.Errorf("line %d is not UTF-8: save the file as UTF-8", i+1)
		}
	}
	return lines, nil
}

// prepareImage checks that an image is one the bank can carry.
func prepareImage(name string, data []byte) (*Image, error) {
	label := path.Base(name)
	if strings.HasPrefix(name, "data:") {
		label = "in the text"
	}
	if len(data) > MaxImage {
		return nil, fmt.Errorf("image %s is %d bytes; the kiosk shows images of at most %d", label, len(data), MaxImage)
	}
	bankName, err := bank.ImageName(data)
	if err != nil {
		return nil, fmt.Errorf("image %s: %v (the kiosk shows PNG and JPEG images)", label, err)
	}
	ext := path.Ext(bankName)
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if strings.HasPrefix(name, "data:") || base == "" || base == "." || base == "/" {
		base = "image"
	}
	return &Image{Name: safeFileName(base) + ext, Data: data}, nil
}

// safeFileName makes a name fit for a file of the source: letters, digits, '.', '_' and '-'.
func safeFileName(s string) string {
	s = slug(s, 48, true)
	if s == "" {
		return "image"
	}
	return s
}

// readLimited reads a file of fsys, refusing one larger than limit.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a file", name)
		}
		if info.Size() > limit {
			return nil, fmt.Errorf("%s is %d bytes; at most %d are read", name, info.Size(), limit)
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return data, nil
}

// trueFalse are the words of the options of a true/false question, by language.
var trueFalse = map[string][2]string{
	"bs":      {"Tačno", "Netačno"},
	"hr":      {"Točno", "Netočno"},
	"sr-Latn": {"Tačno", "Netačno"},
	"sr-Cyrl": {"Тачно", "Нетачно"},
	"sq":      {"E vërtetë", "E pavërtetë"},
	"en":      {"True", "False"},
}

// trueFalseWords returns the words for true and false in lang.
func trueFalseWords(lang string) [2]string {
	if w, ok := trueFalse[lang]; ok {
		return w
	}
	return trueFalse["en"]
}
