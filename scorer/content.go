package scorer

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"ispit/bank"
	"ispit/internal/sshsig"
)

// BankContent is the opened questions of a bank, which the scorer keeps once the start code is
// out: graders read a task's prompt beside the candidate's text, and an appeal shows the sheet
// as the candidate saw it.
type BankContent struct {
	BankID         string
	ManifestSHA256 string
	Title          bank.Text
	Languages      []string
	Items          []bank.Item
	Images         map[string][]byte // by payload name, "images/…"
	LoadedAt       time.Time
}

// Item returns an item of the bank.
func (c *BankContent) Item(id string) (*bank.Item, bool) {
	for i := range c.Items {
		if c.Items[i].ID == id {
			return &c.Items[i], true
		}
	}
	return nil, false
}

// EncodeItems is the stored form of the items.
func (c *BankContent) EncodeItems() []byte {
	data, err := json.Marshal(c.Items)
	if err != nil {
		panic("scorer: encoding bank items: " + err.Error()) // plain data always encodes
	}
	return data
}

// DecodeBankItems reads the stored form of a bank's items.
func DecodeBankItems(data []byte) ([]bank.Item, error) {
	var items []bank.Item
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("the stored bank items do not decode: %v", err)
	}
	return items, nil
}

// LoadBank verifies a bank file against the trusted authority keys, opens it with its start
// code (released at the start of the exam) and stores its questions. A bank is loaded after
// its exam, perhaps after its validity ended: it is then checked as of its last valid moment.
func LoadBank(ctx context.Context, store Store, file []byte, trust *sshsig.Trust, startCode string, now time.Time) (*BankContent, error) {
	m, err := bank.ReadManifest(file)
	if err != nil {
		return nil, err
	}
	manifest, err := bank.DecodeManifest(m)
	if err != nil {
		return nil, err
	}
	// Checked as of now, or as of the last moment it was valid if its validity has ended.
	at := now
	if !at.Before(manifest.ValidUntil) {
		at = manifest.ValidUntil.Add(-time.Second)
	}
	v, err := bank.Verify(file, trust, at)
	if err != nil {
		return nil, err
	}
	b, err := v.Open(startCode)
	if err != nil {
		return nil, err
	}
	c := &BankContent{BankID: b.Manifest.BankID, ManifestSHA256: b.ManifestSHA256, Title: b.Manifest.Title,
		Languages: b.Manifest.Languages, Items: b.Items, Images: map[string][]byte{}, LoadedAt: now.UTC()}
	for _, it := range b.Items {
		if it.Image != "" {
			if data, ok := b.Image(it.Image); ok {
				c.Images[it.Image] = data
			}
		}
	}
	if keyFile, err := store.AnswerKeyFile(ctx, c.BankID); err == nil {
		if key, err := bank.DecodeAnswerKey(keyFile); err == nil && key.ManifestSHA256 != c.ManifestSHA256 {
			return nil, fmt.Errorf("bank %s is another build than its loaded answer key (manifest %.12s…, the key's %.12s…)", c.BankID, c.ManifestSHA256, key.ManifestSHA256)
		}
	}
	if err := store.PutBankContent(ctx, *c); err != nil {
		return nil, err
	}
	return c, nil
}

// StoredRoster is a roster's candidates as verified when it was loaded.
type StoredRoster struct {
	SHA256     string // of the roster's CSV, as sessions record it
	Candidates []bank.Candidate
	LoadedAt   time.Time
}

// LoadRoster verifies a signed roster against the trusted authority keys and stores it, so that
// the results list those on it who did not come.
func LoadRoster(ctx context.Context, store Store, file []byte, trust *sshsig.Trust, now time.Time) (*bank.Roster, error) {
	r, err := bank.ReadRoster(file, trust, now)
	if err != nil {
		return nil, err
	}
	if err := store.PutRoster(ctx, StoredRoster{SHA256: r.SHA256, Candidates: r.Candidates, LoadedAt: now.UTC()}); err != nil {
		return nil, err
	}
	return r, nil
}

// loadRoster merges the stored rosters: every candidate once, by code (the first roster's
// row counts).
func loadRoster(ctx context.Context, store Store) ([]bank.Candidate, error) {
	rosters, err := store.Rosters(ctx)
	if err != nil {
		return nil, err
	}
	var out []bank.Candidate
	seen := map[string]bool{}
	for _, sr := range rosters {
		for _, c := range sr.Candidates {
			if k := strings.ToUpper(c.Code); !seen[k] {
				seen[k] = true
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b bank.Candidate) int { return cmp.Compare(strings.ToUpper(a.Code), strings.ToUpper(b.Code)) })
	return out, nil
}
