package i18n

import (
	"encoding/json"
	"fmt"
)

// fyneKeys maps the message ids Fyne's own widgets and dialogs look up (through its lang
// package, the keys of Fyne's lang/translations/base.en.json) to the kiosk's message ids.
// The weekday names of Fyne's calendar are left out: the kiosk shows no calendar.
var fyneKeys = map[string]string{
	"Advanced":          "fyne.advanced",
	"Cancel":            "common.cancel",
	"Confirm":           "common.confirm",
	"Copy":              "common.copy",
	"Create Folder":     "fyne.create_folder",
	"Cut":               "fyne.cut",
	"Enter filename":    "fyne.enter_filename",
	"Error":             "common.error",
	"Favourites":        "fyne.favourites",
	"File":              "fyne.file",
	"Folder":            "fyne.folder",
	"New Folder":        "fyne.new_folder",
	"No":                "common.no",
	"OK":                "common.ok",
	"Open":              "fyne.open",
	"Paste":             "fyne.paste",
	"Quit":              "fyne.quit",
	"Redo":              "fyne.redo",
	"Save":              "common.save",
	"Select all":        "fyne.select_all",
	"Show Hidden Files": "fyne.show_hidden_files",
	"Undo":              "fyne.undo",
	"Yes":               "common.yes",
	"file.name":         "fyne.file_name",
	"file.parent":       "fyne.file_parent",
}

// FyneTranslations returns, for one of the kiosk's languages, a translation file for Fyne's
// own strings (dialog buttons, the file dialog, the entry's context menu) in the format of
// Fyne's lang package: a JSON object from Fyne's message id ("Cancel", "Create Folder") to
// the kiosk's text for it. Give it to lang.AddTranslationsForLocale so that Fyne's dialogs
// show translated labels rather than their English defaults. Fyne picks the language of
// these once, from the system locale, at start; screens that must follow a candidate's
// choice set their dialogs' button labels from a Localizer instead (common.ok, common.cancel).
func FyneTranslations(lang string) ([]byte, error) {
	l, err := NewKiosk(lang)
	if err != nil {
		return nil, err
	}
	var problems []Problem
	l.OnProblem(func(p Problem) { problems = append(problems, p) })
	out := make(map[string]string, len(fyneKeys))
	for key, id := range fyneKeys {
		out[key] = l.T(id, nil)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", problems[0])
	}
	return json.MarshalIndent(out, "", "  ")
}
