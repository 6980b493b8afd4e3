package sheet

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// Test vector: the message and the Ispit-Signature value of a request signed with the
// Ed25519 key whose seed is 32 bytes of 0x01 (Ed25519 signatures are deterministic).
func TestRequestVector(t *testing.T) {
	msg := mustMessage(t, "room-1-pc-07", "POST", "/v1/sheets", []byte("sealed sheet"))
	want := "ispit-upload/1\nPOST\n/v1/sheets\nroom-1-pc-07\n" +
		"2788f1b88c5a0e618d58f122eb532f7d442eb06122e83ab89469a36a28a620a9\n"
	if string(msg) != want {
		t.Fatalf("message %q, want %q", msg, want)
	}
	header, err := SignRequest(seedSigner(t, 1), "room-1-pc-07", "POST", "/v1/sheets", []byte("sealed sheet"))
	if err != nil {
		t.Fatal(err)
	}
	if header != requestVector {
		t.Fatalf("header value\n%s\nwant\n%s", header, requestVector)
	}
}

func TestRequestSignature(t *testing.T) {
	terminal, other := seedSigner(t, 1), seedSigner(t, 2)
	body := []byte("the sealed sheet")
	header, err := SignRequest(terminal, "room-1-pc-07", "POST", "/v1/sheets", body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(header, "\r\n -") || len(header) > MaxRequestSignatureSize {
		t.Fatalf("header value %q", header)
	}
	key := terminal.PublicKey()
	if err := VerifyRequest(header, "room-1-pc-07", "POST", "/v1/sheets", body, key); err != nil {
		t.Fatal(err)
	}
	// The header value is the armored signature without its armor lines.
	if _, err := sshsig.Verify(rearmor(header), mustMessage(t, "room-1-pc-07", "POST", "/v1/sheets", body), NamespaceUpload); err != nil {
		t.Fatal(err)
	}
	headerSig, err := SignRequest(terminal, "room-1-pc-07", "POST", "/v1/sheets", body)
	if err != nil || headerSig != header {
		t.Fatal("signing the same request twice gives another value")
	}
	// A signature over the same message in another namespace.
	armored, err := sshsig.Sign(terminal, NamespaceHeader, mustMessage(t, "room-1-pc-07", "POST", "/v1/sheets", body))
	if err != nil {
		t.Fatal(err)
	}
	otherNS := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(string(armored), armorBegin), armorEnd), "\n", "")

	for _, tc := range []struct {
		name                   string
		header, terminal, meth string
		path                   string
		body                   []byte
		key                    ssh.PublicKey
		want                   error
	}{
		{"other method", header, "room-1-pc-07", "PUT", "/v1/sheets", body, key, ErrSignature},
		{"other path", header, "room-1-pc-07", "POST", "/v1/sheets/x", body, key, ErrSignature},
		{"path with query", header, "room-1-pc-07", "POST", "/v1/sheets?x=1", body, key, ErrSignature},
		{"other terminal", header, "room-1-pc-08", "POST", "/v1/sheets", body, key, ErrSignature},
		{"other body", header, "room-1-pc-07", "POST", "/v1/sheets", []byte("the sealed sheeT"), key, ErrSignature},
		{"no body", header, "room-1-pc-07", "POST", "/v1/sheets", nil, key, ErrSignature},
		{"other key", header, "room-1-pc-07", "POST", "/v1/sheets", body, other.PublicKey(), ErrSignature},
		{"other namespace", otherNS, "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrSignature},
		{"empty header", "", "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"armored header", string(armored), "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"not base64", header[:len(header)-4] + "!!!!", "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"space in header", " " + header, "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"truncated header", header[:len(header)-4], "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrSignature},
		{"huge header", strings.Repeat("A", MaxRequestSignatureSize+4), "room-1-pc-07", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"bad terminal id", header, "room 1", "POST", "/v1/sheets", body, key, ErrMalformed},
		{"lower-case method", header, "room-1-pc-07", "post", "/v1/sheets", body, key, ErrMalformed},
		{"relative path", header, "room-1-pc-07", "POST", "v1/sheets", body, key, ErrMalformed},
		{"path with newline", header, "room-1-pc-07", "POST", "/v1/sheets\nPOST", body, key, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, VerifyRequest(tc.header, tc.terminal, tc.meth, tc.path, tc.body, tc.key), tc.want)
		})
	}
	wantErr(t, VerifyRequest(header, "room-1-pc-07", "POST", "/v1/sheets", body, nil), ErrSignature)

	// Every single-byte change of the header value is refused.
	tried := 0
	for i := range header {
		for _, c := range []byte{'A', 'B', '/', '+', '='} {
			if header[i] == c {
				continue
			}
			bad := header[:i] + string(c) + header[i+1:]
			tried++
			err := VerifyRequest(bad, "room-1-pc-07", "POST", "/v1/sheets", body, key)
			if !errors.Is(err, ErrSignature) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("byte %d changed to %q: %v", i, c, err)
			}
		}
	}
	t.Logf("%d altered header values refused", tried)
}

func TestSignRequestRefuses(t *testing.T) {
	terminal := seedSigner(t, 1)
	for _, tc := range []struct{ terminal, method, path string }{
		{"", "POST", "/v1/sheets"},
		{"a/b", "POST", "/v1/sheets"},
		{"t1", "", "/v1/sheets"},
		{"t1", "POST\n", "/v1/sheets"},
		{"t1", "POST", ""},
		{"t1", "POST", "/v1 sheets"},
		{"t1", "POST", "/" + strings.Repeat("a", maxPathSize)},
	} {
		_, err := SignRequest(terminal, tc.terminal, tc.method, tc.path, nil)
		wantErr(t, err, ErrInvalid)
	}
	_, err := SignRequest(nil, "t1", "POST", "/v1/sheets", nil)
	wantErr(t, err, ErrInvalid)
}

func mustMessage(t *testing.T, terminal, method, path string, body []byte) []byte {
	t.Helper()
	msg, err := requestMessage(terminal, method, path, body)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// requestVector is the Ispit-Signature value of TestRequestVector.
const requestVector = "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1wAAAAMdXBsb2FkQGlzcGl0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5AAAAQJzqxCJw0l1YQcqemDoAx5P905EvHzlGvHnhcnGlb1Wh5nLrTtDCz1jCivcbMTs3TwMB5vMgHzgHQC19CiAMigc="
