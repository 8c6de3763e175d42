package sms

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// tencentVector is one TC3-HMAC-SHA256 example from
// testdata/tencent_vectors.json. Empty expected fields are not checked.
type tencentVector struct {
	Name                   string `json:"name"`
	Source                 string `json:"source"`
	SecretID               string `json:"secret_id"`
	SecretKey              string `json:"secret_key"`
	Service                string `json:"service"`
	Host                   string `json:"host"`
	Action                 string `json:"action"`
	Version                string `json:"version"`
	Region                 string `json:"region"`
	Timestamp              int64  `json:"timestamp"`
	ContentType            string `json:"content_type"`
	Payload                string `json:"payload"`
	HashedPayload          string `json:"hashed_payload"`
	CanonicalRequest       string `json:"canonical_request"`
	HashedCanonicalRequest string `json:"hashed_canonical_request"`
	StringToSign           string `json:"string_to_sign"`
	Signature              string `json:"signature"`
	Authorization          string `json:"authorization"`
}

// request turns the vector into the signer's input.
func (v tencentVector) request() tc3Request {
	return tc3Request{
		SecretID: v.SecretID, SecretKey: v.SecretKey, Service: v.Service, Host: v.Host,
		Action: v.Action, Version: v.Version, Region: v.Region,
		Payload: []byte(v.Payload), Timestamp: v.Timestamp, ContentType: v.ContentType,
	}
}

// loadTencentVectors reads the Tencent Cloud vectors.
func loadTencentVectors(t *testing.T) []tencentVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/tencent_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []tencentVector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return f.Vectors
}

// TestTencentTC3Vectors checks every intermediate value and the
// Authorization header against the examples.
func TestTencentTC3Vectors(t *testing.T) {
	for _, v := range loadTencentVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			auth, canonical, sts := tc3Authorization(v.request())
			if v.HashedPayload != "" && tc3SHA256Hex([]byte(v.Payload)) != v.HashedPayload {
				t.Errorf("payload hash got %s, want %s", tc3SHA256Hex([]byte(v.Payload)), v.HashedPayload)
			}
			if v.CanonicalRequest != "" && canonical != v.CanonicalRequest {
				t.Errorf("canonical request\n got %q\nwant %q", canonical, v.CanonicalRequest)
			}
			if v.HashedCanonicalRequest != "" && tc3SHA256Hex([]byte(canonical)) != v.HashedCanonicalRequest {
				t.Errorf("canonical request hash got %s, want %s", tc3SHA256Hex([]byte(canonical)), v.HashedCanonicalRequest)
			}
			if v.StringToSign != "" && sts != v.StringToSign {
				t.Errorf("string to sign\n got %q\nwant %q", sts, v.StringToSign)
			}
			if v.Signature != "" && !strings.HasSuffix(auth, ", Signature="+v.Signature) {
				t.Errorf("signature: got %s, want it to end in %s", auth, v.Signature)
			}
			if auth != v.Authorization {
				t.Errorf("authorization\n got %s\nwant %s", auth, v.Authorization)
			}
		})
	}
}

// TestTencentTC3Inputs checks the defaults and that the signature covers
// the key, the payload, the host, the service, the content type and the
// timestamp, while the unsigned X-TC-* values leave it alone.
func TestTencentTC3Inputs(t *testing.T) {
	v := loadTencentVectors(t)[0]
	base := v.request()
	want, _, _ := tc3Authorization(base)

	def := base
	def.ContentType = ""
	if got, _, _ := tc3Authorization(def); got != want {
		t.Errorf("empty ContentType should sign %q", tc3DefaultContentType)
	}
	upper := base
	upper.Host = "CVM.TencentCloudAPI.com"
	upper.ContentType = "Application/JSON; charset=UTF-8"
	if got, _, _ := tc3Authorization(upper); got != want {
		t.Error("header values should be signed in lower case")
	}
	unsigned := base
	unsigned.Action, unsigned.Version, unsigned.Region = "RunInstances", "2099-01-01", "ap-shanghai"
	if got, _, _ := tc3Authorization(unsigned); got != want {
		t.Error("X-TC-Action, X-TC-Version and X-TC-Region are not signed headers")
	}

	changes := map[string]func(r *tc3Request){
		"secret key":   func(r *tc3Request) { r.SecretKey += "x" },
		"payload":      func(r *tc3Request) { r.Payload = []byte(string(r.Payload) + " ") },
		"host":         func(r *tc3Request) { r.Host = "sms.tencentcloudapi.com" },
		"service":      func(r *tc3Request) { r.Service = "sms" },
		"content type": func(r *tc3Request) { r.ContentType = "application/json" },
		"timestamp":    func(r *tc3Request) { r.Timestamp++ },
	}
	wantSig := want[strings.LastIndex(want, "=")+1:]
	for name, change := range changes {
		r := base
		change(&r)
		got, _, _ := tc3Authorization(r)
		if got[strings.LastIndex(got, "=")+1:] == wantSig {
			t.Errorf("signature unchanged after the %s changed", name)
		}
	}
}

// TestTencentTC3UTCDate checks that the credential date is the UTC date,
// using the documentation's own warning case: 1551113065 is already
// 2019-02-26 in UTC+8 but still 2019-02-25 in UTC.
func TestTencentTC3UTCDate(t *testing.T) {
	r := tc3Request{SecretID: "id", SecretKey: "key", Service: "sms", Host: "sms.tencentcloudapi.com", Timestamp: 1551113065}
	auth, _, sts := tc3Authorization(r)
	if !strings.Contains(auth, "Credential=id/2019-02-25/sms/tc3_request, ") {
		t.Errorf("credential scope: %s", auth)
	}
	if !strings.HasPrefix(sts, "TC3-HMAC-SHA256\n1551113065\n2019-02-25/sms/tc3_request\n") {
		t.Errorf("string to sign: %q", sts)
	}
	r.Timestamp = 1551139199 // 2019-02-25T23:59:59Z
	if _, _, sts := tc3Authorization(r); !strings.Contains(sts, "\n2019-02-25/") {
		t.Errorf("last second of the day: %q", sts)
	}
	r.Timestamp = 1551139200 // 2019-02-26T00:00:00Z
	if _, _, sts := tc3Authorization(r); !strings.Contains(sts, "\n2019-02-26/") {
		t.Errorf("first second of the next day: %q", sts)
	}
}
