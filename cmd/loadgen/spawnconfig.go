package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// writeSpawnConfig copies configs/ to dir/configs with gateway.yaml
// changed for the run: the plan's agent accounts, a Twilio channel on
// the fake API, and the desk open around the clock. It returns the
// settings file's path.
func writeSpawnConfig(root, dir string, p spawnPlan) (string, error) {
	src, dst := filepath.Join(root, "configs"), filepath.Join(dir, "configs")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	files, _ := filepath.Glob(filepath.Join(src, "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		if filepath.Base(f) == "gateway.yaml" {
			if b, err = spawnSettings(b, p); err != nil {
				return "", err
			}
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o600); err != nil {
			return "", err
		}
	}
	return filepath.Join(dst, "gateway.yaml"), nil
}

// spawnSettings edits the shipped gateway.yaml; each edit must apply.
func spawnSettings(base []byte, p spawnPlan) ([]byte, error) {
	accounts, err := accountsYAML(p.accounts)
	if err != nil {
		return nil, err
	}
	edits := []struct{ old, new string }{
		{"  accounts: []", accounts},
		{"\nsms: []", "\n" + twilioYAML(p)},
		{`    all: ["08:00-22:00"]`, `    all: ["00:00-24:00"]`},
		{`  holiday_hours: ["09:00-18:00"]`, `  holiday_hours: ["00:00-24:00"]`},
		// Every simulated client and provider writes from the loopback
		// address, far faster than one real address would.
		{"  rate_per_address: 100 ", "  rate_per_address: 0 "},
		{"  refusals_per_address: 30 ", "  refusals_per_address: 0 "},
	}
	s := string(base)
	for _, e := range edits {
		if !strings.Contains(s, e.old) {
			return nil, fmt.Errorf("configs/gateway.yaml has no %q to change for -spawn", e.old)
		}
		s = strings.Replace(s, e.old, e.new, 1)
	}
	return []byte(s), nil
}

// accountsYAML lists the agent accounts, every group, five at a time.
func accountsYAML(accs []account) (string, error) {
	var b strings.Builder
	b.WriteString("  accounts:\n")
	groups, _ := json.Marshal([]string{"broadband", "mobile", "billing", "complaints"})
	for i, a := range accs {
		hash, err := bcrypt.GenerateFromPassword([]byte(a.password), bcrypt.MinCost)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "    - {id: %s, name: \"坐席%d\", role: agent, groups: %s, max_concurrent: 5, password_hash: %q}\n",
			a.name, i+1, groups, hash)
	}
	return b.String(), nil
}

// twilioYAML is the Twilio channel on the fake API.
func twilioYAML(p spawnPlan) string {
	return fmt.Sprintf(`sms:
  - name: %s
    provider: twilio
    rate: 100000
    burst: 10000
    twilio:
      account_sid: %s
      auth_token: %s
      from: %q
      public_url: %s
      api_url: %s
`, p.sms.channel, p.sms.sid, p.sms.token, p.sms.from, p.sms.publicURL, p.twilioAPI)
}
