package scorer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
	"ispit/sheet"
)

// The files of a scorer's key folder.
const (
	sheetKeyFile   = "sheet.key"   // age hybrid identity (ML-KEM-768+X25519): opens sheets
	sheetPubFile   = "sheet.pub"   // its recipient, which kiosks encrypt to
	receiptKeyFile = "receipt.key" // OpenSSH Ed25519: signs receipts
	receiptPubFile = "receipt.pub"
	tlsKeyFile     = "tls.key"
	tlsCertFile    = "tls.crt"
)

// Keys are the scorer's secrets and their public halves.
type Keys struct {
	SheetIdentity  *age.HybridIdentity
	SheetRecipient *age.HybridRecipient
	Receipt        ssh.Signer
	TLS            tls.Certificate
	// TLSCertSHA256 is the hex SHA-256 of the TLS certificate (DER), which kiosks pin.
	TLSCertSHA256 string
}

// GenerateKeys makes a new key folder: the sheet key, the receipt key and a self-signed TLS
// certificate for the given host names and addresses. It refuses to overwrite any key.
func GenerateKeys(dir string, hosts []string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, name := range []string{sheetKeyFile, sheetPubFile, receiptKeyFile, receiptPubFile, tlsKeyFile, tlsCertFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("%s already exists; keys are never overwritten", filepath.Join(dir, name))
		}
	}
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, sheetKeyFile), []byte(id.String()+"\n"), 0o600); err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, sheetPubFile), []byte(id.Recipient().String()+"\n"), 0o644); err != nil {
		return err
	}
	if err := sshsig.WriteKeyPair(filepath.Join(dir, receiptKeyFile), filepath.Join(dir, receiptPubFile), "ispit scorer receipts"); err != nil {
		return err
	}
	certPEM, keyPEM, err := selfSignedCert(hosts)
	if err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, tlsKeyFile), keyPEM, 0o600); err != nil {
		return err
	}
	return writeNew(filepath.Join(dir, tlsCertFile), certPEM, 0o644)
}

func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func selfSignedCert(hosts []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "ispit scorer"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// LoadKeys reads a key folder made by GenerateKeys.
func LoadKeys(dir string) (*Keys, error) {
	k := &Keys{}
	data, err := os.ReadFile(filepath.Join(dir, sheetKeyFile))
	if err != nil {
		return nil, fmt.Errorf("the scorer's sheet key: %w (run 'scorer keygen' first)", err)
	}
	if k.SheetIdentity, err = age.ParseHybridIdentity(strings.TrimSpace(string(data))); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, sheetKeyFile), err)
	}
	k.SheetRecipient = k.SheetIdentity.Recipient()
	if k.Receipt, err = sshsig.LoadSigner(filepath.Join(dir, receiptKeyFile), nil); err != nil {
		return nil, fmt.Errorf("the scorer's receipt key: %w", err)
	}
	if k.TLS, err = tls.LoadX509KeyPair(filepath.Join(dir, tlsCertFile), filepath.Join(dir, tlsKeyFile)); err != nil {
		return nil, fmt.Errorf("the scorer's TLS certificate: %w", err)
	}
	sum := sha256.Sum256(k.TLS.Certificate[0])
	k.TLSCertSHA256 = hex.EncodeToString(sum[:])
	return k, nil
}

// Enrolment returns the enrolment file contents for a scorer reached at url.
func (k *Keys) Enrolment(url string) sheet.Enrolment {
	return sheet.Enrolment{
		Format:         sheet.EnrolmentFormat,
		ScorerURL:      url,
		SheetRecipient: k.SheetRecipient.String(),
		ReceiptKey:     strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.Receipt.PublicKey()))),
		TLSCertSHA256:  k.TLSCertSHA256,
	}
}

// TLSConfig is the server side TLS configuration with the scorer's certificate.
func TLSConfig(k *Keys) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{k.TLS}, MinVersion: tls.VersionTLS13}
}

// PinnedTLSConfig is sheet.PinnedTLSConfig, for the scorer's own tests and tools.
func PinnedTLSConfig(pin string) *tls.Config { return sheet.PinnedTLSConfig(pin) }
