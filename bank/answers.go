package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// AnswerKey is what the scorer needs to score sheets of a bank: the correct options, the points
// and pass rules, bound to the bank by its id and the digests of its manifest and payload; and
// what the selection commission grades by: the written tasks' grading guides and model answers
// and the positions' interview competences. It never goes to a kiosk.
//
// Build writes format 2 (AnswerKeyFormat). The readers also accept format 1
// (AnswerKeyFormat1), which has no guides, model answers or competences; Format says which the
// file is.
type AnswerKey struct {
	Format         string     `json:"format"`
	BankID         string     `json:"bank_id"`
	ManifestSHA256 string     `json:"manifest_sha256"`
	PayloadSHA256  string     `json:"payload_sha256"`
	CreatedAt      time.Time  `json:"created_at"`
	Title          Text       `json:"title"`
	Languages      []string   `json:"languages"`
	Positions      []Position `json:"positions"`
	Parts          []Part     `json:"parts"`
	Items          []KeyItem  `json:"items"`
}

// KeyItem is the key to one item.
type KeyItem struct {
	ID    string   `json:"id"`
	Kind  ItemKind `json:"kind"`
	Topic string   `json:"topic"`
	// Options are the ids of a multiple-choice item's options and Correct the right one.
	Options []string `json:"options,omitempty"`
	Correct string   `json:"correct,omitempty"`
	// MaxPoints is what a written task is worth.
	MaxPoints int `json:"max_points,omitempty"`
	// Guide and ModelAnswer are a written task's grading guide and model answer, for the
	// commission; either may be absent, or written in only some of the bank's languages.
	Guide       Text `json:"guide,omitempty"`
	ModelAnswer Text `json:"model_answer,omitempty"`
}

// GradingGuide returns the written task's grading guide and model answer.
func (k *KeyItem) GradingGuide() GradingGuide {
	return GradingGuide{Guide: k.Guide, ModelAnswer: k.ModelAnswer}
}

// The members of an answer key file, in order.
const (
	answersName          = "answers.json"
	answersSignatureName = "answers.json.sig"
)

func newAnswerKey(def *Definition, m *Manifest, manifest []byte) *AnswerKey {
	digest := sha256.Sum256(manifest)
	key := &AnswerKey{
		Format:         AnswerKeyFormat,
		BankID:         m.BankID,
		ManifestSHA256: hex.EncodeToString(digest[:]),
		PayloadSHA256:  m.Payload.SHA256,
		CreatedAt:      m.CreatedAt,
		Title:          m.Title,
		Languages:      m.Languages,
		Positions:      def.Positions, // with their interview competences, which the manifest leaves out
		Parts:          m.Parts,
	}
	for _, it := range def.Items {
		k := KeyItem{ID: it.ID, Kind: it.Kind, Topic: it.Topic, MaxPoints: it.MaxPoints}
		if it.Kind == ItemChoice {
			for _, o := range it.Options {
				k.Options = append(k.Options, o.ID)
			}
			k.Correct = def.Correct[it.ID]
		} else {
			g := def.Guides[it.ID]
			k.Guide, k.ModelAnswer = g.Guide, g.ModelAnswer
		}
		key.Items = append(key.Items, k)
	}
	return key
}

func signAnswerKey(key *AnswerKey, signer ssh.Signer) ([]byte, error) {
	doc := encodeJSON(key)
	sig, err := sshsig.Sign(signer, NamespaceAnswers, doc)
	if err != nil {
		return nil, fmt.Errorf("signing the answer key: %w", err)
	}
	return writeContainer([]member{{Name: answersName, Data: doc}, {Name: answersSignatureName, Data: sig}}), nil
}

