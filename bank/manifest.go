package bank

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Format versions. A reader refuses any other version with ErrUnsupportedFormat.
const (
	ManifestFormat  = "ispit-bank/1"
	PayloadFormat   = "ispit-items/1"
	AnswerKeyFormat = "ispit-answers/2"
	// AnswerKeyFormat1 is the answer key before grading guides, model answers and interview
	// competences; readers still accept it, without them.
	AnswerKeyFormat1 = "ispit-answers/1"
	AmendmentFormat  = "ispit-amendment/1"
)

// SSHSIG namespaces: each kind of signed document has its own, so that a signature made for
// one can never pass for another.
const (
	NamespaceBank    = "bank-manifest@ispit"
	NamespaceAnswers = "answer-key@ispit"
	NamespaceRoster  = "roster@ispit"
	// NamespaceAmendment signs answer key amendments (amendment.json).
	NamespaceAmendment = "answer-amendment@ispit"
)

// Manifest is the cleartext, signed description of a bank: everything an administrator may
// see before the start code is released, and the digest that binds the encrypted payload.
type Manifest struct {
	Format     string      `json:"format"`
	BankID     string      `json:"bank_id"`
	CreatedAt  time.Time   `json:"created_at"`
	Title      Text        `json:"title"`
	Languages  []string    `json:"languages"`
	ValidFrom  time.Time   `json:"valid_from"`
	ValidUntil time.Time   `json:"valid_until"`
	Authority  string      `json:"authority"` // SHA256 fingerprint of the signing key, as ssh-keygen -l prints it
	Payload    PayloadInfo `json:"payload"`
	Positions  []Position  `json:"positions"`
	Parts      []Part      `json:"parts"`
}

// PayloadInfo binds the encrypted payload to the manifest.
type PayloadInfo struct {
	SHA256 string `json:"sha256"` // lower-case hex digest of payload.age
	Size   int64  `json:"size"`   // bytes of payload.age
	Items  int    `json:"items"`
	Images int    `json:"images"`
}

// Part returns the part with the given id.
func (m *Manifest) Part(id string) (*Part, bool) {
	for i := range m.Parts {
		if m.Parts[i].ID == id {
			return &m.Parts[i], true
		}
	}
	return nil, false
}

// PartsFor returns the parts candidates for a position sit.
func (m *Manifest) PartsFor(positionCode string) []*Part {
	var parts []*Part
	for i := range m.Parts {
		if m.Parts[i].AppliesTo(positionCode) {
			parts = append(parts, &m.Parts[i])
		}
	}
	return parts
}

// Errors of the bank, answer key and roster readers; each is wrapped with the details.
var (
	ErrMalformed         = errors.New("malformed")
	ErrUnsupportedFormat = errors.New("unsupported format version")
)

// maxDocumentSize bounds a manifest, an item list, an answer key or a roster.
const maxDocumentSize = 64 << 20

func encodeJSON(v any) []byte {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic("bank: encoding " + fmt.Sprintf("%T", v) + ": " + err.Error())
	}
	return append(data, '\n')
}

// document is a JSON document that names its format version.
type document interface{ formatVersion() string }

func (m *Manifest) formatVersion() string  { return m.Format }
func (k *AnswerKey) formatVersion() string { return k.Format }

// decodeStrict decodes one JSON document of the given format version into v, refusing unknown
// fields, trailing data and other format versions.
func decodeStrict(data []byte, format, what string, v document) error {
	return decodeStrictVersions(data, []string{format}, what, v)
}

// decodeStrictVersions is decodeStrict for a document that may be in any of several format
// versions; v must hold the fields of all of them.
func decodeStrictVersions(data []byte, formats []string, what string, v document) error {
	reads := make([]string, len(formats))
	for i, f := range formats {
		reads[i] = strconv.Quote(f)
	}
	readable := strings.Join(reads, " or ")
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, end := dec.Token(); end != io.EOF {
			err = errors.New("data after the end")
		}
	}
	if err != nil {
		// A document of another version fails for that reason first, whatever else is wrong.
		var head struct {
			Format string `json:"format"`
		}
		if json.Unmarshal(data, &head) == nil && !slices.Contains(formats, head.Format) {
			return fmt.Errorf("%s: %w %q (this program reads %s)", what, ErrUnsupportedFormat, head.Format, readable)
		}
		return fmt.Errorf("%w %s: %v", ErrMalformed, what, err)
	}
	if got := v.formatVersion(); !slices.Contains(formats, got) {
		return fmt.Errorf("%s: %w %q (this program reads %s)", what, ErrUnsupportedFormat, got, readable)
	}
	return nil
}

// DecodeManifest decodes and checks a manifest. It does not check the signature: see Verify.
func DecodeManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := decodeStrict(data, ManifestFormat, "manifest", &m); err != nil {
		return nil, err
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w manifest: %v", ErrMalformed, err)
	}
	return &m, nil
}

// check validates what the manifest says on its own; the items are checked when the bank is opened.
func (m *Manifest) check() error {
	if !bankIDPattern.MatchString(m.BankID) {
		return fmt.Errorf("bank id %q is not allowed", m.BankID)
	}
	c := content{languages: m.Languages}
	if err := c.validateLanguages(); err != nil {
		return err
	}
	if err := c.validateText(m.Title, "title"); err != nil {
		return fmt.Errorf("bank %v", err)
	}
	if !m.ValidUntil.After(m.ValidFrom) {
		return fmt.Errorf("valid_until %s is not after valid_from %s", m.ValidUntil.Format(time.RFC3339), m.ValidFrom.Format(time.RFC3339))
	}
	if !inTimeRange(m.ValidFrom) || !inTimeRange(m.ValidUntil) || !inTimeRange(m.CreatedAt) {
		return errors.New("its times must fall in the years 0 to 9999 (UTC)")
	}
	if len(m.Payload.SHA256) != 64 || m.Payload.Size <= 0 || m.Payload.Items <= 0 || m.Payload.Images < 0 {
		return errors.New("payload description is incomplete")
	}
	if len(m.Parts) == 0 {
		return errors.New("it has no parts")
	}
	for _, p := range m.Positions {
		if p.Competences != nil {
			return fmt.Errorf("position %s lists interview competences, which belong in the answer key only", p.Code)
		}
	}
	return nil
}
