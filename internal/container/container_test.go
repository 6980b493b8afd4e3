package container

import (
	"archive/tar"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	members := []Member{{"a.json", []byte(`{"x":1}`)}, {"dir/b.bin", bytes.Repeat([]byte{7}, 1000)}, {"empty", nil}}
	data := Write(members)
	if len(data) != archiveSize(members) {
		t.Fatalf("archive of %d bytes, archiveSize says %d", len(data), archiveSize(members))
	}
	got, err := Read(data, "test", 1<<20, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range got {
		if m.Name != members[i].Name || !bytes.Equal(m.Data, members[i].Data) {
			t.Fatalf("member %d = %q %d bytes", i, m.Name, len(m.Data))
		}
	}
	if FirstName(data) != "a.json" || FirstName([]byte("x")) != "" {
		t.Fatal("FirstName")
	}
	parts, err := ReadNamed(data, "test", 1<<20, "a.json", "dir/b.bin", "empty")
	if err != nil || string(parts[0]) != `{"x":1}` {
		t.Fatal(parts, err)
	}
}

// otherTar writes members as a tar tool might: valid, but not in our canonical form.
func otherTar(t *testing.T, mtime time.Time, format tar.Format, mode int64) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "a.json", Size: 2, Mode: mode, ModTime: mtime, Format: format})
	tw.Write([]byte("{}"))
	tw.Close()
	return buf.Bytes()
}

func TestRefusals(t *testing.T) {
	good := Write([]Member{{"a.json", []byte("{}")}, {"b", []byte("x")}})
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"other mtime", otherTar(t, time.Unix(1000, 0), tar.FormatUSTAR, 0o644), "altered"},
		{"other mode", otherTar(t, time.Unix(0, 0), tar.FormatUSTAR, 0o600), "altered"},
		{"trailing byte", append(bytes.Clone(good), 0), "altered"},
		{"truncated", good[:len(good)-600], ""},
		{"not a tar", []byte("hello"), "not a test file"},
		{"too many members", Write([]Member{{"a", nil}, {"b", nil}, {"c", nil}}), "more than 2 members"},
		{"too large a member", Write([]Member{{"a", make([]byte, 2000)}}), "at most 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.data, "test", 1024, 2)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := ReadNamed(good, "test", 1024, "b", "a.json"); err == nil || !strings.Contains(err.Error(), `found "a.json" where "b" belongs`) {
		t.Fatalf("order: %v", err)
	}
	if _, err := Read(otherTar(t, time.Unix(5, 0), tar.FormatUSTAR, 0o644), "test", 1024, 2); !errors.Is(err, ErrNotCanonical) {
		t.Fatalf("not wrapped: %v", err)
	}
}

func TestEverySingleByteChangeIsRefused(t *testing.T) {
	data := Write([]Member{{"a.json", []byte(`{"a":1}`)}, {"b.sig", []byte("signature")}})
	for i := range data {
		changed := bytes.Clone(data)
		changed[i] ^= 0x20
		members, err := Read(changed, "test", 1<<20, 10)
		if err != nil {
			continue
		}
		// A change inside member data is the one change the archive itself cannot see; the
		// signatures over the members catch it.
		if bytes.Equal(members[0].Data, []byte(`{"a":1}`)) && bytes.Equal(members[1].Data, []byte("signature")) {
			t.Fatalf("byte %d changed and nothing noticed", i)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(Write([]Member{{"a.json", []byte("{}")}}))
	f.Add([]byte("x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		members, err := Read(data, "fuzz", 1<<16, 8)
		if err != nil {
			return
		}
		if !bytes.Equal(Write(members), data) {
			t.Fatal("accepted an archive that is not canonical")
		}
	})
}
