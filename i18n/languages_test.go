package i18n

import "testing"

func TestPick(t *testing.T) {
	for locale, want := range map[string]string{
		// Serbian: Cyrillic unless the locale says Latin.
		"sr_RS.UTF-8":       "sr-Cyrl",
		"sr_RS":             "sr-Cyrl",
		"sr":                "sr-Cyrl",
		"sr_RS@latin.UTF-8": "sr-Latn",
		"sr_RS.UTF-8@latin": "sr-Latn",
		"sr_RS@latin":       "sr-Latn",
		"sr@latin":          "sr-Latn",
		"sr_RS@cyrillic":    "sr-Cyrl",
		"sr-Latn":           "sr-Latn",
		"sr-Latn-RS":        "sr-Latn",
		"sr-Cyrl-RS":        "sr-Cyrl",
		"sr_BA.UTF-8":       "sr-Cyrl",
		"sr_ME.UTF-8":       "sr-Latn", // Montenegro: Latin in glibc and CLDR
		"sr-Cyrl-ME":        "sr-Cyrl",
		"sh_BA":             "sr-Latn",
		"SR_rs.utf8":        "sr-Cyrl",
		// The others.
		"bs_BA.UTF-8":        "bs",
		"bs_BA":              "bs",
		"hr_HR.UTF-8":        "hr",
		"hr_BA":              "hr",
		"hr":                 "hr",
		"sq_AL.UTF-8":        "sq",
		"sq_XK":              "sq",
		"sq_MK.UTF-8":        "sq",
		"en_US.UTF-8":        "en",
		"en_GB":              "en",
		"  en  ":             "en",
		"bs-Latn-BA":         "bs",
		"hr:en":              "hr",
		"de_DE:sq_XK:en_US":  "sq",
		"sr@latin:sr:hr":     "sr-Latn",
		"de_DE.UTF-8:fr":     "en",
		"de_DE.UTF-8":        "en",
		"C":                  "en",
		"C.UTF-8":            "en",
		"POSIX":              "en",
		"":                   "en",
		"@latin":             "en",
		"_":                  "en",
		"..":                 "en",
		"x":                  "en",
		"srp_RS":             "en",
		"sr_RS@latin.UTF-8 ": "sr-Latn",
	} {
		if got := Pick(locale); got != want {
			t.Errorf("Pick(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "en"},
		{map[string]string{"LANG": "C"}, "en"},
		{map[string]string{"LANG": "POSIX", "LANGUAGE": "sr"}, "en"}, // gettext ignores LANGUAGE under C
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "sr"}, "en"},
		{map[string]string{"LANG": "sr_RS.UTF-8"}, "sr-Cyrl"},
		{map[string]string{"LANG": "sr_RS.UTF-8", "LANGUAGE": "sr@latin:sr"}, "sr-Latn"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "sq_XK.UTF-8"}, "sq"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "sq_XK.UTF-8", "LC_ALL": "hr_HR.UTF-8"}, "hr"},
		{map[string]string{"LC_ALL": "C", "LANG": "bs_BA.UTF-8"}, "en"},
		{map[string]string{"LANG": "bs_BA.UTF-8", "LANGUAGE": "de:fr"}, "bs"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "de:fr"}, "en"},
	} {
		got := FromEnv(func(name string) string { return c.env[name] })
		if got != c.want {
			t.Errorf("FromEnv(%v) = %q, want %q", c.env, got, c.want)
		}
	}
}
