package convdb

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"hotline/dialog"
)

// BenchmarkCommit measures one dialog turn's write (a conversation update,
// an inbound and an outbound message) with 32 conversations writing at
// once, as the group-committing writer sees them.
func BenchmarkCommit(b *testing.B) {
	for _, sync := range []string{"full", "normal"} {
		b.Run(sync, func(b *testing.B) {
			s, err := Open(context.Background(), b.TempDir(), Options{Synchronous: sync})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			benchCommits(b, s)
		})
	}
}

func benchCommits(b *testing.B, s *Store) {
	var next atomic.Int64
	b.SetParallelism(16) // 32 writers on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		id := next.Add(1)
		c := newConv(fmt.Sprint("c", id), fmt.Sprint("a", id))
		for pb.Next() {
			in := msg(c.ID, c.LastSeq+1, dialog.In, "话费余额怎么查")
			in.ID = dialog.NewID("m_", time.Now())
			in.ProviderID = in.ID
			out := msg(c.ID, c.LastSeq+2, dialog.Out, "您可以在官方APP首页查看余额。")
			out.ID = dialog.NewID("m_", time.Now())
			c.LastSeq += 2
			if err := s.Commit(ctx, dialog.Change{Conversation: c,
				Messages: []dialog.Message{in, out}}); err != nil {
				b.Error(err)
				return
			}
			c.Version++
		}
	})
}
