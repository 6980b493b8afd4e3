package bank

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// Amendment is the authority's signed correction of an answer key after the exam: an item
// voided (every candidate who had it gets its points) or an option accepted as correct besides
// the key's. It is bound to one build of a bank by the bank id and the manifest digest, as the
// answer key is, and the amendments of a bank apply in the order of their Sequence.
type Amendment struct {
	Format         string `json:"format"`
	BankID         string `json:"bank_id"`
	ManifestSHA256 string `json:"manifest_sha256"`
	// Sequence is 1 for a bank's first amendment, then 2, 3 …; they apply in this order.
	Sequence int       `json:"sequence"`
	IssuedAt time.Time `json:"issued_at"`
	// Reason is the authority's words, such as the reference of its decision: one line of at
	// most MaxAmendmentReason characters.
	Reason  string            `json:"reason"`
	Changes []AmendmentChange `json:"changes"`
}

// AmendmentChange is one correction of one multiple-choice item.
type AmendmentChange struct {
	Item   string      `json:"item"`
	Action AmendAction `json:"action"`
	// Option is, for AmendAccept, the option accepted besides the key's correct one.
	Option string `json:"option,omitempty"`
}

// AmendAction is what an amendment does to an item.
type AmendAction string

// The actions of an amendment.
const (
	// AmendVoid voids the item: every candidate who had it gets its points.
	AmendVoid AmendAction = "void"
	// AmendAccept accepts Option as correct besides the key's correct option.
	AmendAccept AmendAction = "accept"
)

// MaxAmendmentReason bounds an amendment's reason, in characters.
const MaxAmendmentReason = 500

// ErrAmendmentMismatch is the error, wrapped with the details, of an amendment that is not for
// the answer key it is checked against: another bank or build, or an item or option the key
// does not have, or a change the key's item cannot take.
var ErrAmendmentMismatch = errors.New("amendment does not match the answer key")

// The members of an amendment file, in order.
const (
	amendmentName          = "amendment.json"
	amendmentSignatureName = "amendment.json.sig"
)

func (a *Amendment) formatVersion() string { return a.Format }

// SignAmendment checks an amendment on its own and signs it with the authority key. Check it
// against its answer key first: that is what the scorer will do.
func SignAmendment(a *Amendment, signer ssh.Signer) ([]byte, error) {
	if a.Format != AmendmentFormat {
		return nil, fmt.Errorf("amendment: %w %q (this program writes %q)", ErrUnsupportedFormat, a.Format, AmendmentFormat)
	}
	if err := a.check(); err != nil {
		return nil, fmt.Errorf("%w amendment: %v", ErrMalformed, err)
	}
	doc := encodeJSON(a)
	sig, err := sshsig.Sign(signer, NamespaceAmendment, doc)
	if err != nil {
		return nil, fmt.Errorf("signing the amendment: %w", err)
	}
	return writeContainer([]member{{Name: amendmentName, Data: doc}, {Name: amendmentSignatureName, Data: sig}}), nil
}

// ReadAmendment checks an amendment file against the trusted authority keys (for the namespace
// NamespaceAmendment) and decodes it. It returns the amendment and the principal of the
// authority that signed it. It does not check the amendment against an answer key: see Check.
func ReadAmendment(file []byte, trust *sshsig.Trust, now time.Time) (*Amendment, string, error) {
	parts, err := readContainer(file, "amendment", maxDocumentSize, amendmentName, amendmentSignatureName)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	_, principal, err := checkSignature(parts[1], parts[0], NamespaceAmendment, trust, now)
	if err != nil {
		return nil, "", err
	}
	a, err := decodeAmendment(parts[0])
	if err != nil {
		return nil, "", err
	}
	return a, principal, nil
}

