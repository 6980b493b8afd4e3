package i18n

import "strings"

// Language is one of the kiosk's languages.
type Language struct {
	// Tag is the BCP 47 tag, spelt as bank manifests spell it: "bs", "hr", "sr-Latn",
	// "sr-Cyrl", "sq" or "en".
	Tag string
	// Name is the language's name in the language itself, for a language chooser:
	// "Српски (ћирилица)", "Shqip".
	Name string
}

// languages are the kiosk's languages in the order a chooser lists them: the order of the
// design (Bosnian, Croatian, Serbian in both scripts, Albanian, English).
var languages = []Language{
	{Tag: "bs", Name: "Bosanski"},
	{Tag: "hr", Name: "Hrvatski"},
	{Tag: "sr-Latn", Name: "Srpski (latinica)"},
	{Tag: "sr-Cyrl", Name: "Српски (ћирилица)"},
	{Tag: "sq", Name: "Shqip"},
	{Tag: "en", Name: "English"},
}

// Languages returns the kiosk's languages, each with its name in itself, in the order a
// language chooser should list them.
func Languages() []Language { return append([]Language(nil), languages...) }

// Tags returns the tags of Languages, in the same order.
func Tags() []string {
	tags := make([]string, len(languages))
	for i, l := range languages {
		tags[i] = l.Tag
	}
	return tags
}

// canonicalTag returns the kiosk's spelling of tag, which is compared without regard to case.
func canonicalTag(tag string) (string, bool) {
	for _, l := range languages {
		if strings.EqualFold(l.Tag, tag) {
			return l.Tag, true
		}
	}
	return "", false
}

// Pick maps a system locale to one of the kiosk's languages. It takes what LANG, LC_ALL or
// LC_MESSAGES hold (POSIX "language[_territory][.codeset][@modifier]", such as
// "sr_RS@latin.UTF-8" or "sq_XK.UTF-8"), a BCP 47 tag ("sr-Latn-RS"), or a GNU LANGUAGE
// list ("sr@latin:hr:en", first match wins). Serbian is Cyrillic unless the locale says
// Latin (the "@latin" modifier or the "Latn" script) or is Montenegro's (sr_ME, Latin in
// glibc and CLDR); "sh" (Serbo-Croatian) is Serbian Latin. "C", "POSIX", an empty locale and
// any language the kiosk does not have give English, silently.
func Pick(locale string) string {
	for _, entry := range strings.Split(locale, ":") {
		if lang, ok := pickOne(entry); ok {
			return lang
		}
	}
	return Fallback
}

func pickOne(locale string) (string, bool) {
	locale = strings.ToLower(strings.TrimSpace(locale))
	var modifier string
	if i := strings.IndexByte(locale, '@'); i >= 0 {
		locale, modifier = locale[:i], locale[i+1:]
		// The modifier is last in POSIX, but "sr_RS@latin.UTF-8" is seen in the wild too.
		if j := strings.IndexByte(modifier, '.'); j >= 0 {
			modifier = modifier[:j]
		}
	}
	if i := strings.IndexByte(locale, '.'); i >= 0 {
		locale = locale[:i] // the codeset
	}
	parts := strings.FieldsFunc(locale, func(r rune) bool { return r == '_' || r == '-' })
	if len(parts) == 0 {
		return "", false
	}
	var script, region string
	for _, p := range parts[1:] {
		switch {
		case len(p) == 4 && script == "":
			script = p
		case (len(p) == 2 || len(p) == 3) && region == "":
			region = p
		}
	}
	switch parts[0] {
	case "bs", "hr", "sq", "en":
		return parts[0], true
	case "sh":
		return "sr-Latn", true
	case "sr":
		switch {
		case script == "latn" || modifier == "latin":
			return "sr-Latn", true
		case script == "cyrl" || modifier == "cyrillic":
			return "sr-Cyrl", true
		case region == "me":
			return "sr-Latn", true
		}
		return "sr-Cyrl", true
	}
	return "", false
}

// FromEnv picks the kiosk's language from the environment as gettext does: the locale of
// messages is the first of LC_ALL, LC_MESSAGES and LANG that is set; unless that locale is
// "C" or "POSIX" (or unset), a GNU LANGUAGE list takes precedence over it. getenv is
// os.Getenv in the program and a map lookup in tests.
func FromEnv(getenv func(string) string) string {
	var locale string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			locale = v
			break
		}
	}
	if isCLocale(locale) {
		return Fallback
	}
	for _, entry := range strings.Split(getenv("LANGUAGE"), ":") {
		if lang, ok := pickOne(entry); ok {
			return lang
		}
	}
	return Pick(locale)
}

// isCLocale reports whether a locale is the portable one ("C", "C.UTF-8", "POSIX") or unset.
func isCLocale(locale string) bool {
	base, _, _ := strings.Cut(locale, ".")
	base, _, _ = strings.Cut(base, "@")
	return base == "" || base == "C" || base == "POSIX"
}
