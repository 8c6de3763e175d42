package textnorm

// Simplify returns the simplified form of the traditional Chinese character
// r, or r itself when the table has no entry for it.
func Simplify(r rune) rune {
	if r < 0x4E00 || r > 0x9FFF {
		return r
	}
	lo, hi := 0, len(tradChars)/3
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		c := decode3(tradChars, 3*mid)
		switch {
		case c == r:
			return decode3(simpChars, 3*mid)
		case c < r:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return r
}

// decode3 decodes the three-byte UTF-8 sequence at offset i of s.
func decode3(s string, i int) rune {
	return rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
}
