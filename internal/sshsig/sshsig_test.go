package sshsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

const testNS = "ispit-test@example.org"

func TestSignVerifyRoundTrip(t *testing.T) {
	signer := seedSigner(t, 1)
	for _, msg := range [][]byte{nil, []byte("hello\n"), bytes.Repeat([]byte{0xff}, 100000)} {
		sig, err := Sign(signer, testNS, msg)
		if err != nil {
			t.Fatal(err)
		}
		key, err := Verify(sig, msg, testNS)
		if err != nil {
			t.Fatalf("Verify: %v\n%s", err, sig)
		}
		if !bytes.Equal(key.Marshal(), signer.PublicKey().Marshal()) {
			t.Fatal("Verify returned another key")
		}
		checkArmorShape(t, sig)
	}
}

// checkArmorShape checks the layout ssh-keygen writes.
func checkArmorShape(t *testing.T, sig []byte) {
	t.Helper()
	s := string(sig)
	if !strings.HasPrefix(s, "-----BEGIN SSH SIGNATURE-----\n") || !strings.HasSuffix(s, "\n-----END SSH SIGNATURE-----\n") {
		t.Fatalf("bad armor:\n%s", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	body := lines[1 : len(lines)-1]
	for i, l := range body {
		if len(l) > 70 || (i < len(body)-1 && len(l) != 70) || len(l) == 0 {
			t.Fatalf("body line %d has %d columns:\n%s", i, len(l), s)
		}
	}
}

func TestArmorWrapsLikeSSHKeygen(t *testing.T) {
	// Blob lengths whose base64 is an exact multiple of 70 columns must not
	// get an empty line (ssh-keygen's sshbuf_dtob64 does not write one).
	for n := 200; n < 320; n++ {
		a := string(armor(make([]byte, n)))
		if strings.Contains(a, "\n\n") {
			t.Fatalf("blob of %d bytes: empty line in armor", n)
		}
		blob, err := dearmor([]byte(a))
		if err != nil || len(blob) != n {
			t.Fatalf("blob of %d bytes: dearmor: %v", n, err)
		}
	}
}

func TestSignRefuses(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecSigner, err := ssh.NewSignerFromKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaSigner, err := ssh.NewSignerFromKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		signer ssh.Signer
		ns     string
		want   error
	}{
		{"empty namespace", seedSigner(t, 1), "", ErrNamespace},
		{"NUL in namespace", seedSigner(t, 1), "a\x00b", ErrNamespace},
		{"nil signer", nil, testNS, ErrKeyType},
		{"ecdsa key", ecSigner, testNS, ErrKeyType},
		{"rsa key", rsaSigner, testNS, ErrKeyType},
		{"sk key without user presence", newSKKey(t, 2, 0), testNS, ErrSigning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := Sign(tc.signer, tc.ns, []byte("msg"))
			if sig != nil {
				t.Fatal("got a signature")
			}
			wantErr(t, err, tc.want)
		})
	}
}

func TestSignVerifySK(t *testing.T) {
	k := newSKKey(t, 3, 0x01) // user presence
	msg := []byte("bank manifest")
	sig, err := Sign(k, testNS, msg)
	if err != nil {
		t.Fatal(err)
	}
	key, err := Verify(sig, msg, testNS)
	if err != nil {
		t.Fatal(err)
	}
	if key.Type() != KeyTypeSKEd25519 || !bytes.Equal(key.Marshal(), k.PublicKey().Marshal()) {
		t.Fatalf("got key %s", pubLine(key))
	}
	if _, err := Verify(sig, []byte("bank manifesT"), testNS); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("altered message: %v", err)
	}
}

// mutations returns the replacement values tried at each position.
func mutations(c byte) []byte {
	cand := []byte{c ^ 0x01, c ^ 0x80, c ^ 0x20, '\n', '=', 'A', '\r', ' ', 0, '/', '+'}
	var out []byte
	for _, r := range cand {
		if r != c {
			out = append(out, r)
		}
	}
	return out
}

func TestVerifyRefusesEverySingleByteChange(t *testing.T) {
	msg := []byte("the questions of the exam\n")
	sigs := map[string][]byte{}
	var err error
	if sigs["ed25519"], err = Sign(seedSigner(t, 4), testNS, msg); err != nil {
		t.Fatal(err)
	}
	if sigs["sk-ed25519"], err = Sign(newSKKey(t, 5, 1), testNS, msg); err != nil {
		t.Fatal(err)
	}
	for name, sig := range sigs {
		t.Run(name, func(t *testing.T) {
			if _, err := Verify(sig, msg, testNS); err != nil {
				t.Fatal(err)
			}
			tried := 0
			for i := range sig {
				for _, r := range mutations(sig[i]) {
					bad := bytes.Clone(sig)
					bad[i] = r
					tried++
					if k, err := Verify(bad, msg, testNS); err == nil || k != nil {
						t.Fatalf("byte %d changed from %q to %q: accepted", i, sig[i], r)
					}
				}
				// Deleting the byte or inserting one before it.
				del := append(bytes.Clone(sig[:i]), sig[i+1:]...)
				ins := append(append(bytes.Clone(sig[:i]), 'A'), sig[i:]...)
				for _, bad := range [][]byte{del, ins} {
					tried++
					if _, err := Verify(bad, msg, testNS); err == nil {
						t.Fatalf("deletion/insertion at %d accepted", i)
					}
				}
			}
			t.Logf("%d altered signature files refused", tried)
		})
	}
}

