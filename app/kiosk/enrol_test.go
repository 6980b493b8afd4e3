package kiosk

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write puts a file in dir and returns its path.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEnrolFile(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	var good map[string]any
	if err := json.Unmarshal(f.enrolment, &good); err != nil {
		t.Fatal(err)
	}
	variant := func(key string, value any) []byte {
		m := map[string]any{}
		for k, v := range good {
			m[k] = v
		}
		m[key] = value
		data, _ := json.Marshal(m)
		return data
	}
	bankData, _ := os.ReadFile(f.bankFile)
	refused := []struct {
		name string
		data []byte
		want error
	}{
		{"garbage", []byte("not an enrolment file\x00\x01"), ErrNotEnrolmentFile},
		{"empty", nil, ErrNotEnrolmentFile},
		{"a bank", bankData, ErrNotEnrolmentFile},
		{"other JSON", []byte(`{"data_dir": "d", "terminal_id": "T-01"}`), ErrNotEnrolmentFile},
		{"a JSON array", []byte(`[1, 2]`), ErrNotEnrolmentFile},
		{"a newer version", variant("format", "ispit-enrolment/2"), ErrEnrolmentVersion},
		{"a bad recipient", variant("sheet_recipient", "age1notarecipient"), ErrEnrolmentInvalid},
		{"a bad receipt key", variant("receipt_key", "ssh-ed25519 AAAA"), ErrEnrolmentInvalid},
		{"no certificate pin", variant("tls_cert_sha256", ""), ErrEnrolmentInvalid},
		{"an ftp address", variant("scorer_url", "ftp://127.0.0.1"), ErrEnrolmentInvalid},
		{"a huge file", bytes.Repeat([]byte(" "), maxEnrolmentFile+1), ErrNotEnrolmentFile},
	}
	for _, c := range refused {
		url, err := k.EnrolFile(write(t, f.dir, "enrolment.json", c.data))
		if !errors.Is(err, c.want) || url != "" {
			t.Errorf("%s: %q, %v; want %v", c.name, url, err, c.want)
		}
		if ok, _ := k.Enrolled(); ok {
			t.Fatalf("%s: a refused file enrolled the terminal", c.name)
		}
	}
	if _, err := k.EnrolFile(filepath.Join(f.dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}

	url, err := k.EnrolFile(write(t, f.dir, "enrolment.json", f.enrolment))
	if err != nil || !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("%q, %v", url, err)
	}
	if ok, got := k.Enrolled(); !ok || got != url {
		t.Fatalf("enrolled %v with %q", ok, got)
	}
	if _, err := k.EnrolFile(write(t, f.dir, "other.json", variant("tls_cert_sha256", ""))); !errors.Is(err, ErrEnrolmentInvalid) {
		t.Fatalf("no pin: %v", err)
	}
	if _, got := k.Enrolled(); got != url {
		t.Errorf("a refused file changed the scorer to %q", got)
	}

	// Not again while a session is open: its sheets go to one scorer.
	s := f.startSession(t, k)
	other := variant("scorer_url", "http://127.0.0.1:9")
	if _, err := k.EnrolFile(write(t, f.dir, "other.json", other)); !errors.Is(err, ErrSessionOpen) {
		t.Errorf("during a session: %v", err)
	}
	if err := s.End("proctor", "end"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.EnrolFile(write(t, f.dir, "other.json", other)); err != nil || got != "http://127.0.0.1:9" {
		t.Errorf("after the session: %q, %v", got, err)
	}
}

func TestExportPublicKey(t *testing.T) {
	f := newFixture(t)
	k, err := Open(f.config(t))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	stick := t.TempDir()
	write(t, stick, "T-01.pub", []byte("an old key"))
	path, err := k.ExportPublicKey(stick)
	if err != nil || path != filepath.Join(stick, "T-01.pub") {
		t.Fatalf("%q, %v", path, err)
	}
	got, _ := os.ReadFile(path)
	want, _ := os.ReadFile(k.PublicKeyFile())
	if !bytes.Equal(got, want) || !bytes.HasPrefix(got, []byte("ssh-ed25519 ")) {
		t.Errorf("exported %q, the key is %q", got, want)
	}
	if _, err := k.ExportPublicKey(filepath.Join(stick, "missing")); err == nil {
		t.Error("exported into a folder that does not exist")
	}
}
