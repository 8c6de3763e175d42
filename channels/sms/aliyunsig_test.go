package sms

import (
	"encoding/json"
	"maps"
	"os"
	"testing"
)

// aliyunVectorFile is the layout of testdata/aliyun_vectors.json.
type aliyunVectorFile struct {
	Vectors []struct {
		Name         string            `json:"name"`
		Source       string            `json:"source"`
		Secret       string            `json:"secret"`
		Method       string            `json:"method"`
		Params       map[string]string `json:"params"`
		SortedQuery  string            `json:"sorted_query"`
		StringToSign string            `json:"string_to_sign"`
		Signature    string            `json:"signature"`
	} `json:"vectors"`
	PercentEncoding []struct {
		In  string `json:"in"`
		Out string `json:"out"`
	} `json:"percent_encoding"`
}

// loadAliyunVectors reads the published Alibaba Cloud vectors.
func loadAliyunVectors(t *testing.T) aliyunVectorFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/aliyun_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f aliyunVectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) == 0 || len(f.PercentEncoding) == 0 {
		t.Fatal("empty vector file")
	}
	return f
}

// TestAliyunSignatureVectors checks the string to sign and the signature of
// every published example.
func TestAliyunSignatureVectors(t *testing.T) {
	for _, v := range loadAliyunVectors(t).Vectors {
		t.Run(v.Name, func(t *testing.T) {
			if v.SortedQuery != "" {
				want := v.Method + "&%2F&" + aliyunPercentEncode(v.SortedQuery)
				if want != v.StringToSign {
					t.Fatalf("fixture inconsistent: encoded sorted query does not give the string to sign")
				}
			}
			if got := aliyunStringToSign(v.Method, v.Params); got != v.StringToSign {
				t.Errorf("string to sign\n got %s\nwant %s", got, v.StringToSign)
			}
			if got := aliyunSignature(v.Secret, v.Method, v.Params); got != v.Signature {
				t.Errorf("signature got %s, want %s", got, v.Signature)
			}
		})
	}
}

// TestAliyunSignatureRejectsChanges checks that the signature depends on the
// secret, the method and every parameter, and that a Signature parameter
// already in the map is left out of the signed text.
func TestAliyunSignatureRejectsChanges(t *testing.T) {
	v := loadAliyunVectors(t).Vectors[0]

	if got := aliyunSignature(v.Secret+"x", v.Method, v.Params); got == v.Signature {
		t.Error("signature unchanged with another secret")
	}
	if got := aliyunSignature(v.Secret, "POST", v.Params); got == v.Signature {
		t.Error("signature unchanged with another method")
	}
	for name := range v.Params {
		changed := maps.Clone(v.Params)
		changed[name] += "1"
		if got := aliyunSignature(v.Secret, v.Method, changed); got == v.Signature {
			t.Errorf("signature unchanged after %s changed", name)
		}
	}
	withSig := maps.Clone(v.Params)
	withSig["Signature"] = "stale"
	if got := aliyunSignature(v.Secret, v.Method, withSig); got != v.Signature {
		t.Errorf("a Signature parameter changed the result: %s", got)
	}
	before := maps.Clone(v.Params)
	aliyunSignature(v.Secret, v.Method, v.Params)
	if !maps.Equal(before, v.Params) {
		t.Error("aliyunSignature modified its parameters")
	}
}

// TestAliyunPercentEncode checks the RFC 3986 encoding cases.
func TestAliyunPercentEncode(t *testing.T) {
	for _, c := range loadAliyunVectors(t).PercentEncoding {
		if got := aliyunPercentEncode(c.In); got != c.Out {
			t.Errorf("aliyunPercentEncode(%q) = %q, want %q", c.In, got, c.Out)
		}
	}
	for b := 0; b < 256; b++ {
		s := string([]byte{byte(b)})
		got := aliyunPercentEncode(s)
		if aliyunUnreserved(byte(b)) {
			if got != s {
				t.Errorf("byte %#x encoded as %q, want it kept", b, got)
			}
		} else if len(got) != 3 || got[0] != '%' {
			t.Errorf("byte %#x encoded as %q, want %%XX", b, got)
		}
	}
}
