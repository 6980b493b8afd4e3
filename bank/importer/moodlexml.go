package importer

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"

	"ispit/bank"
)

// Moodle XML is Moodle's own export (docs.moodle.org/en/Moodle_XML_format): <quiz> holding
// <question type="…"> elements; a question of type "category" sets the category of those
// after it. Texts carry a format attribute (html, moodle_auto_format, plain_text, markdown)
// and their images as base64 <file> elements, referred to as @@PLUGINFILE@@/name.

type mxText struct {
	Format string   `xml:"format,attr"`
	Text   string   `xml:"text"`
	Files  []mxFile `xml:"file"`
}

type mxFile struct {
	Name     string `xml:"name,attr"`
	Path     string `xml:"path,attr"`
	Encoding string `xml:"encoding,attr"`
	Data     string `xml:",chardata"`
}

type mxAnswer struct {
	Fraction string   `xml:"fraction,attr"`
	Format   string   `xml:"format,attr"`
	Text     string   `xml:"text"`
	Files    []mxFile `xml:"file"`
}

type mxCategory struct {
	Text     string `xml:"text"`
	CharData string `xml:",chardata"`
}

type mxQuestion struct {
	Type                string     `xml:"type,attr"`
	Category            mxCategory `xml:"category"`
	Name                mxText     `xml:"name"`
	QuestionText        mxText     `xml:"questiontext"`
	DefaultGrade        string     `xml:"defaultgrade"`
	Hidden              string     `xml:"hidden"`
	IDNumber            string     `xml:"idnumber"`
	Single              string     `xml:"single"`
	Shuffle             string     `xml:"shuffleanswers"`
	Answers             []mxAnswer `xml:"answer"`
	ResponseFormat      string     `xml:"responseformat"`
	MaxWordLimit        string     `xml:"maxwordlimit"`
	Attachments         string     `xml:"attachments"`
	AttachmentsRequired string     `xml:"attachmentsrequired"`
	// Moodle 1.9 kept a question's image beside its text.
	Image       string `xml:"image"`
	ImageBase64 string `xml:"image_base64"`
}

// moodleFormats maps the format attribute of a text.
var moodleFormats = map[string]textFormat{
	"html": formatHTML, "": formatHTML, "moodle_auto_format": formatAuto, "plain_text": formatPlain,
	"markdown": formatMarkdown,
}

// moodleSkipped says why a Moodle question type does not map.
var moodleSkipped = map[string]string{
	"shortanswer": whyShortAnswer, "numerical": whyNumeric, "match": whyMatching,
	"randomsamatch": whyMatching, "multianswer": whyCloze, "ddwtos": whyDragDrop,
	"ddimageortext": whyDragDrop, "ddmarker": whyDragDrop, "gapselect": whyCloze,
	"calculated": whyCalculated, "calculatedsimple": whyCalculated, "calculatedmulti": whyCalculated,
	"description": whyDescription, "random": whyRandom, "ordering": whyOrdering,
}

// newXMLDecoder reads XML leniently where that is safe: HTML's named entities, and the
// character sets a declaration names.
func newXMLDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// xmlError says where an XML file is broken.
func xmlError(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if se.Msg == "unexpected EOF" {
			return fmt.Errorf("line %d: the XML ends too soon", se.Line)
		}
		return fmt.Errorf("line %d: the XML is broken: %s", se.Line, se.Msg)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		line, _ := d.InputPos()
		return fmt.Errorf("line %d: the XML ends too soon", line)
	}
	line, _ := d.InputPos()
	return fmt.Errorf("line %d: %v", line, err)
}

