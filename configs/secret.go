package configs

// Secret holds a credential. It prints as <secret> in every format, so a
// logged config, error or struct dump never reveals it. Set one in YAML, in
// HOTLINE_<KEY>, or in a file named by HOTLINE_<KEY>_FILE.
type Secret string

const redacted = "<secret>"

// String hides the value.
func (s Secret) String() string { return redacted }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return redacted }

// MarshalText hides the value from encoders such as encoding/json.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal returns the credential itself, for the one place that uses it.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether a value was given.
func (s Secret) IsSet() bool { return s != "" }
