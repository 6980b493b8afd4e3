package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// focusFollower keeps the control with the keyboard focus in view: when the focus moves (Tab,
// Shift+Tab, a screen focusing its first control) to a control that a scroll of the window has
// out of sight, the scroll moves just enough to show it. A keyboard-only candidate then always
// sees where the focus is.
//
// Fyne 2.7 tells nobody that the focus moved (fyne-io/fyne#3029 asks for a way), and the
// driver handles Tab before any widget sees the key. So the follower looks once a frame, just
// before the frame is drawn: it is an animation that never ends, whose tick compares the
// focused control with the one it saw last. The test driver runs no animations: tests call
// check where the real driver would.
type focusFollower struct {
	canvas fyne.Canvas
	last   fyne.Focusable
}

// followFocus starts following the focus on the window's canvas.
func followFocus(c fyne.Canvas) *focusFollower {
	f := &focusFollower{canvas: c}
	a := fyne.NewAnimation(time.Second, func(float32) { f.check() })
	a.RepeatCount = fyne.AnimationRepeatForever
	a.Curve = fyne.AnimationLinear
	a.Start()
	return f
}

// check scrolls the focused control into view if the focus moved since the last check. A
// focus that stays put is left alone, so that the candidate can scroll away from it with the
// mouse wheel.
func (f *focusFollower) check() {
	focused := f.canvas.Focused()
	if focused == f.last {
		return
	}
	f.last = focused
	// A dialog holds the focus: the window's content keeps its place under it.
	if focused == nil || f.canvas.Overlays().Top() != nil {
		return
	}
	if o, ok := focused.(fyne.CanvasObject); ok {
		reveal(f.canvas.Content(), o)
	}
}

// reveal scrolls the innermost scroll under root that holds o so that o is in view with a
// little room around it, moving as little as it can. What is taller than the scroll shows
// from its top, unless part of it is in view already.
func reveal(root, o fyne.CanvasObject) {
	scroll, pos, size, ok := locate(root, o)
	if !ok || scroll == nil {
		return
	}
	view := scroll.Size().Height
	pad := theme.Padding()
	top, bottom := pos.Y-pad, pos.Y+size.Height+pad
	offset := scroll.Offset.Y
	switch {
	case bottom-top > view:
		if pos.Y+size.Height > offset && pos.Y < offset+view {
			return
		}
		offset = top
	case top < offset:
		offset = top
	case bottom > offset+view:
		offset = bottom - view
	default:
		return
	}
	// ScrollToOffset keeps the offset within the content.
	scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, max(offset, 0)))
}

// locate finds o under root through the screens' layout (containers, scrolls, splits) and
// returns the innermost scroll that holds it, and where and how large what is to be shown is
// in that scroll's content: o itself, or for a radio option the whole group, which Fyne lays
// out itself. Other widgets are not looked into, so that a widget that scrolls its own parts (the
// essay editor) keeps doing it its way.
func locate(root, o fyne.CanvasObject) (*container.Scroll, fyne.Position, fyne.Size, bool) {
	var (
		found  *container.Scroll
		at     fyne.Position
		groups []placedGroup
	)
	var walk func(obj fyne.CanvasObject, pos fyne.Position, in *container.Scroll) bool
	walk = func(obj fyne.CanvasObject, pos fyne.Position, in *container.Scroll) bool {
		if obj == nil || !obj.Visible() {
			return false
		}
		if obj == o {
			found, at = in, pos
			return true
		}
		switch c := obj.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				if walk(child, pos.Add(child.Position()), in) {
					return true
				}
			}
		case *container.Scroll:
			// Positions count from the top of the content, wherever it is scrolled to.
			return walk(c.Content, fyne.Position{}, c)
		case *container.Split:
			for _, child := range []fyne.CanvasObject{c.Leading, c.Trailing} {
				if child != nil && walk(child, pos.Add(child.Position()), in) {
					return true
				}
			}
		case *widget.RadioGroup:
			groups = append(groups, placedGroup{c, pos, in})
		}
		return false
	}
	if walk(root, fyne.Position{}, nil) {
		return found, at, o.Size(), true
	}
	for _, g := range groups {
		if holds(g.group, o) {
			return g.in, g.pos, g.group.Size(), true
		}
	}
	return nil, fyne.Position{}, fyne.Size{}, false
}

// placedGroup is a radio group met on the way, where it is, and the scroll it is in.
type placedGroup struct {
	group *widget.RadioGroup
	pos   fyne.Position
	in    *container.Scroll
}

// holds reports whether o is one of the parts w lays out itself: o then stands at its own
// position within w.
func holds(w, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	return d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(w)) == o.Position()
}
