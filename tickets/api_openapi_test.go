package tickets_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"hotline/tickets"
)

// apiSpec is the OpenAPI document, parsed.
type apiSpec struct {
	doc map[string]any
}

// methods an OpenAPI path item may hold.
var specMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadSpec(t testing.TB) *apiSpec {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatalf("read openapi.yaml: %v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse openapi.yaml: %v", err)
	}
	return &apiSpec{doc: doc}
}

// operations lists the document's operations as "METHOD path".
func (s *apiSpec) operations() []string {
	var out []string
	for path, item := range asMap(s.doc["paths"]) {
		for _, m := range specMethods {
			if _, ok := asMap(item)[m]; ok {
				out = append(out, strings.ToUpper(m)+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// match finds the documented path template a request path fits.
func (s *apiSpec) match(path string) (string, map[string]any, bool) {
	path, _, _ = strings.Cut(path, "?")
	got := strings.Split(path, "/")
	for tmpl, item := range asMap(s.doc["paths"]) {
		want := strings.Split(tmpl, "/")
		if len(want) != len(got) {
			continue
		}
		same := true
		for i := range want {
			wild := strings.HasPrefix(want[i], "{")
			if !wild && want[i] != got[i] || wild && got[i] == "" {
				same = false
				break
			}
		}
		if same {
			return tmpl, asMap(item), true
		}
	}
	return "", nil, false
}

// checkResponse holds an answer to the document: its status must be
// documented for the operation, and a JSON body must have exactly the
// documented fields, of the documented types. A method the path does not
// take must be answered with a documented error.
func (s *apiSpec) checkResponse(t *testing.T, method, path string, res response) {
	t.Helper()
	tmpl, item, ok := s.match(path)
	if !ok {
		s.checkBody(t, "unknown path "+path, s.ref("#/components/schemas/Error"), res)
		return
	}
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok {
		s.checkBody(t, method+" "+tmpl, s.ref("#/components/schemas/Error"), res)
		return
	}

	resp, ok := asMap(op["responses"])[strconv.Itoa(res.status)]
	if !ok {
		t.Errorf("%s %s answered %d, which the document does not list; body %s",
			method, tmpl, res.status, res.body)
		return
	}
	content := asMap(s.resolve(resp)["content"])
	if js, ok := content["application/json"]; ok {
		s.checkBody(t, fmt.Sprintf("%s %s %d", method, tmpl, res.status), asMap(js)["schema"], res)
	}
}

func (s *apiSpec) checkBody(t *testing.T, where string, schema any, res response) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", where, ct)
	}
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Errorf("%s: body is not JSON: %v", where, err)
		return
	}
	for _, problem := range s.validate("$", v, schema) {
		t.Errorf("%s: %s", where, problem)
	}
}

// validate lists how v departs from the schema.
func (s *apiSpec) validate(at string, v any, schema any) []string {
	sch := s.flatten(schema)
	if v == nil {
		if sch["nullable"] == true {
			return nil
		}
		return []string{at + " is null but not nullable"}
	}
	switch sch["type"] {
	case "object":
		return s.validateObject(at, v, sch)
	case "array":
		items, ok := v.([]any)
		if !ok {
			return []string{at + " is not an array"}
		}
		var out []string
		for i, item := range items {
			out = append(out, s.validate(fmt.Sprintf("%s[%d]", at, i), item, sch["items"])...)
		}
		return out
	}
	return validateScalar(at, v, sch)
}

func (s *apiSpec) validateObject(at string, v any, sch map[string]any) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{at + " is not an object"}
	}
	var out []string
	if extra, ok := sch["additionalProperties"].(map[string]any); ok {
		for k, val := range obj {
			out = append(out, s.validate(at+"."+k, val, extra)...)
		}
		return out
	}

	props := asMap(sch["properties"])
	for k, val := range obj {
		p, ok := props[k]
		if !ok {
			out = append(out, at+"."+k+" is not in the document")
			continue
		}
		out = append(out, s.validate(at+"."+k, val, p)...)
	}
	for k := range props {
		if _, ok := obj[k]; !ok {
			out = append(out, at+"."+k+" is documented but missing")
		}
	}
	return out
}

