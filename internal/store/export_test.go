package store

import "context"

// What the package's own tests (package store_test) need to see of its
// insides.

// ReferencesFilter is referencesFilter: the filter Declaration reads a
// declaration's relations with.
func ReferencesFilter(id, lang string, back bool) DeclarationFilter {
	return referencesFilter(id, lang, back)
}

// PreparedQueries returns the text of every query s has prepared.
func (s *Store) PreparedQueries() []string {
	var out []string
	s.stmts.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	return out
}

// QueryPlan returns the details of SQLite's plan of query q, run with
// NULL for each of its arguments (EXPLAIN QUERY PLAN).
func (s *Store) QueryPlan(ctx context.Context, q string, nargs int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, make([]any, nargs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
