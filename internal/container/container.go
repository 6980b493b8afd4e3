// Package container reads and writes the tar archives Ispit's files are made of: POSIX ustar,
// regular files only, mode 0644, owner 0/0, modification time 0, so that an operator can take
// them apart with `tar -xf`. Readers accept only the canonical archive Write makes: the members
// are parsed, written again, and the result must be the input byte for byte, so no byte of a
// file can change unnoticed.
package container

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Member is one file of an archive.
type Member struct {
	Name string
	Data []byte
}

// namePattern is what member names may be; every such name fits a ustar header.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$`)

// epoch is the modification time of every member, so that archives are reproducible.
var epoch = time.Unix(0, 0).UTC()

// article puts "a" or "an" before what, for messages.
func article(what string) string {
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// ErrNotCanonical reports an archive that parses but is not byte for byte what Write makes.
var ErrNotCanonical = errors.New("it has been altered (it is not byte for byte as written)")

// Write makes the archive of members. Names must match the member name rules; Write panics
// otherwise, as that is a programming error.
func Write(members []Member) []byte {
	var buf bytes.Buffer
	buf.Grow(archiveSize(members))
	writeTo(&buf, members)
	return buf.Bytes()
}

// archiveSize is the size of the archive of members: a 512-byte header and the data padded to
// 512 bytes for each, then two zero blocks.
func archiveSize(members []Member) int {
	n := 1024
	for _, m := range members {
		n += 512 + (len(m.Data)+511)/512*512
	}
	return n
}

func writeTo(w io.Writer, members []Member) {
	tw := tar.NewWriter(w)
	for _, m := range members {
		if !namePattern.MatchString(m.Name) {
			panic("container: member name not allowed: " + m.Name)
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     m.Name,
			Size:     int64(len(m.Data)),
			Mode:     0o644,
			ModTime:  epoch,
			Format:   tar.FormatUSTAR,
		}
		// Writing to a bytes.Buffer cannot fail, and the name was checked above.
		if err := tw.WriteHeader(hdr); err != nil {
			panic("container: writing archive header: " + err.Error())
		}
		tw.Write(m.Data)
	}
	tw.Close()
}

// sameWriter compares what is written to it with want, without keeping it.
type sameWriter struct {
	want []byte
	off  int
	same bool
}

func (w *sameWriter) Write(p []byte) (int, error) {
	if w.same && (w.off+len(p) > len(w.want) || !bytes.Equal(p, w.want[w.off:w.off+len(p)])) {
		w.same = false
	}
	w.off += len(p)
	return len(p), nil
}

// isCanonical reports whether data is exactly the archive Write makes of members.
func isCanonical(data []byte, members []Member) bool {
	if archiveSize(members) != len(data) {
		return false
	}
	w := &sameWriter{want: data, same: true}
	writeTo(w, members)
	return w.same && w.off == len(data)
}

// ReadNamed reads an archive with members of exactly these names, in this order, each at most
// limit bytes. what names the file in errors ("bank", "roster", …).
func ReadNamed(data []byte, what string, limit int64, names ...string) ([][]byte, error) {
	members, err := Read(data, what, limit, len(names))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(names))
	for i, name := range names {
		if i >= len(members) {
			return nil, fmt.Errorf("not %s file: %s is missing", article(what), name)
		}
		if members[i].Name != name {
			return nil, fmt.Errorf("not %s file: found %q where %q belongs", article(what), members[i].Name, name)
		}
		out[i] = members[i].Data
	}
	return out, nil
}

// Read reads a canonical archive of at most maxMembers regular files of at most limit bytes each.
func Read(data []byte, what string, limit int64, maxMembers int) ([]Member, error) {
	tr := tar.NewReader(bytes.NewReader(data))
	var members []Member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not %s file: %v", article(what), err)
		}
		if len(members) == maxMembers {
			return nil, fmt.Errorf("not %s file: it has more than %d members", article(what), maxMembers)
		}
		if !namePattern.MatchString(hdr.Name) {
			return nil, fmt.Errorf("not %s file: it has a member named %q", article(what), hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Size < 0 || hdr.Size > limit {
			return nil, fmt.Errorf("not %s file: %s is not a regular file of at most %d bytes", article(what), hdr.Name, limit)
		}
		body := make([]byte, hdr.Size)
		if _, err := io.ReadFull(tr, body); err != nil {
			return nil, fmt.Errorf("not %s file: %s: %v", article(what), hdr.Name, err)
		}
		members = append(members, Member{hdr.Name, body})
	}
	if !isCanonical(data, members) {
		return nil, fmt.Errorf("%s file: %w", what, ErrNotCanonical)
	}
	return members, nil
}

// FirstName returns the name of an archive's first member, or "" if it has none; it checks
// nothing else.
func FirstName(data []byte) string {
	hdr, err := tar.NewReader(bytes.NewReader(data)).Next()
	if err != nil {
		return ""
	}
	return hdr.Name
}
