package assets

import (
	"embed"
	"io/fs"
)

//go:embed i18n/*.json
var translations embed.FS

// Translations holds the kiosk's message catalogues in the go-i18n JSON message format, one
// file per language at the root, named "active.<language tag>.json" ("active.sr-Cyrl.json").
func Translations() fs.FS {
	sub, err := fs.Sub(translations, "i18n")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}
