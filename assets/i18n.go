package assets

import (
	"embed"
	"io/fs"
)

//go:embed i18n/*.json
var translations embed.FS

// Translations holds the message catalogues of the kiosk and the commission's console in the
// go-i18n JSON message format, at the root: per language one file of the kiosk's messages and
// one of the console's, named "<part>.<language tag>.json" ("kiosk.sr-Cyrl.json",
// "console.sr-Cyrl.json").
func Translations() fs.FS {
	sub, err := fs.Sub(translations, "i18n")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}
