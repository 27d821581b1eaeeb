package limits

import (
	"bytes"
	"fmt"
	"io"

	"github.com/pixcert/pixcert/internal/fileerr"
)

// XML is what an XML document may hold. encoding/xml keeps a whole text,
// tag or comment in memory to return it as one token, and every open
// element on a stack; DecodeElement keeps a whole element: these bound
// each, in bytes of the document as written.
type XML struct {
	MaxBytes int64 // the whole document
	MaxText  int64 // a text between tags, a CDATA section, a comment
	MaxTag   int64 // a tag with its attributes, a directive, a processing instruction
	MaxDepth int   // how deep elements nest (the root is at depth 1)
	// Elements at RecordDepth are records (a student, a row, a shared
	// text): each at most MaxRecord bytes, at most MaxRecords of them when
	// MaxRecords is not 0. No records when RecordDepth is 0.
	RecordDepth int
	MaxRecord   int64
	MaxRecords  int
	Record      string // what a record is, in messages: "un élève", "une ligne"
	Records     string // and several: "élèves", "lignes"
	// Part is the part of a workbook the document is, "" for a file of its
	// own: messages then say where in the file.
	Part string
	// Hint says what to do; it ends every message.
	Hint string
}

// NewXMLReader returns a reader of r, an XML document named name in
// messages, that fails with a *fileerr.Error as soon as the document goes
// past a limit of lim, before the bytes past it are read on. Give it to
// xml.NewDecoder: the decoder returns its error.
func NewXMLReader(name string, r io.Reader, lim XML) io.Reader {
	return &xmlGuard{r: r, name: name, lim: lim, line: 1, tokLine: 1}
}