// DecodeAmendment decodes an amendment file whose signature was checked when it was stored
// (the scorer's database); it checks the layout and content but not the signature.
func DecodeAmendment(file []byte) (*Amendment, error) {
	parts, err := readContainer(file, "amendment", maxDocumentSize, amendmentName, amendmentSignatureName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return decodeAmendment(parts[0])
}

func decodeAmendment(doc []byte) (*Amendment, error) {
	var a Amendment
	if err := decodeStrict(doc, AmendmentFormat, "amendment", &a); err != nil {
		return nil, err
	}
	if err := a.check(); err != nil {
		return nil, fmt.Errorf("%w amendment: %v", ErrMalformed, err)
	}
	return &a, nil
}

// check validates what an amendment says on its own.
func (a *Amendment) check() error {
	switch {
	case !bankIDPattern.MatchString(a.BankID):
		return fmt.Errorf("bank id %q is not allowed", a.BankID)
	case !isDigest(a.ManifestSHA256):
		return errors.New("manifest_sha256 is not a SHA-256 digest in lower-case hex")
	case a.Sequence < 1:
		return fmt.Errorf("sequence is %d; a bank's amendments are numbered from 1", a.Sequence)
	case a.IssuedAt.IsZero() || !inTimeRange(a.IssuedAt):
		return errors.New("issued_at is missing or outside the years 0 to 9999 (UTC)")
	}
	if err := checkReason(a.Reason); err != nil {
		return err
	}
	if len(a.Changes) == 0 {
		return errors.New("it makes no changes")
	}
	for i, c := range a.Changes {
		if !itemIDPattern.MatchString(c.Item) {
			return fmt.Errorf("change %d names item %q, which is not an item id", i+1, c.Item)
		}
		if slices.ContainsFunc(a.Changes[:i], func(e AmendmentChange) bool { return e.Item == c.Item }) {
			return fmt.Errorf("item %s is changed twice; one amendment makes one change to an item", c.Item)
		}
		switch c.Action {
		case AmendVoid:
			if c.Option != "" {
				return fmt.Errorf("item %s is voided but the change names option %q", c.Item, c.Option)
			}
		case AmendAccept:
			if !optionIDPattern.MatchString(c.Option) {
				return fmt.Errorf("item %s: accept needs the id of the option accepted, not %q", c.Item, c.Option)
			}
		default:
			return fmt.Errorf("item %s has action %q; an amendment voids (%q) or accepts (%q)", c.Item, c.Action, AmendVoid, AmendAccept)
		}
	}
	return nil
}

// checkReason checks an amendment's reason: given, one line, at most MaxAmendmentReason
// characters.
func checkReason(reason string) error {
	switch {
	case strings.TrimSpace(reason) == "":
		return errors.New("it gives no reason")
	case !utf8.ValidString(reason):
		return errors.New("its reason is not UTF-8 text")
	case strings.ContainsFunc(reason, func(r rune) bool { return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) }):
		return errors.New("its reason has a line break or other control character; it is one line")
	case utf8.RuneCountInString(reason) > MaxAmendmentReason:
		return fmt.Errorf("its reason is longer than %d characters", MaxAmendmentReason)
	}
	return nil
}

// Check checks an amendment on its own (errors wrap ErrMalformed) and against the answer key
// it corrects (errors wrap ErrAmendmentMismatch): the same bank id and manifest digest, and
// every change to a multiple-choice item of the key, an accepted option being one of the
// item's options other than its correct one. It does not know the bank's other amendments:
// whether the sequence follows on and an option was already accepted is the caller's to check.
func (a *Amendment) Check(key *AnswerKey) error {
	if a.Format != AmendmentFormat {
		return fmt.Errorf("amendment: %w %q (this program reads %q)", ErrUnsupportedFormat, a.Format, AmendmentFormat)
	}
	if err := a.check(); err != nil {
		return fmt.Errorf("%w amendment: %v", ErrMalformed, err)
	}
	mismatch := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrAmendmentMismatch, fmt.Sprintf(format, args...))
	}
	if a.BankID != key.BankID {
		return mismatch("it is for bank %s, the key for bank %s", a.BankID, key.BankID)
	}
	if a.ManifestSHA256 != key.ManifestSHA256 {
		return mismatch("it is for the build of bank %s with manifest %s, the key for the one with manifest %s", a.BankID, short(a.ManifestSHA256), short(key.ManifestSHA256))
	}
	for _, c := range a.Changes {
		it, ok := key.Item(c.Item)
		switch {
		case !ok:
			return mismatch("item %s is not in the key", c.Item)
		case it.Kind != ItemChoice:
			return mismatch("item %s is a %s item; only multiple-choice items are voided or given another correct option", c.Item, it.Kind)
		case c.Action == AmendAccept && !slices.Contains(it.Options, c.Option):
			return mismatch("item %s has no option %q (it has %s)", c.Item, c.Option, strings.Join(it.Options, ", "))
		case c.Action == AmendAccept && c.Option == it.Correct:
			return mismatch("option %s is already the correct option of item %s", c.Option, c.Item)
		}
	}
	return nil
}

// short abbreviates a digest in messages.
func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12] + "…"
	}
	return digest
}
