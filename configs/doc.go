// Package configs loads the gateway's settings.
//
// Settings come, in order of precedence from lowest to highest, from the
// defaults in Default, the YAML file (configs/gateway.yaml unless told
// otherwise), HOTLINE_* environment variables and command-line flags. The
// folder also holds the editable data files that the settings point at: the
// knowledge base, the intent phrases and the message texts.
package configs