// ReadAnswerKey checks an answer key file against the trusted authority keys and decodes it.
// It returns the key and the principal of the authority that signed it.
func ReadAnswerKey(file []byte, trust *sshsig.Trust, now time.Time) (*AnswerKey, string, error) {
	parts, err := readContainer(file, "answer key", maxDocumentSize, answersName, answersSignatureName)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	_, principal, err := checkSignature(parts[1], parts[0], NamespaceAnswers, trust, now)
	if err != nil {
		return nil, "", err
	}
	key, err := decodeAnswerKey(parts[0])
	if err != nil {
		return nil, "", err
	}
	return key, principal, nil
}

// answerKeyFormats are the answer key formats the readers accept.
var answerKeyFormats = []string{AnswerKeyFormat1, AnswerKeyFormat}

// decodeAnswerKey decodes and checks answers.json, of format 1 or 2.
func decodeAnswerKey(doc []byte) (*AnswerKey, error) {
	var key AnswerKey
	if err := decodeStrictVersions(doc, answerKeyFormats, "answer key", &key); err != nil {
		return nil, err
	}
	if err := key.check(); err != nil {
		return nil, fmt.Errorf("%w answer key: %v", ErrMalformed, err)
	}
	return &key, nil
}

// check validates an answer key the way Build validated the bank it came from.
func (k *AnswerKey) check() error {
	if !bankIDPattern.MatchString(k.BankID) || !isDigest(k.ManifestSHA256) || !isDigest(k.PayloadSHA256) {
		return fmt.Errorf("bank id or digests are missing")
	}
	// Stand-in items with one text per language let the shared checks run on the key.
	c := content{languages: k.Languages, positions: k.Positions, parts: k.Parts, correct: map[string]string{},
		guides: map[string]GradingGuide{}}
	for _, ki := range k.Items {
		it := Item{ID: ki.ID, Kind: ki.Kind, Topic: ki.Topic, MaxPoints: ki.MaxPoints}
		if ki.Kind == ItemChoice {
			it.Stem = placeholderText(k.Languages)
			for _, id := range ki.Options {
				it.Options = append(it.Options, Option{ID: id, Text: placeholderText(k.Languages)})
			}
			c.correct[ki.ID] = ki.Correct
		} else {
			it.Prompt = placeholderText(k.Languages)
		}
		if ki.Guide != nil || ki.ModelAnswer != nil {
			if k.Format == AnswerKeyFormat1 {
				return fmt.Errorf("item %s has a grading guide or model answer, which a %s key cannot carry", ki.ID, AnswerKeyFormat1)
			}
			if _, dup := c.guides[ki.ID]; !dup {
				c.guides[ki.ID] = ki.GradingGuide()
			}
		}
		c.items = append(c.items, it)
	}
	if k.Format == AnswerKeyFormat1 {
		for _, p := range k.Positions {
			if p.Competences != nil {
				return fmt.Errorf("position %s lists interview competences, which a %s key cannot carry", p.Code, AnswerKeyFormat1)
			}
		}
	}
	return c.validate()
}

// isDigest reports whether s is a SHA-256 digest in lower-case hex, as the files record them.
func isDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func placeholderText(languages []string) Text {
	t := Text{}
	for _, l := range languages {
		t[l] = "-"
	}
	return t
}

// Item returns the key to one item.
func (k *AnswerKey) Item(id string) (*KeyItem, bool) {
	for i := range k.Items {
		if k.Items[i].ID == id {
			return &k.Items[i], true
		}
	}
	return nil, false
}

// Position returns the position with this code, with its interview competences.
func (k *AnswerKey) Position(code string) (*Position, bool) {
	for i := range k.Positions {
		if k.Positions[i].Code == code {
			return &k.Positions[i], true
		}
	}
	return nil, false
}

// DecodeAnswerKey decodes an answer key file whose signature was checked when it was stored
// (the scorer's database); it checks the layout and content but not the signature.
func DecodeAnswerKey(file []byte) (*AnswerKey, error) {
	parts, err := readContainer(file, "answer key", maxDocumentSize, answersName, answersSignatureName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return decodeAnswerKey(parts[0])
}
