package bank_test

import (
	"archive/tar"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ispit/bank"
	"ispit/internal/sshsig"
)

func TestParseRosterCSV(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []bank.Candidate
	}{
		{"commas", "code,name,position,language\nA-1,Emina Hodžić,P-1/2026,bs\nA-2,Ivana Kovačević,P-2/2026,hr\n",
			[]bank.Candidate{{"A-1", "Emina Hodžić", "P-1/2026", "bs"}, {"A-2", "Ivana Kovačević", "P-2/2026", "hr"}}},
		{"semicolons", "code;name;position;language\nA-1;Emina Hodžić;P-1/2026;bs\nA-2;Ivana Kovačević;P-2/2026;\n",
			[]bank.Candidate{{"A-1", "Emina Hodžić", "P-1/2026", "bs"}, {"A-2", "Ivana Kovačević", "P-2/2026", ""}}},
		{"semicolons with commas in names", "code;name;position\nA-1;Hodžić, Emina;P-1/2026\n",
			[]bank.Candidate{{"A-1", "Hodžić, Emina", "P-1/2026", ""}}},
		{"byte order mark and CRLF", "\ufeffcode,name,position\r\nA-1,Emina Hodžić,P-1/2026\r\n",
			[]bank.Candidate{{"A-1", "Emina Hodžić", "P-1/2026", ""}}},
		{"header in any order and case", "Position, LANGUAGE ,Name,Code\nP-1/2026,sr-Cyrl,Драгана Петровић,A-1\nP-1/2026,sq,Arbër Krasniqi,A-2\n",
			[]bank.Candidate{{"A-1", "Драгана Петровић", "P-1/2026", "sr-Cyrl"}, {"A-2", "Arbër Krasniqi", "P-1/2026", "sq"}}},
		{"no language column", "name,code,position\nAlbulena Bytyçi,A-1,P-1/2026\nМилош Јовановић,A-2,P-1/2026",
			[]bank.Candidate{{"A-1", "Albulena Bytyçi", "P-1/2026", ""}, {"A-2", "Милош Јовановић", "P-1/2026", ""}}},
		{"blank lines", "\n\ncode,name,position\n\nA-1,Emina Hodžić,P-1/2026\n\n\nA-2,Ivana Kovačević,P-1/2026\n\n",
			[]bank.Candidate{{"A-1", "Emina Hodžić", "P-1/2026", ""}, {"A-2", "Ivana Kovačević", "P-1/2026", ""}}},
		{"blank lines before a semicolon header", "\n\ncode;name;position\nA-1;Emina Hodžić;P-1/2026\n",
			[]bank.Candidate{{"A-1", "Emina Hodžić", "P-1/2026", ""}}},
		{"quoted fields", "code,name,position\n\"A-1\",\"Hodžić, Emina\",\"P-1/2026\"\nA-2,\"Petar \"\"Pero\"\" Perić\",P-1/2026\n",
			[]bank.Candidate{{"A-1", "Hodžić, Emina", "P-1/2026", ""}, {"A-2", `Petar "Pero" Perić`, "P-1/2026", ""}}},
		{"spaces around fields", "code , name , position , language\n  A-1 ,  Çelik Gashi , P-1/2026 , sq \n",
			[]bank.Candidate{{"A-1", "Çelik Gashi", "P-1/2026", "sq"}}},
		{"every language", "code,name,position,language\nA,a,P,bs\nB,b,P,hr\nC,c,P,sr-Latn\nD,d,P,sr-Cyrl\nE,e,P,sq\nF,f,P,en\n",
			[]bank.Candidate{{"A", "a", "P", "bs"}, {"B", "b", "P", "hr"}, {"C", "c", "P", "sr-Latn"}, {"D", "d", "P", "sr-Cyrl"}, {"E", "e", "P", "sq"}, {"F", "f", "P", "en"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := bank.ParseRosterCSV([]byte(tt.csv))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Candidates, tt.want) {
				t.Errorf("got  %q\nwant %q", r.Candidates, tt.want)
			}
			if r.Signer != "" {
				t.Errorf("an unsigned roster has signer %q", r.Signer)
			}
		})
	}
}