// xmlRoot returns the local name of the root element of an XML document.
func xmlRoot(data []byte) (string, error) {
	d := newXMLDecoder(data)
	for {
		tok, err := d.Token()
		if err != nil {
			return "", xmlError(d, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
}

// ParseMoodleXML reads a Moodle XML file. lang is the language of the questions, for the
// options of a true/false question.
func ParseMoodleXML(data []byte, lang string) (*Result, error) {
	if len(data) > MaxXMLFile {
		return nil, fmt.Errorf("the file is %d bytes; at most %d are read", len(data), MaxXMLFile)
	}
	d := newXMLDecoder(data)
	res := &Result{Format: FormatMoodleXML}
	started, category, number := false, "", 0
	for {
		tok, err := d.Token()
		if err == io.EOF && !started {
			return nil, errors.New("not a Moodle XML file: it holds no <quiz> element")
		}
		if err != nil {
			return nil, xmlError(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !started && t.Name.Local != "quiz":
				return nil, fmt.Errorf("not a Moodle XML file: the root element is <%s>, not <quiz>", t.Name.Local)
			case !started:
				started = true
			case t.Name.Local == "question":
				line, _ := d.InputPos()
				var q mxQuestion
				if err := d.DecodeElement(&q, &t); err != nil {
					return nil, xmlError(d, err)
				}
				if q.Type == "category" {
					category = strings.TrimSpace(q.Category.Text)
					if category == "" {
						category = strings.TrimSpace(q.Category.CharData)
					}
					continue
				}
				number++
				moodleQuestion(res, &q, number, fmt.Sprintf("line %d (question %d)", line, number), category, lang)
			default:
				if err := d.Skip(); err != nil {
					return nil, xmlError(d, err)
				}
			}
		case xml.EndElement:
			// Everything inside <quiz> is read whole: this is </quiz>.
			return res, nil
		}
	}
}

func moodleQuestion(res *Result, q *mxQuestion, number int, where, category, lang string) {
	b := &builder{q: Question{Number: number, Where: where, Category: category, Correct: -1}}
	b.q.Name = strings.Join(strings.Fields(q.Name.Text), " ")
	b.q.ID = strings.TrimSpace(q.IDNumber)
	if b.q.ID == "" {
		b.q.ID = b.q.Name
	}
	if b.q.Name == "" {
		b.q.Name = plainExcerpt(q.QuestionText.Text, 50)
	}
	kind := q.Type
	if why, ok := moodleSkipped[kind]; ok {
		res.skip(b.q.Name, where, "%s", why)
		return
	}
	if kind != "multichoice" && kind != "truefalse" && kind != "essay" {
		res.skip(b.q.Name, where, "question type %q: the kiosk has single-answer multiple choice and written tasks only", kind)
		return
	}
	format, ok := moodleFormats[q.QuestionText.Format]
	if !ok {
		b.fail("the question's text has format %q, which is not html, moodle_auto_format, plain_text or markdown", q.QuestionText.Format)
	}
	b.resolve = moodleFiles(q.QuestionText.Files)
	b.setText(q.QuestionText.Text, format)
	if q.Image != "" || q.ImageBase64 != "" {
		if q.ImageBase64 == "" {
			b.fail("image %s is not carried in the file", shortName(q.Image))
		} else {
			b.resolve = moodleFiles([]mxFile{{Name: path.Base(q.Image), Encoding: "base64", Data: q.ImageBase64}})
			b.image("@@PLUGINFILE@@/" + url.PathEscape(path.Base(q.Image)))
		}
	}
	if truthy(q.Hidden) {
		b.note("the question was hidden in Moodle")
	}
	switch kind {
	case "essay":
		b.q.Kind = bank.ItemWritten
		if w, err := strconv.ParseFloat(strings.TrimSpace(q.DefaultGrade), 64); err == nil && w > 0 && !math.IsInf(w, 0) {
			b.q.Weight = w
		}
		if n, err := strconv.Atoi(strings.TrimSpace(q.MaxWordLimit)); err == nil && n > 0 {
			b.q.WordLimit = n
		}
		switch {
		case q.ResponseFormat == "noinline":
			b.fail(whyUpload)
		case positive(q.AttachmentsRequired):
			b.fail("it requires an attached file: the kiosk takes typed answers only")
		case positive(q.Attachments) || q.Attachments == "-1":
			b.note("it allowed attached files; the kiosk takes the typed answer only")
		}
	case "truefalse":
		b.q.Kind = bank.ItemChoice
		words := trueFalseWords(lang)
		b.q.Options = []string{words[0], words[1]}
		for i, a := range q.Answers {
			w, ok := fraction(a.Fraction)
			if !ok || w != 100 {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(a.Text)) {
			case "true":
				b.q.Correct = 0
			case "false":
				b.q.Correct = 1
			default:
				b.q.Correct = min(i, 1)
			}
		}
	case "multichoice":
		b.q.Kind = bank.ItemChoice
		if q.Single != "" && !truthy(q.Single) {
			b.fail(whyMultipleResponse)
			break
		}
		if q.Shuffle != "" && !truthy(q.Shuffle) {
			b.note("Moodle kept its options in a fixed order; the kiosk shuffles them: check that no option depends on its place")
		}
		right, partial := 0, false
		for i, a := range q.Answers {
			w, ok := fraction(a.Fraction)
			switch {
			case !ok:
				b.fail("answer %s has fraction %q, which is not a number", optionLetter(i), a.Fraction)
			case w == 100:
				right++
				b.q.Correct = i
			case w != 0:
				partial = true
			}
			f, ok := moodleFormats[a.Format]
			if !ok {
				f = formatHTML
			}
			saved := b.resolve
			b.resolve = moodleFiles(a.Files)
			b.addOption(a.Text, f)
			b.resolve = saved
		}
		switch {
		case partial:
			b.fail(whyPartialCredit)
		case right == 0:
			b.fail(whyNoCorrect)
		case right > 1:
			b.fail(whyMultipleResponse)
		}
	}
	b.finish(res)
}

// fraction reads an answer's fraction, a percentage.
func fraction(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if math.Abs(f-100) < 1e-4 {
		return 100, true
	}
	if math.Abs(f) < 1e-4 {
		return 0, true
	}
	return f, true
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

func positive(s string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil && n > 0
}

// moodleFiles resolves @@PLUGINFILE@@ addresses to the base64 files of a text.
func moodleFiles(files []mxFile) func(string) (*Image, error) {
	return func(src string) (*Image, error) {
		rest, ok := strings.CutPrefix(src, "@@PLUGINFILE@@")
		if !ok {
			if strings.Contains(src, "://") {
				return nil, fmt.Errorf("image %s is on the web, not carried in the file", shortName(src))
			}
			return nil, fmt.Errorf("image %s is not carried in the file", shortName(src))
		}
		rest, _, _ = strings.Cut(rest, "?")
		if u, err := url.PathUnescape(rest); err == nil {
			rest = u
		}
		dir, name := path.Split(rest)
		if dir == "" {
			dir = "/"
		}
		for _, f := range files {
			p := f.Path
			if p == "" {
				p = "/"
			}
			if f.Name != name || p != dir {
				continue
			}
			if f.Encoding != "" && f.Encoding != "base64" {
				return nil, fmt.Errorf("image %s has encoding %q, not base64", shortName(name), f.Encoding)
			}
			data := strings.Map(func(c rune) rune {
				if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
					return -1
				}
				return c
			}, f.Data)
			if len(data) > MaxImage/3*4+8 {
				return nil, fmt.Errorf("image %s is larger than %d bytes", shortName(name), MaxImage)
			}
			raw, err := base64.StdEncoding.DecodeString(data)
			if err != nil {
				return nil, fmt.Errorf("image %s is not valid base64", shortName(name))
			}
			return prepareImage(name, raw)
		}
		return nil, fmt.Errorf("image %s is not carried in the file", shortName(name))
	}
}
