package importer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The patterns bank/validate.go holds names to.
var (
	itemIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	topicPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	bankIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,63}$`)
)

// ValidTopic reports whether s may be a topic of a bank: lower-case letters, digits and '-'.
func ValidTopic(s string) bool { return topicPattern.MatchString(s) }

// ValidBankID reports whether s may be the id of a bank.
func ValidBankID(s string) bool { return bankIDPattern.MatchString(s) }

// BankID makes a bank id of a name, such as the name of a folder; "imported" when nothing of
// it is left.
func BankID(name string) string {
	if s := slug(name, 64, false); s != "" {
		return s
	}
	return "imported"
}

// transliteration spells letters that do not decompose into a Latin letter and marks.
var transliteration = map[rune]string{
	'đ': "dj", 'ß': "ss", 'æ': "ae", 'ø': "o", 'ł': "l", 'œ': "oe", 'þ': "th", 'ð': "d", 'ı': "i",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "dj", 'е': "e", 'ж': "z", 'з': "z",
	'и': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n", 'њ': "nj", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "c", 'у': "u", 'ф': "f", 'х': "h", 'ц': "c",
	'ч': "c", 'џ': "dz", 'ш': "s", 'й': "j", 'ы': "y", 'э': "e", 'ю': "ju", 'я': "ja", 'ё': "e",
	'щ': "sc", 'ъ': "", 'ь': "", 'ѓ': "g", 'ќ': "k", 'ѕ': "dz", 'і': "i", 'ї': "i", 'є': "e", 'ґ': "g",
}

// slug spells s in ASCII letters, digits and '-' (and, with keep, '.', '_' and upper case),
// at most n bytes, starting and ending with a letter or digit. It may be empty.
func slug(s string, n int, keep bool) string {
	var b strings.Builder
	sep := false
	put := func(c rune) {
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(c)
	}
	for _, c := range norm.NFD.String(s) {
		if b.Len() > 4*n {
			break
		}
		switch {
		case unicode.Is(unicode.Mn, c):
		case c < 0x80 && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			if !keep {
				c = unicode.ToLower(c)
			}
			put(c)
		case keep && (c == '.' || c == '_') && b.Len() > 0 && !sep:
			put(c)
		default:
			t, ok := transliteration[unicode.ToLower(c)]
			if !ok {
				sep = true
				continue
			}
			if keep && unicode.IsUpper(c) && t != "" {
				t = strings.ToUpper(t[:1]) + t[1:]
			}
			for _, r := range t {
				put(r)
			}
		}
	}
	out := b.String()
	if len(out) > n {
		out = out[:n]
	}
	return strings.TrimRight(out, "-._")
}

// categoryPath splits a Moodle or GIFT category path into its names: "//" is a '/' inside a
// name, and Moodle's context markers ($course$, $system$…) and "top" are dropped.
func categoryPath(c string) []string {
	var names []string
	var cur strings.Builder
	for i := 0; i < len(c); i++ {
		if c[i] == '/' {
			if i+1 < len(c) && c[i+1] == '/' {
				cur.WriteByte('/')
				i++
				continue
			}
			names = append(names, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(c[i])
	}
	names = append(names, cur.String())
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
		case len(out) == 0 && len(n) > 1 && strings.HasPrefix(n, "$") && strings.HasSuffix(n, "$"):
		case len(out) == 0 && n == "top":
		default:
			out = append(out, n)
		}
	}
	return out
}

// topicsOf gives each category a topic: the slug of its last name, or of its whole path when
// two categories' last names are alike. A question with no category, or one in Moodle's
// "Default for …" category, gets fallback.
func topicsOf(categories []string, fallback string) map[string]string {
	short := map[string][]string{} // paths by the slug of their last name
	seen := map[string]bool{}
	var order []string
	for _, c := range categories {
		p := categoryPath(c)
		if len(p) == 0 || strings.HasPrefix(p[len(p)-1], "Default for ") {
			continue
		}
		s := slug(p[len(p)-1], 64, false)
		if s == "" {
			continue
		}
		if _, seen := short[s]; !seen {
			order = append(order, s)
		}
		if key := strings.Join(p, "\x00"); !seen[key] {
			seen[key] = true
			short[s] = append(short[s], key)
		}
	}
	byPath := map[string]string{}
	taken := newNames()
	taken.take(fallback, 64)
	for _, s := range order {
		if len(short[s]) == 1 {
			byPath[short[s][0]] = taken.take(s, 64)
		}
	}
	for _, s := range order {
		if len(short[s]) == 1 {
			continue
		}
		for _, key := range short[s] {
			byPath[key] = taken.take(slug(strings.ReplaceAll(key, "\x00", " "), 64, false), 64)
		}
	}
	topics := map[string]string{}
	for _, c := range categories {
		topics[c] = byPath[strings.Join(categoryPath(c), "\x00")]
		if topics[c] == "" {
			topics[c] = fallback
		}
	}
	return topics
}

// names hands out names that are unique: a name already taken comes back with "-2", "-3"…
type names struct {
	taken map[string]bool
	next  map[string]int // the next suffix to try for a name
}

func newNames() *names { return &names{taken: map[string]bool{}, next: map[string]int{}} }

// take returns s, or s with the first free suffix, at most n bytes, and marks it taken.
func (ns *names) take(s string, n int) string {
	out := s
	if ns.taken[s] {
		for i := max(ns.next[s], 2); ; i++ {
			suffix := fmt.Sprintf("-%d", i)
			base := s
			if len(base)+len(suffix) > n {
				base = strings.TrimRight(base[:n-len(suffix)], "-._")
			}
			if t := base + suffix; !ns.taken[t] {
				ns.next[s] = i + 1
				out = t
				break
			}
		}
	}
	ns.taken[out] = true
	return out
}