// ScanXML reads the XML document r to its end, or to the first limit of lim
// it goes past, which it returns as a *fileerr.Error. Other errors are
// those of r.
func ScanXML(name string, r io.Reader, lim XML) error {
	g := &xmlGuard{r: r, name: name, lim: lim, line: 1, tokLine: 1}
	buf := make([]byte, 64<<10)
	for {
		if _, err := g.Read(buf); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

type xmlState uint8

const (
	inText       xmlState = iota
	inTagStart            // just after '<'
	inTag                 // a start or end tag
	inBang                // just after "<!": a comment, CDATA or a directive
	inComment             // after "<!--"
	inCDATA               // after "<![CDATA["
	inPI                  // after "<?"
	inDirective           // after "<!" otherwise, such as <!DOCTYPE ...>
	inDirComment          // a comment inside a directive
)

// xmlGuard follows the document as encoding/xml cuts it into tokens, byte by
// byte but for the text between tags, which it skips to the next '<'.
type xmlGuard struct {
	r    io.Reader
	name string
	lim  XML
	err  error

	base     int64 // offset of the first byte of the block being scanned
	line     int   // of the byte being scanned
	state    xmlState
	tokStart int64 // where the current token (text, tag...) starts
	tokLine  int

	// in a tag
	end, slash bool // an end tag; the last byte outside quotes, spaces aside, is '/'
	quote      byte // the quote of the attribute value being read, or 0
	inName     bool
	tagName    []byte // the start of the tag's name, for messages

	// matching "<!--", "<![CDATA[", "-->", "]]>", "?>"
	match   int
	cdata   bool // what follows "<!" is "[CDATA[" so far
	b0, b1  byte // the last two bytes of a comment, CDATA section or PI
	nest    int  // '<' open in a directive
	dirLess int  // progress in "<!--" inside a directive

	depth      int
	recStart   int64
	recLine    int
	recName    string
	records    int
	seenRecord bool
}

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if n > 0 {
		if g.err = g.scan(p[:n]); g.err != nil {
			return 0, g.err
		}
	}
	return n, err
}

const cdataOpen = "[CDATA["

func (g *xmlGuard) scan(b []byte) error {
	i := 0
	for i < len(b) {
		switch g.state {
		case inText:
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				g.line += bytes.Count(b[i:], []byte{'\n'})
				i = len(b)
				break
			}
			g.line += bytes.Count(b[i:i+j], []byte{'\n'})
			i += j
			if err := g.checkTextTo(g.base + int64(i)); err != nil {
				return err
			}
			g.startToken(g.base+int64(i), inTagStart)
			i++
		case inTagStart:
			g.end, g.slash, g.quote, g.inName, g.tagName = false, false, 0, true, g.tagName[:0]
			switch b[i] {
			case '/':
				g.end = true
				g.state = inTag
				i++
			case '?':
				g.state, g.b0 = inPI, 0
				i++
			case '!':
				g.state, g.match = inBang, 0
				i++
			default:
				g.state = inTag // this byte is the name's first
			}
		case inTag:
			for i < len(b) && g.state == inTag {
				c := b[i]
				i++
				if c == '\n' {
					g.line++
				}
				if g.quote != 0 {
					if c == g.quote {
						g.quote = 0
					}
					continue
				}
				switch c {
				case '"', '\'':
					g.quote, g.slash, g.inName = c, false, false
				case '>':
					if err := g.endTag(g.base + int64(i)); err != nil {
						return err
					}
				case ' ', '\t', '\r', '\n':
					g.inName = false
				case '/':
					g.slash = true
				default:
					g.slash = false
					if g.inName && len(g.tagName) < 64 {
						g.tagName = append(g.tagName, c)
					}
				}
			}
		case inBang:
			// The next bytes tell a comment, CDATA or a directive apart,
			// as encoding/xml does; a wrong start is its syntax error.
			c := b[i]
			switch {
			case g.match == 0 && c == '-':
				g.match, g.cdata = 1, false
				i++
			case g.match == 1 && !g.cdata && c == '-':
				g.state, g.b0, g.b1 = inComment, 0, 0
				i++
			case g.match < len(cdataOpen) && c == cdataOpen[g.match] && (g.match == 0 || g.cdata):
				g.match, g.cdata = g.match+1, true
				if g.match == len(cdataOpen) {
					g.state, g.b0, g.b1 = inCDATA, 0, 0
				}
				i++
			default:
				// encoding/xml takes the directive's first byte as it
				// is, even a quote or '>'.
				g.state, g.nest, g.quote, g.dirLess = inDirective, 0, 0, 0
				i++
			}
		case inComment, inCDATA:
			for i < len(b) {
				c := b[i]
				i++
				if c == '\n' {
					g.line++
				}
				closing := (g.state == inComment && g.b0 == '-' && g.b1 == '-') || (g.state == inCDATA && g.b0 == ']' && g.b1 == ']' && c == '>')
				if closing {
					// encoding/xml ends a comment at "--", whatever follows
					// (and fails when it is not '>').
					if err := g.checkTextTo(g.base + int64(i)); err != nil {
						return err
					}
					g.startToken(g.base+int64(i), inText)
					break
				}
				g.b0, g.b1 = g.b1, c
			}
		case inPI:
			for i < len(b) {
				c := b[i]
				i++
				if c == '\n' {
					g.line++
				}
				if g.b0 == '?' && c == '>' {
					if err := g.checkTag(g.base + int64(i)); err != nil {
						return err
					}
					g.startToken(g.base+int64(i), inText)
					break
				}
				g.b0 = c
			}
		case inDirective, inDirComment:
			for i < len(b) && (g.state == inDirective || g.state == inDirComment) {
				c := b[i]
				i++
				if c == '\n' {
					g.line++
				}
				if g.state == inDirComment {
					if g.b0 == '-' && g.b1 == '-' {
						g.state = inDirective // encoding/xml wants '>' here
					}
					g.b0, g.b1 = g.b1, c
					continue
				}
				if g.quote != 0 {
					if c == g.quote {
						g.quote = 0
					}
					continue
				}
				// "<!--" starts a comment inside a directive.
				switch {
				case g.dirLess == 1 && c == '!', g.dirLess == 2 && c == '-':
					g.dirLess++
					continue
				case g.dirLess == 3 && c == '-':
					g.dirLess, g.nest = 0, g.nest-1 // the '<' opened no nesting
					g.state, g.b0, g.b1 = inDirComment, 0, 0
					continue
				}
				g.dirLess = 0
				switch c {
				case '"', '\'':
					g.quote = c
				case '<':
					g.nest++
					g.dirLess = 1
				case '>':
					if g.nest > 0 {
						g.nest--
						break
					}
					if err := g.checkTag(g.base + int64(i)); err != nil {
						return err
					}
					g.startToken(g.base+int64(i), inText)
				}
			}
		}
	}
	g.base += int64(len(b))
	// What is still open at the end of the block.
	switch g.state {
	case inText, inComment, inCDATA:
		if err := g.checkTextTo(g.base); err != nil {
			return err
		}
	default:
		if err := g.checkTag(g.base); err != nil {
			return err
		}
	}
	if err := g.checkRecord(g.base); err != nil {
		return err
	}
	if g.base > g.lim.MaxBytes {
		return g.fail(0, "le document XML dépasse %s, la taille maximale acceptée.", Size(g.lim.MaxBytes))
	}
	return nil
}

