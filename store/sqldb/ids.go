package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// sqlReserveIDs takes the next block of numbers from a counter row. The
// row is locked only for this short transaction, once per block, so
// ticket creations on several instances do not queue behind one lock.
const sqlReserveIDs = `UPDATE id_counters SET next_value = next_value + ?
	WHERE name = ? RETURNING next_value`

// idBlocks hands out the numbers of ids from blocks reserved in the
// database, so numbers are unique across every process sharing it.
type idBlocks struct {
	name string
	size int64

	mu   sync.Mutex
	next int64 // the next number to hand out
	end  int64 // one past the block's last number
}

func newIDBlocks(name string, size int64) *idBlocks {
	return &idBlocks{name: name, size: size}
}

// take returns an unused number, reserving a new block when the current
// one is used up. It must not be called inside a Write function.
func (b *idBlocks) take(ctx context.Context, db *DB, st *Statements) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.next < b.end {
		b.next++
		return b.next - 1, nil
	}

	var top int64
	err := db.Write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := st.QueryTx(ctx, tx, sqlReserveIDs, b.size, b.name)
		if err != nil {
			return err
		}
		return scanOne(rows, &top)
	})
	if err != nil {
		return 0, fmt.Errorf("reserve %s ids: %w", b.name, err)
	}
	b.next, b.end = top-b.size+2, top+1
	return top - b.size + 1, nil
}

// scanOne reads the single row of a statement with RETURNING and closes
// the rows.
func scanOne(rows *sql.Rows, dest ...any) error {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
