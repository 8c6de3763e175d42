package reports

import (
	"embed"
	"io/fs"
	"net/http"
)

// DashboardPath is where the supervisors' dashboard page is served.
const DashboardPath = "/dashboard/"

//go:embed web
var dashboardFiles embed.FS

// Dashboard serves the supervisors' dashboard: a static page under
// DashboardPath that reads the reports API with the browser's console
// session. The page holds no figures itself, so it is served to anyone;
// the API decides who may read them.
func Dashboard() http.Handler {
	sub, err := fs.Sub(dashboardFiles, "web")
	if err != nil {
		// The folder is embedded at build time; without it the build fails.
		return http.NotFoundHandler()
	}
	files := http.StripPrefix(DashboardPath, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "+
			"frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