func validateScalar(at string, v any, sch map[string]any) []string {
	ok := true
	switch sch["type"] {
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "integer":
		n, isNum := v.(json.Number)
		_, err := n.Int64()
		ok = isNum && err == nil
	case "number":
		_, ok = v.(json.Number)
	}
	if !ok {
		return []string{fmt.Sprintf("%s is %v, not a %v", at, v, sch["type"])}
	}
	if enum, has := sch["enum"].([]any); has && !slices.Contains(enum, v) {
		return []string{fmt.Sprintf("%s is %v, not one of %v", at, v, enum)}
	}
	return nil
}

// flatten resolves a reference and merges an allOf into one object
// schema.
func (s *apiSpec) flatten(schema any) map[string]any {
	sch := s.resolve(schema)
	parts, ok := sch["allOf"].([]any)
	if !ok {
		return sch
	}
	props := map[string]any{}
	for _, p := range parts {
		for k, v := range asMap(s.flatten(p)["properties"]) {
			props[k] = v
		}
	}
	return map[string]any{"type": "object", "properties": props}
}

func (s *apiSpec) resolve(v any) map[string]any {
	m := asMap(v)
	if ref, ok := m["$ref"].(string); ok {
		return s.resolve(s.ref(ref))
	}
	return m
}

// ref looks up a local reference such as #/components/schemas/Error.
func (s *apiSpec) ref(ref string) map[string]any {
	var cur any = s.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		cur = asMap(cur)[part]
	}
	return asMap(cur)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// TestAPI_OpenAPI holds the document and the handlers to each other: the
// same routes on both sides, every documented operation reaching its
// handler, and the document served as it is in the source tree.
func TestAPI_OpenAPI(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)

	t.Run("routes_and_document_agree", func(t *testing.T) {
		var routes []string
		for _, rt := range tickets.APIRoutes() {
			routes = append(routes, rt[0]+" "+rt[1])
		}
		sort.Strings(routes)
		if ops := e.spec.operations(); !slices.Equal(ops, routes) {
			t.Errorf("document operations\n%s\nroutes\n%s",
				strings.Join(ops, "\n"), strings.Join(routes, "\n"))
		}
	})

	t.Run("every_operation_reaches_a_handler", func(t *testing.T) {
		for _, op := range e.spec.operations() {
			method, path, _ := strings.Cut(op, " ")
			path = strings.ReplaceAll(path, "{id}", "XX00000000-000000")
			res := e.do(t, req{method: method, path: path, body: "{}"})
			if res.status == http.StatusMethodNotAllowed ||
				bytes.Contains(res.body, []byte(`"unknown_path"`)) {
				t.Errorf("%s did not reach a handler: %d %s", op, res.status, res.body)
			}
		}
	})

	t.Run("document_is_served_without_token", func(t *testing.T) {
		res := e.do(t, req{method: http.MethodGet, path: "/api/v1/openapi.yaml", token: "-"})
		raw, _ := os.ReadFile("openapi.yaml")
		if res.status != http.StatusOK || !bytes.Equal(res.body, raw) {
			t.Fatalf("status %d; served document differs from openapi.yaml", res.status)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/yaml" {
			t.Errorf("Content-Type %q", ct)
		}
	})

	t.Run("document_paths_are_valid_patterns", func(t *testing.T) {
		if v := e.spec.doc["openapi"]; v != "3.0.3" {
			t.Errorf("openapi version %v", v)
		}
		for _, op := range e.spec.operations() {
			method, path, _ := strings.Cut(op, " ")
			if !strings.HasPrefix(path, "/api/v1/") {
				t.Errorf("%s %s is outside /api/v1/", method, path)
			}
		}
	})
}
