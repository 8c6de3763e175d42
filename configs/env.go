package configs

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
)

// EnvName returns the environment variable that overrides the YAML key
// (dotted path) key: "webchat.read_limit" is HOTLINE_WEBCHAT_READ_LIMIT.
func EnvName(key string) string {
	return "HOTLINE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// applyEnv walks the settings and overrides each one whose HOTLINE_*
// variable is set. A Secret can also come from the file named by the
// variable with _FILE appended.
func applyEnv(c *Config, getenv func(string) string) error {
	if getenv == nil {
		return nil
	}
	return walkEnv(reflect.ValueOf(c).Elem(), "", getenv)
}

func walkEnv(v reflect.Value, prefix string, getenv func(string) string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}

		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			if err := walkEnv(fv, key, getenv); err != nil {
				return err
			}
			continue
		}

		if err := setFromEnv(fv, key, getenv); err != nil {
			return err
		}
	}
	return nil
}

func setFromEnv(fv reflect.Value, key string, getenv func(string) string) error {
	name := EnvName(key)
	raw := getenv(name)
	if raw == "" && fv.Type() == reflect.TypeOf(Secret("")) {
		file := getenv(name + "_FILE")
		if file == "" {
			return nil
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("%s_FILE (%s): cannot read the file", name, key)
		}
		raw = strings.TrimSpace(string(data))
	}
	if raw == "" {
		return nil
	}

	if err := setValue(fv, raw); err != nil {
		return fmt.Errorf("%s (%s): %w", name, key, err)
	}
	return nil
}

func setValue(fv reflect.Value, raw string) error {
	switch fv.Addr().Interface().(type) {
	case *Duration:
		d, err := ParseDuration(raw)
		if err != nil {
			return err
		}
		fv.Set(reflect.ValueOf(d))
		return nil
	case *[]string:
		fv.Set(reflect.ValueOf(splitList(raw)))
		return nil
	}

	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		fv.SetInt(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("want a number")
		}
		fv.SetFloat(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		fv.SetBool(b)
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}

func splitList(raw string) []string {
	var out []string
	for p := range strings.SplitSeq(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
