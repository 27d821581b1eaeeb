package store

import (
	"context"
	"database/sql"
	"strings"
)

// batch inserts rows many at a time: one statement per row costs more than
// the row itself.
type batch struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string            // "INSERT INTO t (a, b)"
	width  int               // values per row
	stmts  map[int]*sql.Stmt // by number of rows
	args   []any
	rows   int
	// parents, when set, writes the rows these rows refer to: it runs
	// before each insertion.
	parents func() error
}

// batchRows is how many rows one statement inserts.
const batchRows = 200

func newBatch(ctx context.Context, tx *sql.Tx, insert string, width int) *batch {
	return &batch{ctx: ctx, tx: tx, insert: insert, width: width, args: make([]any, 0, width*batchRows)}
}

func (b *batch) statement(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", b.width), ",") + ")"
	return b.insert + " VALUES " + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add adds a row, and inserts the batch once it is full.
func (b *batch) add(values ...any) error {
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	return b.flush()
}

// flush inserts the rows still waiting.
func (b *batch) flush() error {
	if b.rows == 0 {
		return nil
	}
	if b.parents != nil {
		if err := b.parents(); err != nil {
			return err
		}
	}
	// A statement per number of rows, prepared once: rows waiting for
	// their children are written in batches of any size.
	stmt := b.stmts[b.rows]
	if stmt == nil {
		var err error
		if stmt, err = b.tx.PrepareContext(b.ctx, b.statement(b.rows)); err != nil {
			return err
		}
		if b.stmts == nil {
			b.stmts = map[int]*sql.Stmt{}
		}
		b.stmts[b.rows] = stmt
	}
	_, err := stmt.ExecContext(b.ctx, b.args...)
	clear(b.args) // let the strings go
	b.args, b.rows = b.args[:0], 0
	return err
}
