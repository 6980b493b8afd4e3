package bank

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// Banks, answer keys, rosters and payloads are tar archives (POSIX ustar) with a fixed list of
// members in a fixed order, so that an operator can take them apart with `tar -xf`. Readers
// accept only the canonical archive the writer makes: the members are parsed, written again,
// and the result must be the input byte for byte. No byte of a file can change unnoticed.

type member struct {
	name string
	data []byte
}

// memberNamePattern is what member names may be; every such name fits a ustar header.
var memberNamePattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/-]{0,99}$`)

// containerEpoch is the modification time of every member, so that archives are reproducible.
var containerEpoch = time.Unix(0, 0).UTC()

func writeContainer(members []member) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     m.name,
			Size:     int64(len(m.data)),
			Mode:     0o644,
			ModTime:  containerEpoch,
			Format:   tar.FormatUSTAR,
		}
		// Writing to a bytes.Buffer cannot fail, and names and sizes are ours.
		if err := tw.WriteHeader(hdr); err != nil {
			panic("bank: writing archive header: " + err.Error())
		}
		tw.Write(m.data)
	}
	tw.Close()
	return buf.Bytes()
}

// errNotCanonical reports an archive that parses but is not byte for byte what we write.
var errNotCanonical = errors.New("it has been altered (it is not byte for byte as written)")

// readContainer reads an archive made by writeContainer with members of exactly these names, in
// this order, each at most limit bytes. what names the file in errors ("bank", "roster", …).
func readContainer(data []byte, what string, limit int64, names ...string) ([][]byte, error) {
	members, err := readMembers(data, what, limit, len(names))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(names))
	for i, name := range names {
		if i >= len(members) {
			return nil, fmt.Errorf("not a %s file: %s is missing", what, name)
		}
		if members[i].name != name {
			return nil, fmt.Errorf("not a %s file: found %q where %q belongs", what, members[i].name, name)
		}
		out[i] = members[i].data
	}
	return out, nil
}

// readMembers reads a canonical archive of at most maxMembers regular files of at most limit
// bytes each.
func readMembers(data []byte, what string, limit int64, maxMembers int) ([]member, error) {
	tr := tar.NewReader(bytes.NewReader(data))
	var members []member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a %s file: %v", what, err)
		}
		if len(members) == maxMembers {
			return nil, fmt.Errorf("not a %s file: it has more than %d members", what, maxMembers)
		}
		if !memberNamePattern.MatchString(hdr.Name) {
			return nil, fmt.Errorf("not a %s file: it has a member named %q", what, hdr.Name)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Size < 0 || hdr.Size > limit {
			return nil, fmt.Errorf("not a %s file: %s is not a regular file of at most %d bytes", what, hdr.Name, limit)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("not a %s file: %s: %v", what, hdr.Name, err)
		}
		members = append(members, member{hdr.Name, body})
	}
	if !bytes.Equal(writeContainer(members), data) {
		return nil, fmt.Errorf("%s file: %w", what, errNotCanonical)
	}
	return members, nil
}
