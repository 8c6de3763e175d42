package tickets

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// calendarFile is the YAML shape of a business calendar.
type calendarFile struct {
	Holidays []string `yaml:"holidays"`
	Workdays []string `yaml:"workdays"`
}

// LoadCalendar reads a business calendar file: lists of holidays and
// make-up working days written as 2006-01-02, in the given location.
func LoadCalendar(path string, loc *time.Location) (*Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	c, err := ParseCalendar(data, loc)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", path, err)
	}
	return c, nil
}

// ParseCalendar reads a business calendar from the text of its file.
func ParseCalendar(data []byte, loc *time.Location) (*Calendar, error) {
	var f calendarFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	return NewCalendar(f.Holidays, f.Workdays, loc)
}
