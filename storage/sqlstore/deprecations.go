package sqlstore

import (
	"context"
	"fmt"

	"github.com/schemata-dev/schemata/internal/registry"
)

const deprecationColumns = `id, subject, path, version, reason, sunset, replacement, created_at`

func (e *Executor) scanDeprecation(row Row) (*registry.DeprecationRecord, error) {
	var d registry.DeprecationRecord
	err := row.Scan(&d.ID, &d.Subject, &d.Path, &d.Version, &d.Reason, scanOptTime(&d.Sunset), &d.Replacement, scanTime(&d.CreatedAt))
	if err != nil {
		return nil, e.translate(err)
	}
	return &d, nil
}

// DeprecationInsert stores a new record; registry.ErrConflict when the
// subject, path and version are already recorded.
func (e *Executor) DeprecationInsert(ctx context.Context, d registry.DeprecationRecord) (*registry.DeprecationRecord, error) {
	out, err := e.scanDeprecation(e.conn.Writer().QueryRow(ctx, `
		INSERT INTO deprecations (subject, path, version, reason, sunset, replacement, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+deprecationColumns,
		d.Subject, d.Path, d.Version, d.Reason, e.nullTime(d.Sunset), d.Replacement, e.time(d.CreatedAt)))
	if err != nil {
		return nil, e.errorf("insert deprecation: %w", err)
	}
	return out, nil
}

// DeprecationUpdate replaces a record's reason, sunset and replacement.
func (e *Executor) DeprecationUpdate(ctx context.Context, d registry.DeprecationRecord) error {
	err := e.affectedOne(e.conn.Writer().Exec(ctx, `UPDATE deprecations SET reason = $1, sunset = $2, replacement = $3 WHERE id = $4`,
		d.Reason, e.nullTime(d.Sunset), d.Replacement, d.ID))
	if err != nil {
		return e.errorf("update deprecation %d: %w", d.ID, err)
	}
	return nil
}

// DeprecationGet returns one record.
func (e *Executor) DeprecationGet(ctx context.Context, id int) (*registry.DeprecationRecord, error) {
	d, err := e.scanDeprecation(e.conn.Reader().QueryRow(ctx, `SELECT `+deprecationColumns+` FROM deprecations WHERE id = $1`, id))
	if err != nil {
		return nil, e.errorf("deprecation %d: %w", id, err)
	}
	return d, nil
}

// DeprecationList lists records ordered by subject, path, version.
func (e *Executor) DeprecationList(ctx context.Context, p registry.DeprecationListParams) ([]registry.DeprecationRecord, error) {
	q := `SELECT ` + deprecationColumns + ` FROM deprecations WHERE true`
	var args []any
	if p.Subject != "" {
		args = append(args, p.Subject)
		q += fmt.Sprintf(` AND subject = $%d`, len(args))
	}
	if p.SubjectPrefix != "" {
		args = append(args, p.SubjectPrefix)
		q += fmt.Sprintf(` AND substr(subject, 1, length($%d)) = $%d`, len(args), len(args))
	}
	out, err := queryAll(ctx, e.conn.Reader(), func(row Row) (registry.DeprecationRecord, error) {
		d, err := e.scanDeprecation(row)
		if err != nil {
			return registry.DeprecationRecord{}, err
		}
		return *d, nil
	}, q+fmt.Sprintf(` ORDER BY subject, path, version, id LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2),
		append(args, limit(p.Limit), max(p.Offset, 0))...)
	if err != nil {
		return nil, e.errorf("list deprecations: %w", e.translate(err))
	}
	return out, nil
}

// DeprecationDelete removes a record.
func (e *Executor) DeprecationDelete(ctx context.Context, id int) error {
	if err := e.affectedOne(e.conn.Writer().Exec(ctx, `DELETE FROM deprecations WHERE id = $1`, id)); err != nil {
		return e.errorf("delete deprecation %d: %w", id, err)
	}
	return nil
}
