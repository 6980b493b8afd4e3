package importer

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// A QTI content package is read in memory with limits: the zip file's size, its number of
// entries (counted in its central directory before archive/zip reads it), every entry's name
// (no way out of the package), and a budget of uncompressed bytes for everything read, so that
// a zip bomb costs no more than the budget.

// errBudget is running out of the package's budget of uncompressed bytes.
var errBudget = errors.New("the package holds more uncompressed data than is read (a zip bomb?)")

// packageLimits are the limits a package is read with; tests lower them.
var packageLimits = struct {
	entries int
	data    int64
}{MaxPackageEntries, MaxPackageData}

type zipPackage struct {
	files map[string]*zip.File
	cache map[string][]byte
	left  int64
}

func openPackage(data []byte) (*zipPackage, error) {
	if len(data) > MaxPackage {
		return nil, fmt.Errorf("the package is %d bytes; at most %d are read", len(data), MaxPackage)
	}
	if n := zipEntries(data); n > packageLimits.entries {
		return nil, fmt.Errorf("the package has more than %d entries", packageLimits.entries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("not a readable zip file: %v", err)
	}
	if zr == nil {
		return nil, fmt.Errorf("not a readable zip file: %v", err)
	}
	if len(zr.File) > packageLimits.entries {
		return nil, fmt.Errorf("the package has %d entries; at most %d are read", len(zr.File), packageLimits.entries)
	}
	p := &zipPackage{files: map[string]*zip.File{}, cache: map[string][]byte{}, left: packageLimits.data}
	for _, f := range zr.File {
		if !safeZipName(f.Name) {
			return nil, fmt.Errorf("the package's entry %q leads outside the package; refusing it", shortName(f.Name))
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := p.files[f.Name]; dup {
			return nil, fmt.Errorf("the package has two entries named %q", shortName(f.Name))
		}
		p.files[f.Name] = f
	}
	return p, nil
}

// safeZipName accepts a name that stays inside the package: relative, with '/', no '..'.
func safeZipName(name string) bool {
	n := strings.TrimSuffix(name, "/")
	switch {
	case n == "", strings.Contains(n, "\\"), strings.HasPrefix(n, "/"), len(n) >= 2 && n[1] == ':':
		return false
	}
	return fs.ValidPath(n)
}

// read returns an entry's content, at most limit bytes of it, from the package's budget.
func (p *zipPackage) read(name string, limit int64) ([]byte, error) {
	if data, ok := p.cache[name]; ok {
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
		}
		return data, nil
	}
	f := p.files[name]
	if f == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%s is %d bytes; at most %d are read", name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	defer rc.Close()
	budget := min(limit, p.left)
	data, err := io.ReadAll(io.LimitReader(rc, budget+1))
	p.left -= int64(len(data))
	switch {
	case int64(len(data)) > limit:
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	case int64(len(data)) > budget:
		return nil, errBudget
	case err != nil:
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	p.cache[name] = data
	return data, nil
}

// zipEntries counts the entries of a zip file's central directory, as archive/zip would read
// them, stopping past the limit; 0 when it cannot find the directory.
func zipEntries(data []byte) int {
	const endLen = 22
	if len(data) < endLen {
		return 0
	}
	from := max(0, len(data)-endLen-65535)
	end := bytes.LastIndex(data[from:], []byte("PK\x05\x06"))
	if end < 0 {
		return 0
	}
	end += from
	if end+endLen > len(data) {
		return 0
	}
	size := uint64(binary.LittleEndian.Uint32(data[end+12:]))
	offset := uint64(binary.LittleEndian.Uint32(data[end+16:]))
	// ZIP64: the locator before the end record points to the ZIP64 end record.
	if loc := end - 20; loc >= 0 && bytes.Equal(data[loc:loc+4], []byte("PK\x06\x07")) {
		if at := binary.LittleEndian.Uint64(data[loc+8:]); at < uint64(len(data)) && at+56 <= uint64(len(data)) && bytes.Equal(data[at:at+4], []byte("PK\x06\x06")) {
			size = binary.LittleEndian.Uint64(data[at+40:])
			offset = binary.LittleEndian.Uint64(data[at+48:])
		}
	}
	count := 0
	for _, start := range []uint64{offset, uint64(end) - size} {
		count = max(count, walkDirectory(data, start))
	}
	return count
}

func walkDirectory(data []byte, at uint64) int {
	n := 0
	for at < uint64(len(data)) && at+46 <= uint64(len(data)) && bytes.Equal(data[at:at+4], []byte("PK\x01\x02")) {
		n++
		if n > packageLimits.entries {
			return n
		}
		at += 46 + uint64(binary.LittleEndian.Uint16(data[at+28:])) + uint64(binary.LittleEndian.Uint16(data[at+30:])) + uint64(binary.LittleEndian.Uint16(data[at+32:]))
	}
	return n
}
