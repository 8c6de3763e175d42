package configs

import "reflect"

// setFromEnvFor applies environment overrides to any settings struct.
func setFromEnvFor(ptr any, getenv func(string) string) error {
	return walkEnv(reflect.ValueOf(ptr).Elem(), "", getenv)
}
