// Package progress draws a progress bar on a terminal: one line, redrawn
// in place as a long task goes, and erased when it ends, so that what the
// task then prints starts on a clean line. It draws nothing for a task
// that ends before a delay: a short command stays silent.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Bar is a progress bar being drawn.
type Bar struct {
	w      io.Writer
	width  int
	state  func() (text string, percent int)
	stop   chan struct{}
	done   sync.WaitGroup
	drawn  int // width of the line on screen, 0: none
	frames int // drawings so far
}

// Ticks are when a bar is first drawn, and then redrawn.
type Ticks struct {
	After <-chan time.Time // the first drawing
	Every <-chan time.Time // each next one
}

// Every is the ticks of a bar drawn after delay, then every interval. Its
// function stops the ticker.
func Every(delay, interval time.Duration) (Ticks, func()) {
	t := time.NewTicker(interval)
	return Ticks{After: time.After(delay), Every: t.C}, t.Stop
}

// Start draws, at each tick, the line state gives (its text, and its
// percent, -1 for none) on w, a terminal width cells wide, until Stop.
func Start(w io.Writer, width int, ticks Ticks, state func() (string, int)) *Bar {
	b := &Bar{w: w, width: width, state: state, stop: make(chan struct{})}
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		select {
		case <-b.stop:
			return
		case <-ticks.After:
		}
		for {
			b.draw()
			select {
			case <-b.stop:
				return
			case <-ticks.Every:
			}
		}
	}()
	return b
}

// Stop stops the bar and erases its line: the cursor is back at its
// start. It may be called more than once.
func (b *Bar) Stop() {
	if b == nil {
		return
	}
	select {
	case <-b.stop:
		return
	default:
		close(b.stop)
	}
	b.done.Wait()
	if b.drawn > 0 {
		// Spaces, not an escape sequence: the console of an old Windows
		// does not read those.
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.drawn))
	}
}

// spinner turns, a step a drawing, while a step without a percent goes on:
// the line moves, the command is not stuck.
const spinner = `|/-\`

func (b *Bar) draw() {
	text, percent := b.state()
	if percent < 0 {
		text += " " + string(spinner[b.frames%len(spinner)])
	}
	b.frames++
	line := Line(text, percent, b.width)
	pad := max(0, b.drawn-cells(line))
	fmt.Fprintf(b.w, "\r%s%s", line, strings.Repeat(" ", pad))
	b.drawn = max(b.drawn, cells(line))
}

// barCells is the width of the bar itself, when there is room for it.
const barCells = 20

// Line is the line of a bar: « Import : fichier 2 sur 3, 12 345 lignes
// lues  47 % ██████████░░░░░░░░░░ », at most width-1 cells wide (a line as
// wide as the terminal would wrap, and the next drawing would not come
// back to its start).
func Line(text string, percent, width int) string {
	room := width - 1
	if percent < 0 {
		return cut(text, room)
	}
	full := percent * barCells / 100
	bar := fmt.Sprintf(" %3d %% %s%s", percent, strings.Repeat("█", full), strings.Repeat("░", barCells-full))
	if cells(text)+cells(bar) > room { // the text first, then the percent, then the bar
		bar = fmt.Sprintf(" %3d %%", percent)
	}
	return cut(text, room-cells(bar)) + bar
}

// cells is an upper bound of the width of s on a terminal, without a
// table of widths: Latin letters (É, ï, œ), the bar's blocks and « … »
// take one cell, any other character may take two (王).
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x250, r >= 0x2500 && r < 0x25A0, r == '…':
			n++
		default:
			n += 2
		}
	}
	return n
}

// cut is s, or its beginning and « … » when it is wider than width.
func cut(s string, width int) string {
	if cells(s) <= width {
		return s
	}
	if width <= 1 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		w := cells(string(r))
		if used+w > width-1 {
			break
		}
		b.WriteRune(r)
		used += w
	}
	return b.String() + "…"
}
