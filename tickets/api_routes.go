package tickets

import "net/http"

// apiRoute is one endpoint of the REST API.
type apiRoute struct {
	// Method and Path form the mux pattern, such as PATCH and
	// /api/v1/tickets/{id}.
	Method string
	// Path is the full path, wildcards written as in the OpenAPI document.
	Path string
	// public routes need no token.
	public bool
	// serve handles the request.
	serve func(*api, http.ResponseWriter, *http.Request)
}

// apiRoutes is every endpoint of the API, in the order the OpenAPI
// document lists them. It is the one list the mux is built from and the
// document is checked against.
var apiRoutes = []apiRoute{
	{Method: http.MethodGet, Path: apiPrefix + "/tickets", serve: (*api).listTickets},
	{Method: http.MethodPost, Path: apiPrefix + "/tickets", serve: (*api).createTicket},
	{Method: http.MethodGet, Path: apiPrefix + "/tickets/{id}", serve: (*api).getTicket},
	{Method: http.MethodPatch, Path: apiPrefix + "/tickets/{id}", serve: (*api).patchTicket},

	{Method: http.MethodGet, Path: apiPrefix + "/outages", serve: (*api).listOutages},
	{Method: http.MethodPost, Path: apiPrefix + "/outages", serve: (*api).declareOutage},
	{Method: http.MethodGet, Path: apiPrefix + "/outages/{id}", serve: (*api).getOutage},
	{Method: http.MethodPatch, Path: apiPrefix + "/outages/{id}", serve: (*api).patchOutage},
	{Method: http.MethodPost, Path: apiPrefix + "/outages/{id}/close", serve: (*api).closeOutage},

	{Method: http.MethodGet, Path: apiPrefix + "/openapi.yaml", public: true, serve: (*api).openAPI},
}
