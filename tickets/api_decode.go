package tickets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// decode reads a JSON object body into v. It answers 415 for another
// content type, 413 for a body over the bound, and 400 for malformed JSON,
// an unknown field or anything after the object. With allowEmpty an empty
// body leaves v as it is.
func decode(r *http.Request, v any, allowEmpty bool) error {
	if allowEmpty && r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	if err := jsonContent(r); err != nil {
		return err
	}

	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, allowEmpty)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return badRequest("the body must hold one JSON object and nothing after it")
	}
	if holdsNUL(reflect.ValueOf(v)) {
		return badRequest(nulReason)
	}
	return nil
}

// nulReason refuses text with a NUL character, which PostgreSQL cannot
// keep in a text column: stored, it would fail as a server error.
const nulReason = "text must not contain NUL characters (\\u0000)"

// holdsNUL reports whether any string in v, a decoded request, holds a
// NUL character: in fields, map keys and values, and list items.
func holdsNUL(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.IndexByte(v.String(), 0) >= 0
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && holdsNUL(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && holdsNUL(v.Field(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holdsNUL(it.Key()) || holdsNUL(it.Value()) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holdsNUL(v.Index(i)) {
				return true
			}
		}
	}
	return false
}

// jsonContent checks that the body is declared as JSON.
func jsonContent(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &apiError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMedia,
			reason: "the body must be sent as Content-Type: application/json"}
	}
	return nil
}

// decodeError says what is wrong with a body in terms the caller can act
// on, without echoing the body back.
func decodeError(err error, allowEmpty bool) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF) && allowEmpty:
		return nil
	case errors.Is(err, io.EOF):
		return badRequest("the body is empty; a JSON object is required")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the body is not valid JSON")
	case errors.As(err, &typ) && typ.Field != "":
		return badRequest(fmt.Sprintf("field %s must be a JSON %s", typ.Field, jsonType(typ.Type)))
	case errors.As(err, &typ):
		return badRequest("the body must be a JSON object")
	}
	if field, ok := unknownField(err); ok {
		return badRequest("unknown field " + field)
	}
	return badRequest("the body is not a valid request")
}

// unknownField recognizes encoding/json's error for a field the request
// type does not have; it has no error type of its own.
func unknownField(err error) (string, bool) {
	var field string
	if _, scanErr := fmt.Sscanf(err.Error(), "json: unknown field %q", &field); scanErr != nil {
		return "", false
	}
	return field, true
}

// jsonType names a Go type the way a JSON caller thinks of it.
func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "number"
}

// rfc3339Example shows callers the time format.
const rfc3339Example = "2026-12-03T18:00:00+08:00"

// parseTime reads an RFC 3339 time from a request field.
func parseTime(field, value string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return time.Time{}, badRequest(field + " must be an RFC 3339 time, such as " + rfc3339Example)
	}
	return t, nil
}
