package sqldb

// Gather is the loop of a worker that commits requests in groups: it
// takes one request from reqs, adds those already waiting up to most,
// and hands the group to commit, until closing is closed. Several
// workers may run it on one channel; each group is a slice of its own
// until commit returns.
func Gather[T any](reqs <-chan T, closing <-chan struct{}, most int, commit func([]T)) {
	group := make([]T, 0, most)
	for {
		select {
		case req := <-reqs:
			group = append(group[:0], req)
		case <-closing:
			return
		}
	gather:
		for len(group) < most {
			select {
			case req := <-reqs:
				group = append(group, req)
			default:
				break gather
			}
		}
		commit(group)
	}
}
