package output

// Page is a document made to be read on screen and printed: a heading
// that says whose it is and of when, a summary of panels (one per class,
// say), then lists of records, each under its heading and maybe its own
// panel. What it says is the view's; how it looks is the writer's.
type Page struct {
	// Heading says whose the page is: an establishment.
	Heading string
	// Subtitle says what the page shows and of when: "Certificabilité
	// d'après le dernier profil envoyé — bilan du 14/03/2026".
	Subtitle string
	// Running is repeated on every printed page, above a list's table
	// and over a list that begins a page: whose, and of when.
	Running string
	// Notes are what a reader must know to read the page right.
	Notes []string
	// Legend names the parts of every panel's bar, in order: a part is
	// drawn with the pattern of its rank, which the legend shows.
	Legend []string
	// SummaryHeading is over the summary's panels.
	SummaryHeading string
	Summary        []Panel
	// ListsHeading is over the lists, or over each list's table when
	// every list is a printed page of its own (PagePerList).
	ListsHeading string
	PagePerList  bool
	// Lists writes the page's lists through w, in order.
	Lists func(w ListWriter) error
	// Footer ends the page: where it comes from, how to keep it.
	Footer string
}

// Panel is how a group stands: its counts drawn as one stacked bar, a
// figure, and how it went over time.
type Panel struct {
	Heading string // "3E1"
	Detail  string // "28 élèves"
	Parts   []Part // the bar, in the order of Page.Legend
	Figure  string // "43 % certifiables"
	// Series is a share over time, oldest first; none draws no chart.
	Series      []Point
	SeriesTitle string // "Part de certifiables à chaque collecte"
	Total       bool   // the panel of all the others
}

// Part is a part of a panel's bar.
type Part struct {
	Label string
	Count int
}

// Point is a share at one moment of a series.
type Point struct {
	Label  string  // when: "10/02/2026"
	Share  float64 // from 0 to 1
	Text   string  // the share as read: "43 %"
	Detail string  // what it is made of: "12 certifiables sur 28"
}

// ListWriter receives a page's lists, record by record, as a SheetWriter
// receives sheets.
type ListWriter interface {
	// Begin starts a list under heading, with panel over it when not nil,
	// whose records are of record's type (columns as in SheetWriter).
	Begin(heading string, panel *Panel, record any) error
	// Record writes one record of the list begun last.
	Record(record any) error
	// End ends the list with footer: a count line, or what an empty list
	// means.
	End(footer string) error
}
