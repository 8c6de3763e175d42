package sms

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// twilioVector is one published X-Twilio-Signature example from
// testdata/twilio_vectors.json.
type twilioVector struct {
	Name        string      `json:"name"`
	Source      string      `json:"source"`
	URL         string      `json:"url"`
	Token       string      `json:"token"`
	Params      [][2]string `json:"params"`
	SignedData  string      `json:"signed_data"`
	Expected    string      `json:"expected"`
	PortVariant *struct {
		ValidateURL string `json:"validate_url"`
		Note        string `json:"note"`
	} `json:"port_variant"`
	Body                  string `json:"body"`
	BodySHA256            string `json:"body_sha256"`
	ArrivalOrderSignature string `json:"arrival_order_signature"`
}

// values returns the vector's parameters as url.Values, keeping repeated
// names in arrival order.
func (v twilioVector) values() url.Values {
	vals := url.Values{}
	for _, p := range v.Params {
		vals.Add(p[0], p[1])
	}
	return vals
}

// loadTwilioVectors reads the published Twilio vectors.
func loadTwilioVectors(t *testing.T) []twilioVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/twilio_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []twilioVector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) < 7 {
		t.Fatalf("want at least 7 vectors, got %d", len(file.Vectors))
	}
	return file.Vectors
}

// TestTwilioSignatureVectors checks every published vector's signature
// (and, where published, the signed text) over its own URL.
func TestTwilioSignatureVectors(t *testing.T) {
	for _, v := range loadTwilioVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			params := v.values()
			if v.SignedData != "" {
				if got := twilioSignedData(v.URL, params); got != v.SignedData {
					t.Errorf("signed data\n got %q\nwant %q", got, v.SignedData)
				}
			}
			if got := TwilioSignature(v.Token, v.URL, params); got != v.Expected {
				t.Errorf("signature got %s, want %s", got, v.Expected)
			}
			if !twilioValid(v.Token, v.URL, params, v.Expected) {
				t.Error("published signature does not validate over its own URL")
			}
		})
	}
}

// TestTwilioValidPortVariants checks the SDKs' port cases: default port
// added, any port removed, a non-default port kept.
func TestTwilioValidPortVariants(t *testing.T) {
	seen := 0
	for _, v := range loadTwilioVectors(t) {
		if v.PortVariant == nil {
			continue
		}
		seen++
		t.Run(v.Name, func(t *testing.T) {
			if !twilioValid(v.Token, v.PortVariant.ValidateURL, v.values(), v.Expected) {
				t.Errorf("%s: want valid for %s (%s)", v.Expected, v.PortVariant.ValidateURL, v.PortVariant.Note)
			}
		})
	}
	if seen < 4 {
		t.Fatalf("want 4 port variants, found %d", seen)
	}
}

