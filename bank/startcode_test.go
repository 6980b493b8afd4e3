package bank

import (
	"errors"
	"strings"
	"testing"
)

func TestStartCodeRoundTrip(t *testing.T) {
	for range 200 {
		code := NewStartCode()
		if len(code) != startCodeSymbols+len(startCodeGroups)-1 {
			t.Fatalf("code %q has length %d", code, len(code))
		}
		got, err := ParseStartCode(strings.ToLower(strings.ReplaceAll(code, "-", " ")))
		if err != nil || got != code {
			t.Fatalf("ParseStartCode(%q) = %q, %v", code, got, err)
		}
	}
}

func TestStartCodeCatchesEverySingleSubstitution(t *testing.T) {
	code := NewStartCode()
	symbols := strings.ReplaceAll(code, "-", "")
	for i := range symbols {
		for _, r := range crockfordAlphabet {
			if byte(r) == symbols[i] {
				continue
			}
			typo := symbols[:i] + string(r) + symbols[i+1:]
			if _, err := ParseStartCode(typo); !errors.Is(err, ErrStartCodeCheck) {
				t.Fatalf("typo %q of %q: err = %v, want ErrStartCodeCheck", typo, code, err)
			}
		}
	}
}

func TestStartCodeCatchesAdjacentSwaps(t *testing.T) {
	caught, swaps := 0, 0
	for range 100 {
		symbols := strings.ReplaceAll(NewStartCode(), "-", "")
		for i := 0; i+1 < len(symbols); i++ {
			if symbols[i] == symbols[i+1] {
				continue
			}
			swaps++
			swapped := symbols[:i] + string(symbols[i+1]) + string(symbols[i]) + symbols[i+2:]
			if _, err := ParseStartCode(swapped); err != nil {
				caught++
			}
		}
	}
	// Luhn mod 32 misses only the swap of the symbols worth 0 and 31 ("0" and "Z").
	if float64(caught)/float64(swaps) < 0.99 {
		t.Fatalf("caught %d of %d adjacent swaps", caught, swaps)
	}
}

func TestParseStartCodeErrors(t *testing.T) {
	code := NewStartCode()
	tests := []struct {
		typed string
		want  error
	}{
		{"", ErrStartCodeLength},
		{code[:10], ErrStartCodeLength},
		{code + "0", ErrStartCodeLength},
		{strings.Replace(code, code[:1], "U", 1), ErrStartCodeSymbol},
		{code[:5] + "*" + code[6:], ErrStartCodeSymbol},
		{code[:5] + "Č" + code[6:], ErrStartCodeSymbol},
	}
	for _, tt := range tests {
		if _, err := ParseStartCode(tt.typed); !errors.Is(err, tt.want) {
			t.Errorf("ParseStartCode(%q) = %v, want %v", tt.typed, err, tt.want)
		}
	}
}

func TestStartCodeConfusableLetters(t *testing.T) {
	// "0" may be typed as "O", and "1" as "I" or "L".
	for {
		code := NewStartCode()
		if !strings.ContainsAny(code, "01") {
			continue
		}
		typed := strings.NewReplacer("0", "o", "1", "l").Replace(code)
		if got, err := ParseStartCode(typed); err != nil || got != code {
			t.Fatalf("ParseStartCode(%q) = %q, %v; want %q", typed, got, err, code)
		}
		return
	}
}

func TestStartCodeProgress(t *testing.T) {
	code := NewStartCode()
	n, whole, err := StartCodeProgress(code[:7])
	if n != 6 || whole != startCodeSymbols || err != nil {
		t.Fatalf("progress of %q = %d/%d, %v", code[:7], n, whole, err)
	}
	if _, _, err := StartCodeProgress(code[:3] + "U"); !errors.Is(err, ErrStartCodeSymbol) {
		t.Fatalf("progress with U: %v", err)
	}
	last := code[len(code)-1]
	wrong := byte('0')
	if last == '0' {
		wrong = '1'
	}
	if _, _, err := StartCodeProgress(code[:len(code)-1] + string(wrong)); !errors.Is(err, ErrStartCodeCheck) {
		t.Fatalf("progress with wrong check symbol: %v", err)
	}
}

func FuzzParseStartCode(f *testing.F) {
	f.Add(NewStartCode())
	f.Add("oooo-iiii-llll-00000")
	f.Fuzz(func(t *testing.T, typed string) {
		code, err := ParseStartCode(typed)
		if err != nil {
			return
		}
		again, err := ParseStartCode(code)
		if err != nil || again != code {
			t.Fatalf("printed form %q does not parse to itself: %q, %v", code, again, err)
		}
	})
}

func TestGroupTypedStartCode(t *testing.T) {
	for _, c := range []struct{ typed, want string }{
		{"", ""},
		{"dem", "DEM"},
		{"dem0", "DEM0"},
		{"DEM0-", "DEM0"},
		{"dem0z", "DEM0-Z"},
		{"dem0 z31z ew6n 2rx86", "DEM0-Z31Z-EW6N-2RX86"},
		{"DEMOZ3IZ", "DEM0-Z31Z"},
		{"DEM0-Z31Z-EW6N-2RX867", "DEM0-Z31Z-EW6N-2RX867"}, // one symbol too many: left as typed
		{"DEMU", "DEMU"},                                   // U is not allowed: left as typed
	} {
		if got := GroupTypedStartCode(c.typed); got != c.want {
			t.Errorf("GroupTypedStartCode(%q) = %q, want %q", c.typed, got, c.want)
		}
	}
}