func TestParseRosterCSVErrors(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"empty", "", "roster is empty; it needs a header row (code, name, position and, optionally, language)"},
		{"only a byte order mark", "\ufeff", "roster is empty; it needs a header row (code, name, position and, optionally, language)"},
		{"header only", "code,name,position\n", "roster lists no candidates"},
		{"header and blank lines", "code,name,position\n\n  \n", "roster lists no candidates"},
		{"unknown column", "code,name,positon\n", `roster line 1: unknown column "positon" (columns: code, name, position, language)`},
		{"unknown column after blank lines", "\n\ncode,name,position,email\n", `roster line 3: unknown column "email" (columns: code, name, position, language)`},
		{"empty column", "code,name,position,\n", `roster line 1: unknown column "" (columns: code, name, position, language)`},
		{"missing column", "code,name,language\nA-1,Emina,bs\n", `roster line 1: the header has no "position" column`},
		{"column twice", "code,name,position,Name\n", `roster line 1: column "name" appears twice`},
		{"bad code", "code,name,position\nA-1,Emina,P-1\nA 2,Ivana,P-1\n", `roster line 3: candidate code "A 2" is not allowed (letters, digits, '.', '/', '_', '-', at most 32)`},
		{"empty code", "code,name,position\n,Emina,P-1\n", `roster line 2: candidate code "" is not allowed (letters, digits, '.', '/', '_', '-', at most 32)`},
		{"long code", "code,name,position\n" + strings.Repeat("A", 33) + ",Emina,P-1\n", `roster line 2: candidate code "` + strings.Repeat("A", 33) + `" is not allowed (letters, digits, '.', '/', '_', '-', at most 32)`},
		{"duplicate code", "code,name,position\nA-1,Emina,P-1\nB-1,Ivana,P-1\n\na-1,Marko,P-1\n", "roster line 5: candidate code a-1 is already on line 2"},
		{"bad language", "code,name,position,language\nA-1,Emina,P-1,de\n", "roster line 2: candidate A-1 has language \"de\"; use one of bs, hr, sr-Latn, sr-Cyrl, sq, en or leave it empty"},
		{"language in the wrong case", "code,name,position,language\nA-1,Emina,P-1,sr-cyrl\n", "roster line 2: candidate A-1 has language \"sr-cyrl\"; use one of bs, hr, sr-Latn, sr-Cyrl, sq, en or leave it empty"},
		{"too few fields", "code,name,position\nA-1,Emina,P-1\nA-2,Ivana\n", "roster line 3: 2 fields where the header has 3"},
		{"too many fields", "code;name;position\nA-1;Emina;P-1;bs\n", "roster line 2: 4 fields where the header has 3"},
		{"name missing", "code,name,position\nA-1, ,P-1\n", "roster line 2: candidate A-1 needs a name of at most 200 characters"},
		{"name too long", "code,name,position\nA-1," + strings.Repeat("Ž", 201) + ",P-1\n", "roster line 2: candidate A-1 needs a name of at most 200 characters"},
		{"name with a line break", "code,name,position\nA-1,\"Emina\nHodžić\",P-1\n", "roster line 2: candidate A-1 has a line break or other control character in the name"},
		{"bad position", "code,name,position\nA-1,Emina,P 1\n", `roster line 2: candidate A-1 has position code "P 1", which is not allowed`},
		{"bare quote", "code,name,position\nA-1,Emina \"E\" H,P-1\n", `roster line 2: bare " in non-quoted-field`},
		{"open quote", "code,name,position\nA-1,\"Emina,P-1\n", `roster line 2: extraneous or missing " in quoted-field`},
		{"not UTF-8", "code,name,position\nA-1,Emina,P-1\nA-2,Hod\xe8i\xe6,P-1\n", `roster line 3: not UTF-8 text (save the roster as "CSV UTF-8")`},
		{"not UTF-8 in the header", "c\xf6de,name,position\n", `roster line 1: not UTF-8 text (save the roster as "CSV UTF-8")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := bank.ParseRosterCSV([]byte(tt.csv))
			if err == nil {
				t.Fatalf("parsed %+v; want %s", r, tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRosterCandidate(t *testing.T) {
	r, err := bank.ParseRosterCSV([]byte("code,name,position\nDEMO-0001,Emina Hodžić,P-1\nDEMO-0002,Драгана Петровић,P-2\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"DEMO-0002", "demo-0002", " Demo-0002 "} {
		c, ok := r.Candidate(code)
		if !ok || c.Name != "Драгана Петровић" {
			t.Errorf("Candidate(%q) = %+v, %v", code, c, ok)
		}
	}
	if c, ok := r.Candidate("DEMO-0003"); ok {
		t.Errorf("found %+v", c)
	}
}

// rosterTestNow is when the roster tests check signatures.
var rosterTestNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// rosterTestKey makes an authority key; it returns the signer and the public key line.
func rosterTestKey(t testing.TB) (ssh.Signer, []byte) {
	t.Helper()
	priv, pub, err := sshsig.GenerateKey("roster test authority")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, pub
}

// rosterTrust is a trust list that allows the key, as principal authority@test, with the
// allowed_signers options given ("" for none).
func rosterTrust(t testing.TB, options string, pub []byte) *sshsig.Trust {
	t.Helper()
	if options != "" {
		options += " "
	}
	trust, err := sshsig.ParseTrust([]byte("authority@test " + options + string(pub)))
	if err != nil {
		t.Fatal(err)
	}
	return trust
}

// rosterFile writes a roster file the way SignRoster lays it out: a ustar archive of
// roster.csv and roster.csv.sig.
func rosterFile(t testing.TB, csv, sig []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"roster.csv", csv}, {"roster.csv.sig", sig}} {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: m.name, Size: int64(len(m.data)), Mode: 0o644, ModTime: time.Unix(0, 0), Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const rosterTestCSV = "code;name;position;language\nA-1;Emina Hodžić;P-1/2026;bs\nA-2;Драгана Петровић;P-1/2026;sr-Cyrl\nA-3;Arbër Krasniqi;P-2/2026;\n"

func TestSignedRosterRoundTrip(t *testing.T) {
	signer, pub := rosterTestKey(t)
	trust := rosterTrust(t, `namespaces="roster@ispit"`, pub)
	file, err := bank.SignRoster([]byte(rosterTestCSV), signer)
	if err != nil {
		t.Fatal(err)
	}
	if bank.Kind(file) != bank.KindRoster {
		t.Errorf("Kind is %v", bank.Kind(file))
	}
	r, err := bank.ReadRoster(file, trust, rosterTestNow)
	if err != nil {
		t.Fatal(err)
	}
	want, err := bank.ParseRosterCSV([]byte(rosterTestCSV))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Candidates, want.Candidates) || r.Signer != "authority@test" {
		t.Errorf("read %+v", r)
	}
	// The file is a plain tar archive of the CSV and its SSHSIG signature.
	sig, err := sshsig.Sign(signer, bank.NamespaceRoster, []byte(rosterTestCSV))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bank.ReadRoster(rosterFile(t, []byte(rosterTestCSV), sig), trust, rosterTestNow); err != nil {
		t.Errorf("a roster signed with sshsig directly: %v", err)
	}
	// A plain public key line trusts the key with an empty principal.
	plain, err := sshsig.ParseTrust(pub)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := bank.ReadRoster(file, plain, rosterTestNow); err != nil || r.Signer != "" {
		t.Errorf("with a plain key line: %+v, %v", r, err)
	}
}

func TestSignRosterRefusesBadCSV(t *testing.T) {
	signer, _ := rosterTestKey(t)
	_, err := bank.SignRoster([]byte("code,name\nA-1,Emina\n"), signer)
	if want := `roster line 1: the header has no "position" column`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestReadRosterRefuses(t *testing.T) {
	signer, pub := rosterTestKey(t)
	other, otherPub := rosterTestKey(t)
	trust := rosterTrust(t, "", pub)
	csv := []byte(rosterTestCSV)
	file, err := bank.SignRoster(csv, signer)
	if err != nil {
		t.Fatal(err)
	}
	otherFile, err := bank.SignRoster(csv, other)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(namespace string, data []byte) []byte {
		sig, err := sshsig.Sign(signer, namespace, data)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	changed := bytes.Clone(file)
	changed[bytes.Index(changed, []byte("Emina"))] = 'X'
	badCSV := []byte("code,name,position\nA 1,Emina,P-1\n")

	tests := []struct {
		name  string
		file  []byte
		trust *sshsig.Trust
		want  error
	}{
		{"another key", otherFile, trust, bank.ErrUntrusted},
		{"a list without the key", file, rosterTrust(t, "", otherPub), bank.ErrUntrusted},
		{"a key not valid yet", file, rosterTrust(t, `valid-after="20300101"`, pub), bank.ErrUntrusted},
		{"a key expired", file, rosterTrust(t, `valid-before="20260101"`, pub), bank.ErrUntrusted},
		{"a key for banks only", file, rosterTrust(t, `namespaces="bank-manifest@ispit"`, pub), bank.ErrUntrusted},
		{"a changed byte in the CSV", changed, trust, bank.ErrBadSignature},
		{"a signature for banks", rosterFile(t, csv, sign(bank.NamespaceBank, csv)), trust, bank.ErrBadSignature},
		{"a signature of other data", rosterFile(t, csv, sign(bank.NamespaceRoster, csv[1:])), trust, bank.ErrBadSignature},
		{"a signed roster that does not parse", rosterFile(t, badCSV, sign(bank.NamespaceRoster, badCSV)), trust, bank.ErrMalformed},
		{"empty", nil, trust, bank.ErrMalformed},
		{"CSV without signature", csv, trust, bank.ErrMalformed},
		{"contents swapped", rosterFile(t, sign(bank.NamespaceRoster, csv), csv), trust, bank.ErrBadSignature},
		{"trailing data", append(bytes.Clone(file), 0), trust, bank.ErrMalformed},
		{"trailing block", append(bytes.Clone(file), make([]byte, 512)...), trust, bank.ErrMalformed},
		{"truncated", file[:len(file)-512], trust, bank.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := bank.ReadRoster(tt.file, tt.trust, rosterTestNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, %v; want %v", r, err, tt.want)
			}
			if r != nil {
				t.Errorf("returned a roster with the error")
			}
		})
	}
}

// TestEverySingleByteChangeOfARosterIsRefused changes each byte of a small signed roster file
// in two ways; every change must be refused, and for a reason a reader expects.
func TestEverySingleByteChangeOfARosterIsRefused(t *testing.T) {
	signer, pub := rosterTestKey(t)
	trust := rosterTrust(t, "", pub)
	file, err := bank.SignRoster([]byte("code,name,position\nA-1,Emina Hodžić,P-1\n"), signer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bank.ReadRoster(file, trust, rosterTestNow); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(file)
	for i := range file {
		for _, flip := range []byte{0x01, 0xff} {
			changed[i] = file[i] ^ flip
			r, err := bank.ReadRoster(changed, trust, rosterTestNow)
			switch {
			case err == nil:
				t.Fatalf("byte %d ^ %#x: the changed roster was accepted: %+v", i, flip, r)
			case !errors.Is(err, bank.ErrMalformed) && !errors.Is(err, bank.ErrBadSignature) && !errors.Is(err, bank.ErrUntrusted):
				t.Fatalf("byte %d ^ %#x: refused for an unexpected reason: %v", i, flip, err)
			case r != nil:
				t.Fatalf("byte %d ^ %#x: returned a roster with the error", i, flip)
			}
		}
		changed[i] = file[i]
	}
	t.Logf("%d positions", len(file))
}