// TestTwilioValidRejects checks the negative cases, including the
// arrival-order signature of the repeated-name vector.
func TestTwilioValidRejects(t *testing.T) {
	vectors := loadTwilioVectors(t)
	base := vectors[1]
	params := base.values()

	t.Run("wrong token", func(t *testing.T) {
		if twilioValid("54321", base.URL, params, base.Expected) {
			t.Error("validated with the wrong Auth Token")
		}
	})
	t.Run("parameter changed", func(t *testing.T) {
		changed := base.values()
		changed.Set("Digits", "1235")
		if twilioValid(base.Token, base.URL, changed, base.Expected) {
			t.Error("validated after a parameter changed")
		}
	})
	t.Run("parameter added", func(t *testing.T) {
		added := base.values()
		added.Set("Body", "hi")
		if twilioValid(base.Token, base.URL, added, base.Expected) {
			t.Error("validated after a parameter was added")
		}
	})
	t.Run("query changed", func(t *testing.T) {
		u := strings.Replace(base.URL, "foo=1", "foo=2", 1)
		if twilioValid(base.Token, u, params, base.Expected) {
			t.Error("validated after the query changed")
		}
	})
	t.Run("other host", func(t *testing.T) {
		u := strings.Replace(base.URL, "mycompany.com", "mycompany.net", 1)
		if twilioValid(base.Token, u, params, base.Expected) {
			t.Error("validated for another host")
		}
	})
	t.Run("empty signature", func(t *testing.T) {
		if twilioValid(base.Token, base.URL, params, "") {
			t.Error("empty signature validated")
		}
		if twilioValid("", base.URL, params, "") {
			t.Error("empty signature validated with an empty token")
		}
	})
	t.Run("garbage signature", func(t *testing.T) {
		if twilioValid(base.Token, base.URL, params, "WRONG SIGNATURE") {
			t.Error("garbage signature validated")
		}
	})
	t.Run("scheme swapped", func(t *testing.T) {
		u := strings.Replace(base.URL, "https://", "http://", 1)
		if twilioValid(base.Token, u, params, base.Expected) {
			t.Error("an https signature validated for http")
		}
	})

	var dup twilioVector
	for _, v := range vectors {
		if v.ArrivalOrderSignature != "" {
			dup = v
		}
	}
	if dup.ArrivalOrderSignature == "" {
		t.Fatal("no repeated-name vector")
	}
	t.Run("repeated name, arrival order", func(t *testing.T) {
		p := dup.values()
		if got := p["Digits"]; len(got) != 2 || got[0] != "5678" {
			t.Fatalf("fixture not in arrival order: %v", got)
		}
		if TwilioSignature(dup.Token, dup.URL, p) == dup.ArrivalOrderSignature {
			t.Fatal("signature computed over arrival order")
		}
		if twilioValid(dup.Token, dup.URL, p, dup.ArrivalOrderSignature) {
			t.Error("arrival-order signature validated")
		}
		if !twilioValid(dup.Token, dup.URL, p, dup.Expected) {
			t.Error("sorted-values signature did not validate")
		}
	})
}

// TestTwilioBodyHash checks the body hash of the JSON-body vectors.
func TestTwilioBodyHash(t *testing.T) {
	n := 0
	for _, v := range loadTwilioVectors(t) {
		if v.Body == "" {
			continue
		}
		n++
		if got := twilioBodyHash([]byte(v.Body)); got != v.BodySHA256 {
			t.Errorf("%s: body hash got %s, want %s", v.Name, got, v.BodySHA256)
		}
		if !strings.Contains(v.URL, "bodySHA256="+twilioBodyHash([]byte(v.Body))) {
			t.Errorf("%s: URL does not carry the body hash", v.Name)
		}
		if twilioValid(v.Token, v.URL, url.Values{"extra": {"x"}}, v.Expected) {
			t.Errorf("%s: validated with parameters added to a body-signed request", v.Name)
		}
	}
	if n == 0 {
		t.Fatal("no JSON-body vector")
	}
	if got := twilioBodyHash([]byte(`{"property": "value", "boolean": true}`)); got != "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620" {
		t.Errorf("body hash got %s", got)
	}
}

// TestTwilioURLForms checks the port variant built for assorted URLs.
func TestTwilioURLForms(t *testing.T) {
	cases := []struct{ in, alt string }{
		{"https://a.example/p?q=1", "https://a.example:443/p?q=1"},
		{"http://a.example/p", "http://a.example:80/p"},
		{"HTTPS://a.example", "HTTPS://a.example:443"},
		{"https://a.example:443/p", "https://a.example/p"},
		{"https://a.example:8443/p?x=a:b", "https://a.example/p?x=a:b"},
		{"https://u:pw@a.example/p", "https://u:pw@a.example:443/p"},
		{"https://[2001:db8::1]/p", "https://[2001:db8::1]:443/p"},
		{"https://[2001:db8::1]:443/p", "https://[2001:db8::1]/p"},
		{"https://a.example/p%20q?x=%2F", "https://a.example:443/p%20q?x=%2F"},
	}
	for _, c := range cases {
		forms := twilioURLForms(c.in)
		if len(forms) != 2 || forms[0] != c.in || forms[1] != c.alt {
			t.Errorf("%s: got %q, want [%q %q]", c.in, forms, c.in, c.alt)
		}
	}
	for _, in := range []string{"ftp://a.example/p", "not a url"} {
		if forms := twilioURLForms(in); len(forms) != 1 || forms[0] != in {
			t.Errorf("%s: got %q, want only the URL itself", in, forms)
		}
	}
}