func TestVerifyRefusesChangedMessage(t *testing.T) {
	msg := []byte("roster: alice, bob")
	sig, err := Sign(seedSigner(t, 6), testNS, msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range [][]byte{nil, []byte("roster: alice, bo"), []byte("roster: alice, bob "), []byte("Roster: alice, bob")} {
		_, err := Verify(sig, m, testNS)
		wantErr(t, err, ErrBadSignature)
	}
	for i := range msg {
		m := bytes.Clone(msg)
		m[i] ^= 1
		if _, err := Verify(sig, m, testNS); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("message byte %d flipped: %v", i, err)
		}
	}
}

func TestVerifyWrongNamespace(t *testing.T) {
	msg := []byte("x")
	sig, err := Sign(seedSigner(t, 7), "bank", msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"sheet", "bank ", "Bank", "ban", "*"} {
		_, err := Verify(sig, msg, ns)
		wantErr(t, err, ErrNamespace)
	}
	_, err = Verify(sig, msg, "")
	wantErr(t, err, ErrNamespace)
}

func TestSignatureByOtherKeyIsNotTrusted(t *testing.T) {
	authority, intruder := seedSigner(t, 8), seedSigner(t, 9)
	trust, err := ParseTrust([]byte("authority@exam " + pubLine(authority.PublicKey()) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("manifest")
	sig, err := Sign(intruder, testNS, msg)
	if err != nil {
		t.Fatal(err)
	}
	key, err := Verify(sig, msg, testNS)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key.Marshal(), intruder.PublicKey().Marshal()) {
		t.Fatal("Verify returned another key than the signer's")
	}
	if p, err := trust.Check(key, testNS, time.Now()); !errors.Is(err, ErrNotTrusted) {
		t.Fatalf("Check accepted the intruder's key (principal %q, err %v)", p, err)
	}
	sig, err = Sign(authority, testNS, msg)
	if err != nil {
		t.Fatal(err)
	}
	key, err = Verify(sig, msg, testNS)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := trust.Check(key, testNS, time.Now()); err != nil || p != "authority@exam" {
		t.Fatalf("Check(authority) = %q, %v", p, err)
	}
}

// blobFields are the fields of an SSHSIG blob, for crafting test inputs.
type blobFields struct {
	magic    string
	version  uint32
	key      []byte
	ns       string
	reserved []byte
	hash     string
	sig      []byte
	trailing []byte
}

func (f blobFields) bytes() []byte {
	b := []byte(f.magic)
	b = binary.BigEndian.AppendUint32(b, f.version)
	b = appendString(b, f.key)
	b = appendString(b, []byte(f.ns))
	b = appendString(b, f.reserved)
	b = appendString(b, []byte(f.hash))
	b = appendString(b, f.sig)
	return append(b, f.trailing...)
}

// craft builds a correctly signed blob with hash hashAlg, lets mod change
// it, and armors it.
func craft(t *testing.T, signer ssh.Signer, msg []byte, hashAlg string, mod func(*blobFields)) []byte {
	t.Helper()
	var digest []byte
	switch hashAlg {
	case "sha256":
		h := sha256.Sum256(msg)
		digest = h[:]
	default:
		h := sha512.Sum512(msg)
		digest = h[:]
	}
	s, err := signer.Sign(rand.Reader, signedData(testNS, hashAlg, digest))
	if err != nil {
		t.Fatal(err)
	}
	f := blobFields{magic: "SSHSIG", version: 1, key: signer.PublicKey().Marshal(), ns: testNS, hash: hashAlg, sig: ssh.Marshal(s)}
	if mod != nil {
		mod(&f)
	}
	return armor(f.bytes())
}

func TestVerifyCraftedBlobs(t *testing.T) {
	signer := seedSigner(t, 10)
	msg := []byte("payload")
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaSigner, err := ssh.NewSignerFromKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	sk := newSKKey(t, 11, 0) // no user presence
	good := craft(t, signer, msg, "sha512", nil)
	rewrap := func(width int, eol string) []byte {
		b64 := strings.TrimPrefix(string(good), "-----BEGIN SSH SIGNATURE-----\n")
		b64 = strings.TrimSuffix(b64, "-----END SSH SIGNATURE-----\n")
		b64 = strings.ReplaceAll(b64, "\n", "")
		out := "-----BEGIN SSH SIGNATURE-----" + eol
		for len(b64) > 0 {
			n := min(width, len(b64))
			out += b64[:n] + eol
			b64 = b64[n:]
		}
		return []byte(out + "-----END SSH SIGNATURE-----" + eol)
	}

	tests := []struct {
		name  string
		input []byte
		want  error // nil: must verify
	}{
		{"good sha512", good, nil},
		{"good sha256", craft(t, signer, msg, "sha256", nil), nil},
		{"rsa key", craft(t, rsaSigner, msg, "sha512", nil), ErrKeyType},
		{"sk key without user presence", craft(t, sk, msg, "sha512", nil), ErrBadSignature},
		{"bad magic", craft(t, signer, msg, "sha512", func(f *blobFields) { f.magic = "SSHSIH" }), ErrMalformed},
		{"short magic", armor([]byte("SSH")), ErrMalformed},
		{"version 0", craft(t, signer, msg, "sha512", func(f *blobFields) { f.version = 0 }), ErrUnsupported},
		{"version 2", craft(t, signer, msg, "sha512", func(f *blobFields) { f.version = 2 }), ErrUnsupported},
		{"trailing data", craft(t, signer, msg, "sha512", func(f *blobFields) { f.trailing = []byte{0} }), ErrMalformed},
		{"reserved not empty", craft(t, signer, msg, "sha512", func(f *blobFields) { f.reserved = []byte("tag") }), ErrUnsupported},
		{"hash md5", craft(t, signer, msg, "sha512", func(f *blobFields) { f.hash = "md5" }), ErrUnsupported},
		{"hash claims sha256 but sha512 used", craft(t, signer, msg, "sha512", func(f *blobFields) { f.hash = "sha256" }), ErrBadSignature},
		{"other namespace", craft(t, signer, msg, "sha512", func(f *blobFields) { f.ns = "other" }), ErrNamespace},
		{"empty namespace", craft(t, signer, msg, "sha512", func(f *blobFields) { f.ns = "" }), ErrMalformed},
		{"garbage key", craft(t, signer, msg, "sha512", func(f *blobFields) { f.key = []byte("nonsense") }), ErrMalformed},
		{"key with trailing junk", craft(t, signer, msg, "sha512", func(f *blobFields) { f.key = append(f.key, 0) }), ErrMalformed},
		{"other key", craft(t, signer, msg, "sha512", func(f *blobFields) { f.key = seedSigner(t, 12).PublicKey().Marshal() }), ErrBadSignature},
		{"sig with trailing byte", craft(t, signer, msg, "sha512", func(f *blobFields) { f.sig = append(f.sig, 0) }), ErrMalformed},
		{"sig truncated", craft(t, signer, msg, "sha512", func(f *blobFields) { f.sig = f.sig[:len(f.sig)-1] }), ErrMalformed},
		{"sig wrong format", craft(t, signer, msg, "sha512", func(f *blobFields) {
			var s ssh.Signature
			_ = ssh.Unmarshal(f.sig, &s)
			s.Format = "ssh-rsa"
			f.sig = ssh.Marshal(s)
		}), ErrMalformed},
		{"empty blob", armor(nil), ErrMalformed},
		{"empty input", nil, ErrMalformed},
		{"header only", []byte("-----BEGIN SSH SIGNATURE-----\n"), ErrMalformed},
		{"header and footer", []byte("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"), ErrMalformed},
		{"no final newline", good[:len(good)-1], ErrMalformed},
		{"extra final newline", append(bytes.Clone(good), '\n'), ErrMalformed},
		{"leading newline", append([]byte("\n"), good...), ErrMalformed},
		{"text after footer", append(bytes.Clone(good), "x"...), ErrMalformed},
		{"CRLF line ends", rewrap(70, "\r\n"), ErrMalformed},
		{"wrapped at 76", rewrap(76, "\n"), ErrMalformed},
		{"wrapped at 64", rewrap(64, "\n"), ErrMalformed},
		{"canonical rewrap", rewrap(70, "\n"), nil},
		{"oversized", append(bytes.Clone(good), bytes.Repeat([]byte{'\n'}, MaxSignatureSize)...), ErrMalformed},
		{"not armored", []byte("SSHSIG"), ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, err := Verify(tc.input, msg, testNS)
			if tc.want == nil {
				if err != nil || key == nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if key != nil {
				t.Fatal("a key was returned with an error")
			}
			wantErr(t, err, tc.want)
			t.Log(err)
			if !strings.HasPrefix(err.Error(), "sshsig: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}
