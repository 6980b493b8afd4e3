package bank

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"ispit/internal/sshsig"
)

// Roster is the signed list of candidates who may sit a session.
type Roster struct {
	Candidates []Candidate
	// Signer is the principal of the trusted key that signed the roster.
	Signer string
	// SHA256 is the hex digest of the roster's CSV bytes, which sessions record.
	SHA256 string
}

// Candidate is one row of a roster.
type Candidate struct {
	Code     string // what the candidate types to sign in
	Name     string
	Position string // the position code the candidate applied for
	// Language is the candidate's preferred language, or "" to let the candidate choose.
	Language string
}

// Candidate returns the candidate with this code; codes are compared without regard to case.
func (r *Roster) Candidate(code string) (*Candidate, bool) {
	for i := range r.Candidates {
		if strings.EqualFold(r.Candidates[i].Code, strings.TrimSpace(code)) {
			return &r.Candidates[i], true
		}
	}
	return nil, false
}

// The members of a signed roster file, in order.
const (
	rosterName          = "roster.csv"
	rosterSignatureName = "roster.csv.sig"
	maxRosterRows       = 100000
	maxNameLength       = 200
)

var candidateCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9./_-]{0,31}$`)

// ParseRosterCSV reads a roster in CSV: a header row naming the columns code, name, position
// and, optionally, language, in any order; then one candidate a row. Commas or semicolons
// separate the fields (spreadsheets in the region write either), and a UTF-8 byte order mark is
// allowed. Errors name the line.
func ParseRosterCSV(data []byte) (*Roster, error) {
	digest := sha256.Sum256(data)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line := 1
		for len(data) > 0 {
			r, size := utf8.DecodeRune(data)
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			data = data[size:]
		}
		return nil, fmt.Errorf("roster line %d: not UTF-8 text (save the roster as \"CSV UTF-8\")", line)
	}
	// The separator is the one the header row uses more: the first line that is not blank.
	var firstLine []byte
	for rest := data; len(rest) > 0 && len(bytes.TrimSpace(firstLine)) == 0; {
		firstLine, rest, _ = bytes.Cut(rest, []byte("\n"))
	}
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("roster is empty; it needs a header row (code, name, position and, optionally, language)")
	}
	if err != nil {
		return nil, fmt.Errorf("roster %v", csvMessage(err))
	}
	headerLine, _ := r.FieldPos(0)
	column := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains([]string{"code", "name", "position", "language"}, name) {
			return nil, fmt.Errorf("roster line %d: unknown column %q (columns: code, name, position, language)", headerLine, name)
		}
		if _, dup := column[name]; dup {
			return nil, fmt.Errorf("roster line %d: column %q appears twice", headerLine, name)
		}
		column[name] = i
	}
	for _, required := range []string{"code", "name", "position"} {
		if _, ok := column[required]; !ok {
			return nil, fmt.Errorf("roster line %d: the header has no %q column", headerLine, required)
		}
	}
	roster := &Roster{SHA256: hex.EncodeToString(digest[:])}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("roster %v", csvMessage(err))
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("roster line %d: %d fields where the header has %d", line, len(rec), len(header))
		}
		field := func(name string) string {
			if i, ok := column[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := Candidate{Code: field("code"), Name: field("name"), Position: field("position"), Language: field("language")}
		switch {
		case !candidateCodePattern.MatchString(c.Code):
			return nil, fmt.Errorf("roster line %d: candidate code %q is not allowed (letters, digits, '.', '/', '_', '-', at most 32)", line, c.Code)
		case c.Name == "" || utf8.RuneCountInString(c.Name) > maxNameLength:
			return nil, fmt.Errorf("roster line %d: candidate %s needs a name of at most %d characters", line, c.Code, maxNameLength)
		case strings.ContainsFunc(c.Name, unicode.IsControl):
			return nil, fmt.Errorf("roster line %d: candidate %s has a line break or other control character in the name", line, c.Code)
		case !positionPattern.MatchString(c.Position):
			return nil, fmt.Errorf("roster line %d: candidate %s has position code %q, which is not allowed", line, c.Code, c.Position)
		case c.Language != "" && !slices.Contains(Languages, c.Language):
			return nil, fmt.Errorf("roster line %d: candidate %s has language %q; use one of %s or leave it empty", line, c.Code, c.Language, strings.Join(Languages, ", "))
		}
		key := strings.ToUpper(c.Code)
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("roster line %d: candidate code %s is already on line %d", line, c.Code, first)
		}
		seen[key] = line
		roster.Candidates = append(roster.Candidates, c)
		if len(roster.Candidates) > maxRosterRows {
			return nil, fmt.Errorf("roster has more than %d candidates", maxRosterRows)
		}
	}
	if len(roster.Candidates) == 0 {
		return nil, errors.New("roster lists no candidates")
	}
	return roster, nil
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: %v", pe.Line, pe.Err)
	}
	return err.Error()
}

// SignRoster checks a roster CSV and signs it with the authority key.
func SignRoster(csvData []byte, signer ssh.Signer) ([]byte, error) {
	if _, err := ParseRosterCSV(csvData); err != nil {
		return nil, err
	}
	sig, err := sshsig.Sign(signer, NamespaceRoster, csvData)
	if err != nil {
		return nil, fmt.Errorf("signing the roster: %w", err)
	}
	return writeContainer([]member{{Name: rosterName, Data: csvData}, {Name: rosterSignatureName, Data: sig}}), nil
}

// ReadRoster checks a signed roster against the trusted authority keys and reads it.
func ReadRoster(file []byte, trust *sshsig.Trust, now time.Time) (*Roster, error) {
	parts, err := readContainer(file, "roster", maxDocumentSize, rosterName, rosterSignatureName)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	_, principal, err := checkSignature(parts[1], parts[0], NamespaceRoster, trust, now)
	if err != nil {
		return nil, err
	}
	roster, err := ParseRosterCSV(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	roster.Signer = principal
	return roster, nil
}
