package bank

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// The start code is the passphrase a bank's payload is encrypted to. It is 16 random symbols of
// Crockford's base32 (80 bits) followed by one Luhn mod 32 check symbol, printed in groups
// of 4, 4, 4 and 5: "7K3M-QX9A-R2DT-VW8H5". The check symbol catches every single mistyped
// symbol and most swaps of neighbours before the slow key derivation starts.
const (
	startCodeDataSymbols = 16
	startCodeSymbols     = startCodeDataSymbols + 1
	crockfordAlphabet    = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// startCodeGroups are the lengths of the printed groups; they add up to startCodeSymbols.
var startCodeGroups = []int{4, 4, 4, 5}

// Start code errors, wrapped with details by ParseStartCode.
var (
	ErrStartCodeLength = errors.New("start code has the wrong number of symbols")
	ErrStartCodeSymbol = errors.New("start code contains a symbol that is not allowed")
	ErrStartCodeCheck  = errors.New("start code is mistyped (check symbol does not match)")
)

// SymbolError is a start code with a character that is not allowed; it wraps
// ErrStartCodeSymbol.
type SymbolError struct {
	Symbol   rune
	Position int // 1-based, in what was typed
}

func (e *SymbolError) Error() string {
	return fmt.Sprintf("%v: %q at position %d", ErrStartCodeSymbol, e.Symbol, e.Position)
}

// Unwrap returns ErrStartCodeSymbol.
func (e *SymbolError) Unwrap() error { return ErrStartCodeSymbol }

// NewStartCode returns a fresh random start code in its printed form.
func NewStartCode() string {
	data := make([]byte, startCodeDataSymbols)
	for i := range data {
		data[i] = crockfordAlphabet[randomSymbol()]
	}
	return groupStartCode(string(data) + string(crockfordAlphabet[luhnCheckValue(string(data))]))
}

func randomSymbol() byte {
	var b [1]byte
	// 256 is a multiple of 32, so taking the low five bits is uniform.
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // crypto/rand.Read does not fail on supported platforms
	}
	return b[0] & 31
}

// ParseStartCode checks a start code as a proctor typed it and returns its printed form, which
// is the passphrase. Case, spaces and hyphens do not matter, and the letters I, L and O are read
// as 1, 1 and 0, as Crockford's base32 prescribes.
func ParseStartCode(typed string) (string, error) {
	symbols, err := normaliseStartCode(typed)
	if err != nil {
		return "", err
	}
	if len(symbols) != startCodeSymbols {
		return "", fmt.Errorf("%w: %d instead of %d", ErrStartCodeLength, len(symbols), startCodeSymbols)
	}
	if luhnCheckValue(symbols[:startCodeDataSymbols]) != strings.IndexByte(crockfordAlphabet, symbols[startCodeDataSymbols]) {
		return "", ErrStartCodeCheck
	}
	return groupStartCode(symbols), nil
}

// StartCodeProgress reports how a partly typed start code stands: the number of symbols typed
// so far out of the whole, and an error as soon as a symbol is not allowed or, once every
// symbol is there, when the check symbol does not match.
func StartCodeProgress(typed string) (typedSymbols, wholeSymbols int, err error) {
	symbols, err := normaliseStartCode(typed)
	if err != nil {
		return len(symbols), startCodeSymbols, err
	}
	if len(symbols) >= startCodeSymbols {
		_, err = ParseStartCode(symbols)
	}
	return len(symbols), startCodeSymbols, err
}

// GroupTypedStartCode returns a partly typed start code the way it is printed, for an entry
// that groups the code as the proctor types: upper case, I, L and O read as 1, 1 and 0, a
// hyphen between the groups typed so far. Text with a symbol that is not allowed, or with
// more symbols than a start code has, is returned unchanged, for StartCodeProgress to report.
func GroupTypedStartCode(typed string) string {
	symbols, err := normaliseStartCode(typed)
	if err != nil || len(symbols) > startCodeSymbols {
		return typed
	}
	var b strings.Builder
	for _, n := range startCodeGroups {
		if len(symbols) == 0 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		take := min(n, len(symbols))
		b.WriteString(symbols[:take])
		symbols = symbols[take:]
	}
	return b.String()
}

func normaliseStartCode(typed string) (string, error) {
	var b strings.Builder
	for i, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		}
		if r > 127 || strings.IndexByte(crockfordAlphabet, byte(r)) < 0 {
			return b.String(), &SymbolError{Symbol: r, Position: i + 1}
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}

func groupStartCode(symbols string) string {
	parts := make([]string, 0, len(startCodeGroups))
	for _, n := range startCodeGroups {
		parts = append(parts, symbols[:n])
		symbols = symbols[n:]
	}
	return strings.Join(parts, "-")
}

// luhnCheckValue is the Luhn mod 32 check value of data, a string over crockfordAlphabet.
func luhnCheckValue(data string) int {
	const n = len(crockfordAlphabet)
	factor, sum := 2, 0
	for i := len(data) - 1; i >= 0; i-- {
		addend := factor * strings.IndexByte(crockfordAlphabet, data[i])
		sum += addend/n + addend%n
		factor = 3 - factor
	}
	return (n - sum%n) % n
}
