package sshsig

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// FuzzVerify feeds arbitrary input to Verify, both as a signature file and
// as the blob inside canonical armor (so that the fuzzer reaches the blob
// parser). Verify must never panic, and since any change of a valid
// signature file is refused, the only inputs it may accept are the valid
// signatures made here.
func FuzzVerify(f *testing.F) {
	msg := []byte("fuzz message\n")
	const ns = "ispit-fuzz"
	var valid [][]byte
	for _, signer := range []ssh.Signer{seedSigner(f, 90), newSKKey(f, 91, 1)} {
		sig, err := Sign(signer, ns, msg)
		if err != nil {
			f.Fatal(err)
		}
		valid = append(valid, sig)
		f.Add(sig)
		// A few near misses, to start the fuzzer close to valid input.
		f.Add(bytes.Replace(sig, []byte("\n"), []byte("\r\n"), -1))
		f.Add(sig[:len(sig)-1])
		f.Add(append(bytes.Clone(sig), '\n'))
		blob, _ := dearmor(sig)
		f.Add(blob) // raw blobs: the target also tries armor(data)
		f.Add(armor(append(blob, 0)))
		f.Add(armor(blob[:len(blob)/2]))
	}
	f.Add([]byte("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"))
	f.Add([]byte("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"))
	f.Add([]byte{})

	check := func(t *testing.T, input []byte) {
		key, err := Verify(input, msg, ns)
		if err != nil {
			if key != nil {
				t.Fatal("key returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "sshsig: ") {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		for _, v := range valid {
			if bytes.Equal(v, input) {
				return
			}
		}
		t.Fatalf("Verify accepted an input that is not one of the valid signatures:\n%q", input)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data)        // data as a signature file
		check(t, armor(data)) // data as the blob inside canonical armor
	})
}

// FuzzParseTrust feeds arbitrary trust lists to ParseTrust. It must never
// panic; whatever it accepts must have keys, line numbers in range, and be
// usable by Check.
func FuzzParseTrust(f *testing.F) {
	k := pubLine(seedSigner(f, 92).PublicKey())
	sk := pubLine(newSKKey(f, 93, 1).PublicKey())
	for _, s := range []string{
		k + "\n",
		k + " comment with spaces\n" + sk + "\n",
		"# comment\n\nalice@example.org " + k + "\n",
		"a@b,c@d namespaces=\"ispit-*,!ispit-x\" " + k + " c\n",
		"a@b valid-after=\"20260101\",valid-before=\"20270101Z\" " + sk + "\n",
		"a@b namespaces=\"a \\\"q\\\" b\" " + k + "\r\n",
		"*@x cert-authority " + k + "\n",
		"a@b namespaces=\"x\n",
		"ssh-ed25519 AAAA\n",
		"a@b valid-after=\"20260101UTC\" " + k + "\n",
	} {
		f.Add([]byte(s))
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		trust, err := ParseTrust(data)
		if err != nil {
			if trust != nil {
				t.Fatal("trust returned with an error")
			}
			return
		}
		keys := trust.Keys()
		if len(keys) == 0 {
			t.Fatal("accepted a trust list without keys")
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range keys {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("line %d out of range", e.Line)
			}
			if !supportedKeyType(e.Key.Type()) {
				t.Fatalf("accepted key type %s", e.Key.Type())
			}
			for _, ns := range []string{"ispit-bank", e.Namespaces, string(data)} {
				if ns == "" {
					continue
				}
				if _, err := trust.Check(e.Key, ns, at); err == nil && e.Namespaces != "" && !matchPatternList(ns, e.Namespaces) {
					t.Fatalf("Check allowed namespace %q outside %q", ns, e.Namespaces)
				}
			}
		}
	})
}
