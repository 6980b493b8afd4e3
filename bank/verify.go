package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// Errors a bank can be refused with, each wrapped with the details; the kiosk shows the reason.
var (
	ErrUntrusted      = errors.New("signed by a key that is not trusted")
	ErrBadSignature   = errors.New("signature does not verify")
	ErrPayloadDigest  = errors.New("payload does not match the manifest")
	ErrNotYetValid    = errors.New("not valid yet")
	ErrExpired        = errors.New("expired")
	ErrWrongStartCode = errors.New("wrong start code")
)

// maxBankSize bounds a bank file.
const maxBankSize = 1 << 30

// Verified is a bank whose signature, authority and payload digest have been checked. Its
// questions are still encrypted: Open them with the start code.
type Verified struct {
	Manifest *Manifest
	// Signer is the principal of the trusted key that signed the bank ("" for a plain key file).
	Signer   string
	manifest []byte
	payload  []byte
}

// Verify checks a bank file: its layout, the authority's signature over the manifest against
// the trusted keys, the validity window at now, and the digest of the encrypted payload.
func Verify(file []byte, trust *sshsig.Trust, now time.Time) (*Verified, error) {
	if len(file) > maxBankSize {
		return nil, fmt.Errorf("%w: the bank file is larger than %d bytes", ErrMalformed, maxBankSize)
	}
	parts, err := readContainer(file, "bank", maxBankSize, bankManifestName, bankSignatureName, bankPayloadName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	manifestBytes, sig, payload := parts[0], parts[1], parts[2]
	signer, principal, err := checkSignature(sig, manifestBytes, NamespaceBank, trust, now)
	if err != nil {
		return nil, err
	}
	m, err := DecodeManifest(manifestBytes)
	if err != nil {
		return nil, err
	}
	if fp := sshsig.Fingerprint(signer); m.Authority != fp {
		return nil, fmt.Errorf("%w: the manifest names authority %s but was signed by %s", ErrBadSignature, m.Authority, fp)
	}
	switch {
	case now.Before(m.ValidFrom):
		return nil, fmt.Errorf("bank %w: valid from %s", ErrNotYetValid, m.ValidFrom.Format(time.RFC3339))
	case !now.Before(m.ValidUntil):
		return nil, fmt.Errorf("bank %w: valid until %s", ErrExpired, m.ValidUntil.Format(time.RFC3339))
	}
	digest := sha256.Sum256(payload)
	if got := hex.EncodeToString(digest[:]); got != m.Payload.SHA256 || int64(len(payload)) != m.Payload.Size {
		return nil, fmt.Errorf("%w: SHA-256 %s, %d bytes; the manifest says %s, %d bytes", ErrPayloadDigest, got, len(payload), m.Payload.SHA256, m.Payload.Size)
	}
	return &Verified{Manifest: m, Signer: principal, manifest: manifestBytes, payload: payload}, nil
}

// checkSignature verifies an armored SSHSIG signature over doc in namespace and that its key
// is trusted for that namespace at now; it returns the key and its principal.
func checkSignature(sig, doc []byte, namespace string, trust *sshsig.Trust, now time.Time) (ssh.PublicKey, string, error) {
	key, err := sshsig.Verify(sig, doc, namespace)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	principal, err := trust.Check(key, namespace, now)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrUntrusted, sshsig.Fingerprint(key), err)
	}
	return key, principal, nil
}

// ManifestSHA256 is the hex SHA-256 of the signed manifest bytes, as the answer key records it.
func (v *Verified) ManifestSHA256() string {
	sum := sha256.Sum256(v.manifest)
	return hex.EncodeToString(sum[:])
}

// Bank is an opened bank: the manifest and the decrypted items and images.
type Bank struct {
	Manifest *Manifest
	Signer   string
	// ManifestSHA256 is the digest of the signed manifest, which sheets record.
	ManifestSHA256 string
	Items          []Item
	items          map[string]*Item
	images         map[string][]byte
}

// Open decrypts the payload with the start code and checks every item against the manifest.
// A mistyped code is refused by its check symbol before the slow key derivation starts.
func (v *Verified) Open(startCode string) (*Bank, error) {
	passphrase, err := ParseStartCode(startCode)
	if err != nil {
		return nil, err
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	r, err := age.Decrypt(bytes.NewReader(v.payload), id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return nil, ErrWrongStartCode
		}
		return nil, fmt.Errorf("%w payload: %v", ErrMalformed, err)
	}
	// The plain payload is a little smaller than the encrypted one: read it in one buffer.
	var plain bytes.Buffer
	plain.Grow(len(v.payload))
	if _, err := plain.ReadFrom(io.LimitReader(r, maxBankSize+1)); err != nil {
		return nil, fmt.Errorf("%w payload: %v", ErrMalformed, err)
	}
	if plain.Len() > maxBankSize {
		return nil, fmt.Errorf("%w payload: larger than %d bytes", ErrMalformed, maxBankSize)
	}
	return v.openPayload(plain.Bytes())
}

func (v *Verified) openPayload(plain []byte) (*Bank, error) {
	m := v.Manifest
	members, err := readMembers(plain, "payload", maxDocumentSize, 1+m.Payload.Images)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(members) == 0 || members[0].Name != payloadItemsName {
		return nil, fmt.Errorf("%w payload: %s is missing", ErrMalformed, payloadItemsName)
	}
	doc, items, err := decodeItems(members[0].Data)
	if err != nil {
		return nil, err
	}
	if doc.BankID != m.BankID {
		return nil, fmt.Errorf("%w payload: it belongs to bank %q, not %q", ErrMalformed, doc.BankID, m.BankID)
	}
	b := &Bank{
		Manifest:       m,
		Signer:         v.Signer,
		ManifestSHA256: v.ManifestSHA256(),
		Items:          items,
		items:          make(map[string]*Item, len(items)),
		images:         make(map[string][]byte, len(members)-1),
	}
	c := content{languages: m.Languages, positions: m.Positions, parts: m.Parts, items: items, images: map[string]bool{}}
	for _, img := range members[1:] {
		if !strings.HasPrefix(img.Name, "images/") {
			return nil, fmt.Errorf("%w payload: unexpected member %q", ErrMalformed, img.Name)
		}
		if err := checkImage(img.Name, img.Data); err != nil {
			return nil, fmt.Errorf("%w payload: %v", ErrMalformed, err)
		}
		b.images[img.Name] = img.Data
		c.images[img.Name] = true
	}
	if len(items) != m.Payload.Items || len(b.images) != m.Payload.Images {
		return nil, fmt.Errorf("%w payload: %d items and %d images; the manifest says %d and %d", ErrMalformed, len(items), len(b.images), m.Payload.Items, m.Payload.Images)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%w payload: %v", ErrMalformed, err)
	}
	for i := range b.Items {
		b.items[b.Items[i].ID] = &b.Items[i]
	}
	return b, nil
}

// Item returns an item by id.
func (b *Bank) Item(id string) (*Item, bool) {
	it, ok := b.items[id]
	return it, ok
}

// Image returns an image file by its payload name.
func (b *Bank) Image(name string) ([]byte, bool) {
	data, ok := b.images[name]
	return data, ok
}
