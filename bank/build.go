package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// DefaultWorkFactor is the scrypt work factor (log2 N) that protects a bank's payload with its
// start code. The code carries 80 random bits, so the work factor is not what keeps guessing out
// of reach; it only makes each guess cost 32 MiB of memory as well, so that hardware built for
// cheap hashes does not help. 2^15 unlocks in about a tenth of a second with 32 MiB, where 2^18
// took about a second and 256 MiB on an exam-room PC (docs/bank-format.md).
const DefaultWorkFactor = 15

// maxWorkFactor is the most a kiosk will spend on a start code (log2 N), about 15 s.
const maxWorkFactor = 22

// Definition is everything a bank is built from, as the source reader hands it over.
type Definition struct {
	ID         string
	Title      Text
	Languages  []string
	ValidFrom  time.Time
	ValidUntil time.Time
	Positions  []Position
	Parts      []Part
	Items      []Item
	// Correct is the id of the correct option of each multiple-choice item: the answer key.
	Correct map[string]string
	// Guides are the grading guides and model answers of written tasks, by item id; a task
	// need not have one. Like Correct, they go into the answer key only.
	Guides map[string]GradingGuide
	// Images are the image files the items name, by their payload name ("images/…").
	Images map[string][]byte
}

// BuildOptions say who signs a bank and how its payload is locked.
type BuildOptions struct {
	Signer ssh.Signer
	// StartCode is the code the payload is encrypted to; empty means a new random one.
	StartCode string
	// WorkFactor is the scrypt work factor, log2 N; 0 means DefaultWorkFactor.
	WorkFactor int
	// Now is the build time recorded in the manifest; zero means the current time.
	Now time.Time
}

// Built is the result of Build: the two files and the start code that unlocks the bank.
type Built struct {
	Bank      []byte
	Answers   []byte
	StartCode string
	Manifest  *Manifest
}

// Build checks a definition and makes the signed, sealed bank and its signed answer key.
func Build(def *Definition, opt BuildOptions) (*Built, error) {
	if opt.Signer == nil {
		return nil, errors.New("no signing key")
	}
	startCode := opt.StartCode
	if startCode == "" {
		startCode = NewStartCode()
	}
	startCode, err := ParseStartCode(startCode)
	if err != nil {
		return nil, err
	}
	workFactor := opt.WorkFactor
	if workFactor == 0 {
		workFactor = DefaultWorkFactor
	}
	if workFactor < 1 || workFactor > maxWorkFactor {
		return nil, fmt.Errorf("work factor %d is outside 1 to %d", workFactor, maxWorkFactor)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := def.Validate(); err != nil {
		return nil, err
	}

	payload, err := sealPayload(def, startCode, workFactor)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(payload)
	m := &Manifest{
		Format:     ManifestFormat,
		BankID:     def.ID,
		CreatedAt:  now.UTC().Truncate(time.Second),
		Title:      def.Title,
		Languages:  def.Languages,
		ValidFrom:  def.ValidFrom.UTC(),
		ValidUntil: def.ValidUntil.UTC(),
		Authority:  sshsig.Fingerprint(opt.Signer.PublicKey()),
		Payload: PayloadInfo{
			SHA256: hex.EncodeToString(digest[:]),
			Size:   int64(len(payload)),
			Items:  len(def.Items),
			Images: len(def.Images),
		},
		Positions: positionsWithoutCompetences(def.Positions),
		Parts:     def.Parts,
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	manifest := encodeJSON(m)
	sig, err := sshsig.Sign(opt.Signer, NamespaceBank, manifest)
	if err != nil {
		return nil, fmt.Errorf("signing the manifest: %w", err)
	}
	bankFile := writeContainer([]member{{Name: bankManifestName, Data: manifest}, {Name: bankSignatureName, Data: sig},
		{Name: bankPayloadName, Data: payload}})
	answers, err := signAnswerKey(newAnswerKey(def, m, manifest), opt.Signer)
	if err != nil {
		return nil, err
	}
	return &Built{Bank: bankFile, Answers: answers, StartCode: startCode, Manifest: m}, nil
}

// The members of a bank file, in order.
const (
	bankManifestName  = "manifest.json"
	bankSignatureName = "manifest.json.sig"
	bankPayloadName   = "payload.age"
	payloadItemsName  = "items.json"
)

// Validate checks a definition as Build does, without building it.
func (def *Definition) Validate() error {
	c := content{
		languages: def.Languages,
		positions: def.Positions,
		parts:     def.Parts,
		items:     def.Items,
		correct:   def.Correct,
		guides:    def.Guides,
		images:    map[string]bool{},
	}
	for name, data := range def.Images {
		if err := checkImage(name, data); err != nil {
			return err
		}
		c.images[name] = true
	}
	if !bankIDPattern.MatchString(def.ID) {
		return &ValidationError{"bank", "", fmt.Sprintf("id %q is not allowed (lower-case letters, digits, '.', '-', at most 64)", def.ID)}
	}
	if err := c.validateLanguages(); err != nil {
		return err
	}
	if err := c.validateText(def.Title, "title"); err != nil {
		return &ValidationError{"bank", "", err.Error()}
	}
	if !def.ValidUntil.After(def.ValidFrom) {
		return &ValidationError{"bank", "", "valid_until must be after valid_from"}
	}
	if !inTimeRange(def.ValidFrom) || !inTimeRange(def.ValidUntil) {
		return &ValidationError{"bank", "", "valid_from and valid_until must fall in the years 0 to 9999 (UTC)"}
	}
	return c.validate()
}

// sealPayload writes the payload archive (items.json, then the images by name) and encrypts it
// to the start code with age's scrypt recipient.
func sealPayload(def *Definition, startCode string, workFactor int) ([]byte, error) {
	items, err := encodeItems(def.ID, def.Items)
	if err != nil {
		return nil, fmt.Errorf("encoding the items: %w", err)
	}
	members := []member{{Name: payloadItemsName, Data: items}}
	for _, name := range slices.Sorted(maps.Keys(def.Images)) {
		members = append(members, member{Name: name, Data: def.Images[name]})
	}
	plain := writeContainer(members)

	r, err := age.NewScryptRecipient(startCode)
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(workFactor)
	var sealed bytes.Buffer
	w, err := age.Encrypt(&sealed, r)
	if err != nil {
		return nil, fmt.Errorf("encrypting the payload: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("encrypting the payload: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypting the payload: %w", err)
	}
	return sealed.Bytes(), nil
}

// positionsWithoutCompetences copies positions for the manifest, which kiosks read: the
// interview competences are the commission's, and go into the answer key only.
func positionsWithoutCompetences(positions []Position) []Position {
	if positions == nil {
		return nil
	}
	out := make([]Position, len(positions))
	for i, p := range positions {
		p.Competences = nil
		out[i] = p
	}
	return out
}
