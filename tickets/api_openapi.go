package tickets

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route of the API; a test keeps it in step
// with apiRoutes and the JSON the handlers write.
//
//go:embed openapi.yaml
var openAPIDoc []byte

// openAPI serves GET /api/v1/openapi.yaml, without a token, so tools can
// read the API's description before they are given one.
func (a *api) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPIDoc)
}
