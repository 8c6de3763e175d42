package kb

import "math"

// gapPosting is one cluster's weight of a term in the sum of its vectors.
type gapPosting struct {
	cluster int32
	w       float32
}

// gapClusters groups forms around the sum of their vectors, each form
// counted as often as it was asked. Postings by term let a form meet only
// the clusters it shares a feature with.
type gapClusters struct {
	forms    [][]int32         // cluster -> its forms, in the order they joined
	slots    []map[int32]int32 // cluster -> term -> index in postings[term]
	norm2    []float64         // cluster -> squared length of its sum
	postings [][]gapPosting    // term -> clusters with it

	dot     []float32 // cluster -> dot product with the form being placed
	touched []int32   // clusters with a nonzero dot
}

// clusterForms places the forms, which come most frequent first, one by
// one: a form joins the cluster whose centre is closest when the cosine
// reaches least, and starts a cluster otherwise. It returns the forms of
// each cluster, the first one the most frequent.
func clusterForms(forms []gapForm, terms int, least float32) [][]int32 {
	c := &gapClusters{postings: make([][]gapPosting, terms)}
	for i := range forms {
		f := &forms[i]
		best, cos := c.closest(f.vec)
		if best < 0 || cos < least {
			best = c.start()
		}
		c.add(best, int32(i), f.vec, float32(len(f.questions)))
	}
	return c.forms
}

// closest returns the cluster whose centre has the highest cosine with
// vec, the oldest on a tie, and that cosine; -1 when vec shares no term
// with any cluster.
func (c *gapClusters) closest(vec []gapTerm) (int32, float32) {
	for _, v := range vec {
		for _, p := range c.postings[v.term] {
			if c.dot[p.cluster] == 0 {
				c.touched = append(c.touched, p.cluster)
			}
			c.dot[p.cluster] += v.w * p.w
		}
	}
	best, bestCos := int32(-1), float32(0)
	for _, k := range c.touched {
		cos := c.dot[k] / float32(math.Sqrt(c.norm2[k]))
		if cos > bestCos || cos == bestCos && k < best {
			best, bestCos = k, cos
		}
	}
	return best, bestCos
}

// start opens an empty cluster and returns it.
func (c *gapClusters) start() int32 {
	c.forms = append(c.forms, nil)
	c.slots = append(c.slots, map[int32]int32{})
	c.norm2 = append(c.norm2, 0)
	c.dot = append(c.dot, 0)
	return int32(len(c.forms) - 1)
}

// add puts form i, asked count times, with unit vector vec into cluster
// k, then clears the dot products left by closest.
func (c *gapClusters) add(k, i int32, vec []gapTerm, count float32) {
	c.forms[k] = append(c.forms[k], i)
	// |s + n·v|² = |s|² + 2n·(s·v) + n², as v has unit length.
	if len(vec) > 0 {
		c.norm2[k] += 2*float64(count)*float64(c.dot[k]) + float64(count)*float64(count)
	}
	for _, v := range vec {
		if slot, ok := c.slots[k][v.term]; ok {
			c.postings[v.term][slot].w += count * v.w
			continue
		}
		c.slots[k][v.term] = int32(len(c.postings[v.term]))
		c.postings[v.term] = append(c.postings[v.term], gapPosting{cluster: k, w: count * v.w})
	}
	for _, t := range c.touched {
		c.dot[t] = 0
	}
	c.touched = c.touched[:0]
}
