package app

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ispit/exam"
)

// navigator is a grid with a cell for every item: its number, a box ticked once it is
// answered, a flag while it is flagged, and a frame around the item shown. Each cell goes to
// its item.
type navigator struct {
	cells []*navCell
	box   fyne.CanvasObject
}

type navCell struct {
	*target
	inner    *fyne.Container
	number   *widget.Label
	answered *widget.Icon
	flag     *widget.Icon
}

func newNavigator(s *examScreen) *navigator {
	u := s.cv.u
	n := &navigator{}
	for i := range s.total {
		c := &navCell{number: strong(strconv.Itoa(i + 1)), answered: widget.NewIcon(theme.CheckButtonIcon()), flag: widget.NewIcon(flagIcon)}
		c.inner = container.NewCenter(container.NewHBox(c.number, c.answered, c.flag))
		c.target = newTarget(c.inner, func() { s.goTo(i) }, s)
		n.cells = append(n.cells, c)
	}
	grid := container.NewGridWithColumns(n.columns(u))
	for _, c := range n.cells {
		grid.Add(c.Container)
	}
	legend := container.NewHBox(
		widget.NewIcon(theme.CheckButtonIcon()), widget.NewLabel(u.t("candidate.navigator.not_answered", nil)),
		widget.NewIcon(theme.CheckButtonCheckedIcon()), widget.NewLabel(u.t("candidate.navigator.answered", nil)),
		widget.NewIcon(flagIcon), widget.NewLabel(u.t("candidate.navigator.flagged", nil)))
	n.box = container.NewVBox(strong(u.t("candidate.navigator.title", nil)), legend, grid)
	return n
}

// columns is how many cells fit side by side in the item's column.
func (n *navigator) columns(u *UI) int {
	if len(n.cells) == 0 {
		return 1
	}
	widest := n.cells[len(n.cells)-1].MinSize().Width + theme.Padding()
	width := min(readableWidth(), u.Win.Canvas().Size().Width) - 4*theme.Padding()
	return max(1, min(len(n.cells), int(width/widest)))
}

// update shows every item's state and which one is shown.
func (n *navigator) update(entries []exam.NavEntry, current int) {
	for i, c := range n.cells {
		if i >= len(entries) {
			break
		}
		e := entries[i]
		if e.Answered {
			c.answered.SetResource(theme.CheckButtonCheckedIcon())
		} else {
			c.answered.SetResource(theme.CheckButtonIcon())
		}
		if e.Flagged != c.flag.Visible() {
			if e.Flagged {
				c.flag.Show()
			} else {
				c.flag.Hide()
			}
			relayout(c.inner)
		}
		c.highlight(i == current)
	}
}
