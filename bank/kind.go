package bank

import (
	"fmt"

	"ispit/internal/container"
)

// FileKind tells the signed files of this package apart.
type FileKind int

// The kinds of file; KindUnknown is anything else.
const (
	KindUnknown FileKind = iota
	KindBank
	KindAnswerKey
	KindRoster
	KindAmendment
)

// Kind looks at the first member of a file to tell what it is; it checks nothing else.
func Kind(file []byte) FileKind {
	switch container.FirstName(file) {
	case bankManifestName:
		return KindBank
	case answersName:
		return KindAnswerKey
	case rosterName:
		return KindRoster
	case amendmentName:
		return KindAmendment
	}
	return KindUnknown
}

// ReadManifest returns the manifest of a bank file as it was signed, after checking the
// file's layout and the manifest's format, but not the signature: see Verify.
func ReadManifest(file []byte) ([]byte, error) {
	parts, err := readContainer(file, "bank", maxBankSize, bankManifestName, bankSignatureName, bankPayloadName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := DecodeManifest(parts[0]); err != nil {
		return nil, err
	}
	return parts[0], nil
}