func (g *xmlGuard) startToken(at int64, state xmlState) {
	g.tokStart, g.tokLine, g.state = at, g.line, state
}

// checkTextTo checks the text, comment or CDATA section open, up to end.
func (g *xmlGuard) checkTextTo(end int64) error {
	if end-g.tokStart > g.lim.MaxText {
		return g.fail(g.tokLine, "texte de plus de %s entre deux balises, au-delà de la limite.", Size(g.lim.MaxText))
	}
	return nil
}

func (g *xmlGuard) checkTag(end int64) error {
	if end-g.tokStart > g.lim.MaxTag {
		return g.fail(g.tokLine, "balise de plus de %s, au-delà de la limite.", Size(g.lim.MaxTag))
	}
	return nil
}

// endTag is the end of a start or end tag, at end (excluded).
func (g *xmlGuard) endTag(end int64) error {
	if err := g.checkTag(end); err != nil {
		return err
	}
	start := g.tokStart
	g.startToken(end, inText)
	switch {
	case g.end:
		if g.lim.RecordDepth > 0 && g.depth == g.lim.RecordDepth {
			if err := g.checkRecord(end); err != nil {
				return err
			}
			g.seenRecord = false
		}
		if g.depth > 0 {
			g.depth--
		}
		return nil
	case g.slash: // <empty/>, at depth+1 while encoding/xml reads it
		if g.depth+1 > g.lim.MaxDepth {
			return g.fail(g.tokLine, "éléments imbriqués sur plus de %d niveaux, au-delà de la limite.", g.lim.MaxDepth)
		}
		if g.lim.RecordDepth > 0 && g.depth+1 == g.lim.RecordDepth {
			return g.countRecord()
		}
		return nil
	}
	g.depth++
	if g.depth > g.lim.MaxDepth {
		return g.fail(g.tokLine, "éléments imbriqués sur plus de %d niveaux, au-delà de la limite.", g.lim.MaxDepth)
	}
	if g.lim.RecordDepth > 0 && g.depth == g.lim.RecordDepth {
		g.recStart, g.recLine, g.recName, g.seenRecord = start, g.tokLine, string(g.tagName), true
		return g.countRecord()
	}
	return nil
}

func (g *xmlGuard) countRecord() error {
	g.records++
	if g.lim.MaxRecords > 0 && g.records > g.lim.MaxRecords {
		return g.fail(g.tokLine, "plus de %s %s, au-delà de la limite.", Count(int64(g.lim.MaxRecords)), g.lim.Records)
	}
	return nil
}

// checkRecord checks the record open, if any, up to end.
func (g *xmlGuard) checkRecord(end int64) error {
	if !g.seenRecord || g.depth < g.lim.RecordDepth {
		return nil
	}
	if end-g.recStart > g.lim.MaxRecord {
		return g.fail(g.recLine, "%s de plus de %s (élément « %s »), au-delà de la limite.", g.lim.Record, Size(g.lim.MaxRecord), g.recName)
	}
	return nil
}

func (g *xmlGuard) fail(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	e := &fileerr.Error{File: g.name, Line: line}
	if g.lim.Part != "" {
		e.Line = 0
		where := g.lim.Part
		if line > 0 {
			where = fmt.Sprintf("%s, ligne %d", g.lim.Part, line)
		}
		msg = fmt.Sprintf("dans %s : %s", where, msg)
	}
	e.Msg = msg + " " + g.lim.Hint
	return e
}
