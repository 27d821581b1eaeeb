package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pixcert/pixcert/internal/certresults"
	"github.com/pixcert/pixcert/internal/match"
)

// KindResults is a certification results export of Pix Orga
// (pix-formats.md §7).
const KindResults Kind = "results"

// ResultRow is a certification result ready to store.
type ResultRow struct {
	r          certresults.Result
	nameKey    string
	externalID string
	levels     string // JSON array, null for « - »
}

// PrepareResult derives what storing a certification result needs.
func PrepareResult(r certresults.Result) ResultRow {
	var b strings.Builder
	b.WriteByte('[')
	for i, l := range r.Levels {
		if i > 0 {
			b.WriteByte(',')
		}
		if l == certresults.None {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.Itoa(l))
		}
	}
	b.WriteByte(']')
	return ResultRow{r: r, nameKey: match.NameKey(r.LastName, r.FirstName),
		externalID: strings.ToUpper(strings.TrimSpace(r.ExternalID)), levels: b.String()}
}

// AddResult stores a row of file number fileNo, a certification results
// export, and reports whether the store did not hold it as it is. A
// certification exported again (its status changed since) replaces the
// row stored before; a person's decision about it stands.
func (im *Import) AddResult(fileNo int, row ResultRow) (added bool, err error) {
	// The students a roster of this import brings are written before the
	// results that may refer to them.
	if err := im.students.flush(); err != nil {
		return false, err
	}
	estab, f := im.fileEstab[fileNo], im.files[fileNo]
	f.summary.Rows++
	r := &row.r
	var pix any
	if r.Pix != certresults.None {
		pix = r.Pix
	}
	values := []any{estab.id, f.importID, nullIfEmpty(r.Number), r.LastName, r.FirstName, nullIfEmpty(r.Birthdate),
		nullIfEmpty(r.BirthPlace), nullIfEmpty(row.externalID), r.Status, pix, row.levels, nullIfEmpty(r.Comment),
		nullIfEmpty(r.Session), nullIfEmpty(r.Date), nullIfEmpty(r.Center), nullIfEmpty(r.Type), nullIfEmpty(r.Outcome), row.nameKey}
	var id int64
	var same bool
	const fields = `last_name = ?4 AND first_name = ?5 AND birthdate IS ?6 AND birth_place IS ?7 AND external_id IS ?8
		AND status = ?9 AND pix_score IS ?10 AND levels = ?11 AND jury_comment IS ?12 AND session IS ?13 AND passed_on IS ?14
		AND center IS ?15 AND certification_type IS ?16 AND outcome IS ?17`
	identity := `establishment_id = ?1 AND certification_number = ?3`
	if r.Number == "" {
		identity = `establishment_id = ?1 AND certification_number IS NULL AND name_key = ?18
			AND coalesce(birthdate, '') = coalesce(?6, '') AND coalesce(session, '') = coalesce(?13, '')`
	}
	err = im.tx.QueryRowContext(im.ctx, `SELECT id, `+fields+` FROM certification_results WHERE `+identity, values...).Scan(&id, &same)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var res sql.Result
		res, err = im.tx.ExecContext(im.ctx, `INSERT INTO certification_results (establishment_id, import_id, certification_number,
			last_name, first_name, birthdate, birth_place, external_id, status, pix_score, levels, jury_comment, session, passed_on,
			center, certification_type, outcome, name_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`, values...)
		if err == nil {
			id, err = res.LastInsertId()
		}
		added = true
	case err != nil:
	case same:
		_, err = im.tx.ExecContext(im.ctx, `UPDATE certification_results SET import_id = ? WHERE id = ?`, f.importID, id)
	default:
		// Matched again at the end of the import, but for a person's
		// decision, which stands.
		_, err = im.tx.ExecContext(im.ctx, `UPDATE certification_results SET import_id = ?2, last_name = ?4, first_name = ?5,
			birthdate = ?6, birth_place = ?7, external_id = ?8, status = ?9, pix_score = ?10, levels = ?11, jury_comment = ?12,
			session = ?13, passed_on = ?14, center = ?15, certification_type = ?16, outcome = ?17, name_key = ?18,
			student_id = CASE matched_by WHEN 'manual' THEN student_id END, matched_by = CASE matched_by WHEN 'manual' THEN 'manual' END
			WHERE id = ?19`, append(values, id)...)
		added = true
	}
	if err == nil {
		_, err = im.tx.ExecContext(im.ctx, `INSERT OR IGNORE INTO certification_result_sources (result_id, import_id) VALUES (?, ?)`, id, f.importID)
	}
	if err != nil {
		return false, fmt.Errorf("résultat de %s %s : %w", r.LastName, r.FirstName, err)
	}
	if added {
		f.summary.NewRows++
	}
	im.resultEstabs[estab.id] = true
	return added, nil
}

// matchResults matches the certification results of an establishment
// with its current list: every result but those a person decided about,
// since a list imported since may hold the student a result names.
func (im *Import) matchResults(estab int64) error {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT id, coalesce(external_id, ''), name_key, coalesce(birthdate, ''),
		coalesce(student_id, 0), coalesce(matched_by, '') FROM certification_results
		WHERE establishment_id = ? AND matched_by IS NOT 'manual'`, estab)
	if err != nil {
		return err
	}
	type result struct {
		id                        int64
		externalID, nameKey, born string
		student                   int64
		method                    string
	}
	var results []result
	for rows.Next() {
		var r result
		if err := rows.Scan(&r.id, &r.externalID, &r.nameKey, &r.born, &r.student, &r.method); err != nil {
			rows.Close()
			return err
		}
		results = append(results, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	roster := newStoredRoster(im.ctx, im.tx, estab)
	for _, r := range results {
		m, err := match.MatchCertification(roster, r.externalID, r.nameKey, r.born)
		if err != nil {
			return err
		}
		if m.Student == r.student && string(m.Method) == r.method {
			continue
		}
		var method any
		if m.Student != 0 {
			method = string(m.Method)
		}
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE certification_results SET student_id = ?, matched_by = ? WHERE id = ?`,
			nullIfZero(m.Student), method, r.id); err != nil {
			return err
		}
	}
	return nil
}
