package form

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// shippedPath is the flows file the gateway ships with.
const shippedPath = "../../configs/flows.yaml"

// loadShipped loads the shipped flows file or stops the test.
func loadShipped(t testing.TB) *Flows {
	t.Helper()
	fs, err := Load(shippedPath)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return fs
}

// shippedFlow returns one flow of the shipped file.
func shippedFlow(t testing.TB, name string) *Flow {
	t.Helper()
	f, ok := loadShipped(t).Flow(name)
	if !ok {
		t.Fatalf("flow %s missing", name)
	}
	return f
}

// mini returns the small test flows file, changed by replacing old with
// new (each pair once).
func mini(t *testing.T, pairs ...string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("mini.yaml has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

func TestLoad_Shipped(t *testing.T) {
	fs := loadShipped(t)

	if err := fs.Lint(); err != nil {
		t.Errorf("Lint: every text should have zh and en:\n%v", err)
	}
	if c := fs.Complaint(); c == nil || c.Name != "complaint" {
		t.Errorf("Complaint() = %v, want the complaint flow", c)
	}

	want := map[string][]string{
		"mobile_no_signal": {"mobile_number", "area", "symptom", "since", "contact", "call_time"},
		"mobile_data_slow": {"mobile_number", "symptom", "since", "contact", "call_time"},
		"broadband_down": {"broadband_account", "area", "address", "symptom", "since", "contact",
			"call_time"},
		"broadband_slow": {"broadband_account", "area", "address", "symptom", "since", "contact",
			"call_time"},
		"tv": {"broadband_account", "area", "address", "symptom", "since", "contact",
			"call_time"},
		"landline": {"landline_number", "area", "address", "symptom", "since", "contact",
			"call_time"},
		"other_fault": {"description", "since", "contact", "call_time"},
		"complaint":   {"topic", "description", "contact"},
	}
	var faults []string
	for _, f := range fs.Faults() {
		faults = append(faults, f.Name)
	}
	if len(faults) != len(want)-1 {
		t.Errorf("Faults() = %v, want the %d fault flows", faults, len(want)-1)
	}
	for name, slots := range want {
		f, ok := fs.Flow(name)
		if !ok {
			t.Errorf("flow %s missing", name)
			continue
		}
		var got []string
		for _, s := range f.Slots {
			got = append(got, s.Name)
		}
		if !slices.Equal(got, slots) {
			t.Errorf("flow %s slots = %v, want %v", name, got, slots)
		}
	}
}

func TestLoad_ShippedServices(t *testing.T) {
	fs := loadShipped(t)
	want := map[string]string{
		"mobile_no_signal": "mobile", "mobile_data_slow": "mobile", "broadband_down": "broadband",
		"broadband_slow": "broadband", "tv": "tv", "landline": "landline", "other_fault": "",
		"complaint": "",
	}
	for name, service := range want {
		if f, _ := fs.Flow(name); f == nil || f.Service != service {
			t.Errorf("flow %s: service should be %q", name, service)
		}
	}
}

// TestLoad_ShippedOverrides checks that fields a flow sets on a shared
// slot win over the shared ones.
func TestLoad_ShippedOverrides(t *testing.T) {
	tv := shippedFlow(t, "tv")
	if got := tv.slot("broadband_account").prompt.In(LangZh); !strings.Contains(got, "电视") {
		t.Errorf("tv account prompt = %q, want the TV wording", got)
	}
	data := shippedFlow(t, "mobile_data_slow")
	if d := data.slot("contact").dflt; d == nil || d.ask {
		t.Errorf("mobile_data_slow contact default = %+v, want filled silently", d)
	}
	signal := shippedFlow(t, "mobile_no_signal")
	if d := signal.slot("contact").dflt; d == nil || !d.ask {
		t.Errorf("mobile_no_signal contact default = %+v, want offered", d)
	}
}

func TestLoad_MissingFile(t *testing.T) {
	if _, err := Load("testdata/no-such-file.yaml"); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
}

func TestParse_Mini(t *testing.T) {
	fs, err := Parse(mini(t))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := fs.Lint(); err != nil {
		t.Errorf("Lint: %v", err)
	}
	f, _ := fs.Flow("fix")
	if f.MaxFailures != 2 {
		t.Errorf("MaxFailures = %d, want 2", f.MaxFailures)
	}
	c, _ := fs.Flow("complaint")
	if c.MaxFailures != defaultMaxFailures {
		t.Errorf("default MaxFailures = %d, want %d", c.MaxFailures, defaultMaxFailures)
	}
}

func TestParse_Rejects(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		wants []string // substrings of the error
	}{
		{"empty file", []byte(""), []string{"empty"}},
		{"not YAML", []byte("flows: [\n"), []string{"parse"}},
		{"unknown top-level field", mini(t, "menu:", "colour: red\nmenu:"), []string{"colour"}},
		{"unknown slot field", mini(t, "        optional: true", "        optinal: true"),
			[]string{"flow fix", "optinal"}},
		{"unknown format", mini(t, "formats: [mobile]", "formats: [mobil]"),
			[]string{"shared slot phone", `unknown format "mobil"`}},
		{"bad regex", mini(t, `"1[3-9][0-9]{9}"`, `"1[3-9"`), []string{"format mobile", "pattern"}},
		{"choice without label", mini(t, "{value: earlier, label: {zh: 更早, en: Earlier}}",
			"{value: earlier}"),
			[]string{"flow fix", "slot when", "choice earlier", "zh"}},
		{"duplicate choice", mini(t, "value: earlier", "value: today"), []string{"slot when",
			"choice today", "twice"}},
		{"duplicate slot", mini(t, "      - use: phone\n", "      - use: phone\n      - use: phone\n"),
			[]string{"flow fix", "slot phone", "twice"}},
		{"empty prompt in a language", mini(t, `en: "When?"`, `en: ""`),
			[]string{"flow fix", "slot when", "prompt", `"en" text is empty`}},
		{"missing Chinese prompt", mini(t, "prompt: {zh: 请描述。, en: Please describe.}",
			"prompt: {en: Please describe.}"),
			[]string{"flow complaint", "slot details", "prompt", "zh"}},
		{"max failures below one", mini(t, "max_failures: 2", "max_failures: 0"), []string{"flow fix",
			"max_failures"}},
		{"unknown kind", mini(t, "kind: fault", "kind: praise"), []string{"flow fix", "kind"}},
		{"unknown service", mini(t, "service: mobile", "service: radio"), []string{"flow fix",
			"service"}},
		{"unknown shared slot", mini(t, "use: phone", "use: telephone"), []string{"flow fix",
			"telephone"}},
		{"unknown type", mini(t, "type: choice", "type: date"), []string{"slot when", "type"}},
		{"unknown role", mini(t, "role: service_number", "role: boss"), []string{"role"}},
		{"choice slot without choices", mini(t, "type: text", "type: choice"), []string{"slot details",
			"choices"}},
		{"lengths reversed", mini(t, "max_length: 10", "max_length: 3"), []string{"slot details",
			"min_length"}},
		{"bad slot name", mini(t, "name: when", "name: When"), []string{"flow fix", "name"}},
		{"duplicate flow", mini(t, "name: complaint", "name: fix"), []string{"flow fix", "twice"}},
		{"two complaints", mini(t, "kind: fault", "kind: complaint"), []string{"complaint flows"}},
		{"extract from free text", mini(t, "max_length: 10", "max_length: 10\n        extract: true"),
			[]string{"slot details", "extract"}},
		{"default from unknown role", mini(t, "        optional: true",
			"        optional: true\n        default: {from: nobody, formats: [mobile]}"),
			[]string{"slot when", "default"}},
		{"unknown choice field", mini(t, "aliases: [今早]", "alias: [今早]"), []string{"flow fix",
			`"alias"`, "line 40"}},
		{"no flows", mini(t, "flows:", "old_flows:"), []string{"old_flows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.data)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q\ndoes not mention %q", err, want)
				}
			}
		})
	}
}

func TestLint_ReportsMissingEnglish(t *testing.T) {
	fs, err := Parse(mini(t, `prompt: {zh: 什么时候？, en: "When?"}`, "prompt: {zh: 什么时候？}"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	err = fs.Lint()
	if err == nil || !strings.Contains(err.Error(), "flow fix: slot when: prompt: no en text") {
		t.Errorf("Lint = %v, want the missing English prompt named", err)
	}
}

func TestParse_OverrideReplacesText(t *testing.T) {
	fs, err := Parse(mini(t, "      - use: phone\n", "      - use: phone\n        prompt: {zh: 您的号码？}\n"))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := fs.Flow("fix")
	if got := f.slot("phone").prompt; len(got) != 1 || got[LangZh] != "您的号码？" {
		t.Errorf("prompt = %v, want only the flow's Chinese prompt", got)
	}
	if err := fs.Lint(); err == nil || !strings.Contains(err.Error(), "flow fix: slot phone: prompt") {
		t.Errorf("Lint = %v, want the missing English prompt reported", err)
	}
}
