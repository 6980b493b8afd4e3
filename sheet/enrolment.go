package sheet

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// EnrolmentFormat is the version of the enrolment file.
const EnrolmentFormat = "ispit-enrolment/1"

// Enrolment is what the scorer hands an administrator for each kiosk (`scorer enrolment`):
// where the scorer is and the keys the kiosk pins.
type Enrolment struct {
	Format         string `json:"format"`
	ScorerURL      string `json:"scorer_url"`
	SheetRecipient string `json:"sheet_recipient"` // age hybrid recipient sheets are encrypted to
	ReceiptKey     string `json:"receipt_key"`     // authorized_keys line of the scorer's receipt key
	TLSCertSHA256  string `json:"tls_cert_sha256"` // pin of the scorer's TLS certificate
}

// ParseEnrolment reads and checks an enrolment file.
func ParseEnrolment(data []byte) (*Enrolment, error) {
	var e Enrolment
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("not an enrolment file: %v", err)
	}
	if e.Format != EnrolmentFormat {
		return nil, fmt.Errorf("enrolment file has format %q; this program reads %q", e.Format, EnrolmentFormat)
	}
	if _, err := age.ParseHybridRecipient(e.SheetRecipient); err != nil {
		return nil, fmt.Errorf("enrolment file: sheet recipient: %v", err)
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(e.ReceiptKey)); err != nil {
		return nil, fmt.Errorf("enrolment file: receipt key: %v", err)
	}
	if !strings.HasPrefix(e.ScorerURL, "https://") && !strings.HasPrefix(e.ScorerURL, "http://") {
		return nil, fmt.Errorf("enrolment file: scorer URL %q is not http(s)", e.ScorerURL)
	}
	if strings.HasPrefix(e.ScorerURL, "https://") && len(e.TLSCertSHA256) != 64 {
		return nil, errors.New("enrolment file: an https scorer needs a certificate pin")
	}
	return &e, nil
}

// Recipient returns the scorer's sheet recipient.
func (e *Enrolment) Recipient() (*age.HybridRecipient, error) {
	return age.ParseHybridRecipient(e.SheetRecipient)
}

// Receipts returns the scorer's receipt key.
func (e *Enrolment) Receipts() (ssh.PublicKey, error) {
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(e.ReceiptKey))
	return key, err
}

// PinnedTLSConfig is the kiosk's TLS configuration: it trusts exactly the certificate whose
// SHA-256 is pin, and nothing else (no certificate authorities, no host names).
func PinnedTLSConfig(pin string) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true, // replaced by the pin check below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("the scorer sent no certificate")
			}
			sum := sha256.Sum256(raw[0])
			if got := hex.EncodeToString(sum[:]); got != pin {
				return fmt.Errorf("the scorer's certificate %s is not the enrolled one %s", got, pin)
			}
			return nil
		},
	}
}

// EnsureTerminalKey loads the terminal key from dir (terminal.key, 0600, and terminal.pub),
// making it on first start. created reports a new key, whose fingerprint the administrator
// registers with the scorer.
func EnsureTerminalKey(dir string) (signer ssh.Signer, created bool, err error) {
	priv, pub := filepath.Join(dir, "terminal.key"), filepath.Join(dir, "terminal.pub")
	if _, err := os.Stat(priv); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, err
		}
		if err := sshsig.WriteKeyPair(priv, pub, "ispit terminal"); err != nil {
			return nil, false, err
		}
		created = true
	}
	signer, err = sshsig.LoadSigner(priv, nil)
	return signer, created, err
}
