package kiosk

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"ispit/sheet"
)

// Why an enrolment file is refused; each error wraps one of these with the details.
var (
	// ErrNotEnrolmentFile: the file is not an enrolment file at all (not JSON, no format, too large).
	ErrNotEnrolmentFile = errors.New("not an enrolment file")
	// ErrEnrolmentVersion: an enrolment file of a format version this kiosk does not read.
	ErrEnrolmentVersion = errors.New("unsupported enrolment file version")
	// ErrEnrolmentInvalid: an enrolment file whose keys, address or certificate pin are wrong.
	ErrEnrolmentInvalid = errors.New("the enrolment file is incomplete or damaged")
	// ErrSessionOpen: the terminal is not enrolled again while a session is open, so that the
	// sheets of one session all go to one scorer.
	ErrSessionOpen = errors.New("a session is open")
)

// maxEnrolmentFile bounds an enrolment file; real ones are a few kilobytes.
const maxEnrolmentFile = 1 << 20

// enrolmentFormatPrefix starts the format of every version of the enrolment file.
var enrolmentFormatPrefix = strings.SplitAfter(sheet.EnrolmentFormat, "/")[0]

// EnrolFile enrols the terminal with the enrolment file at path (from a USB stick, as
// `scorer enrolment` wrote it) and returns the scorer's address. The error says why a file
// is refused: ErrNotEnrolmentFile, ErrEnrolmentVersion, ErrEnrolmentInvalid or ErrSessionOpen,
// or the error of reading the file. A refused file changes nothing.
func (k *Kiosk) EnrolFile(path string) (string, error) {
	data, err := readLimited(path, maxEnrolmentFile)
	if err != nil {
		if !errors.Is(err, errTooLarge) {
			return "", err
		}
		return "", fmt.Errorf("%w: %v", ErrNotEnrolmentFile, err)
	}
	if err := checkEnrolment(data); err != nil {
		return "", err
	}
	if info, err := k.Engine.ActiveSession(); err != nil {
		return "", err
	} else if info != nil {
		return "", ErrSessionOpen
	}
	if err := k.Enrol(data); err != nil {
		return "", err
	}
	_, url := k.Enrolled()
	return url, nil
}

// checkEnrolment tells why an enrolment file is refused, in the terms of EnrolFile's errors.
func checkEnrolment(data []byte) error {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("%w: %v", ErrNotEnrolmentFile, err)
	}
	switch {
	case head.Format == sheet.EnrolmentFormat:
	case strings.HasPrefix(head.Format, enrolmentFormatPrefix):
		return fmt.Errorf("%w %q (this kiosk reads %q)", ErrEnrolmentVersion, head.Format, sheet.EnrolmentFormat)
	default:
		return fmt.Errorf("%w: its format is %q, not %q", ErrNotEnrolmentFile, head.Format, sheet.EnrolmentFormat)
	}
	if _, err := sheet.ParseEnrolment(data); err != nil {
		return fmt.Errorf("%w: %v", ErrEnrolmentInvalid, err)
	}
	return nil
}

// ExportPublicKey copies the terminal's public key into dir (a USB stick) as <terminal id>.pub,
// for `scorer terminal add --id ID --key FILE`, and returns the file's path. A file of that
// name is replaced: the key of this terminal is the one that counts.
func (k *Kiosk) ExportPublicKey(dir string) (string, error) {
	data, err := readLimited(k.PublicKeyFile(), maxEnrolmentFile)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, k.cfg.TerminalID+".pub")
	if err := writeAtomic(path, data, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
