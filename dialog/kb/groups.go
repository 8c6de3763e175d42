package kb

import "hotline/dialog/textnorm"

// mergeGroups joins synonym groups that share a term, so that every term
// has one canonical form: the first term of the earliest group it is in.
// Terms are compared after normalization; empty terms are dropped.
func mergeGroups(groups [][]string) [][]string {
	parent := make([]int, len(groups))
	owner := map[string]int{}
	for i := range groups {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}

	for i, g := range groups {
		for _, term := range g {
			n := textnorm.Normalize(term)
			if j, ok := owner[n]; ok {
				a, b := find(i), find(j)
				parent[max(a, b)] = min(a, b)
				continue
			}
			owner[n] = i
		}
	}
	return collect(groups, find)
}

// collect lists each merged group once, its terms in first-seen order.
func collect(groups [][]string, find func(int) int) [][]string {
	merged := map[int][]string{}
	seen := map[string]bool{}
	listed := map[int]bool{}
	var order []int
	for i, g := range groups {
		root := find(i)
		if !listed[root] {
			listed[root] = true
			order = append(order, root)
		}
		for _, term := range g {
			n := textnorm.Normalize(term)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			merged[root] = append(merged[root], n)
		}
	}
	out := make([][]string, 0, len(order))
	for _, root := range order {
		if len(merged[root]) > 1 {
			out = append(out, merged[root])
		}
	}
	return out
}
