package configs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration that reads from YAML and the environment as
// Go duration text ("90s", "30m", "72h") or as whole days ("90d").
type Duration time.Duration

// maxDays is the most whole days a Duration holds: about 292 years.
const maxDays = int(math.MaxInt64 / int64(24*time.Hour))

// ParseDuration parses Go duration text or a whole number of days ("30d").
// It returns an error naming the text when neither form fits.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > maxDays {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return Duration(time.Duration(n) * 24 * time.Hour), nil
	}

	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return Duration(d), nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats the duration as Go duration text.
func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalYAML reads a duration from a YAML scalar.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes the duration as Go duration text.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }
