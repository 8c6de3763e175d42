package tickets

// APIRoutes lists the method and path of every route of the API, for the
// test that holds the OpenAPI document to the handlers.
func APIRoutes() [][2]string {
	out := make([][2]string, 0, len(apiRoutes))
	for _, rt := range apiRoutes {
		out = append(out, [2]string{rt.Method, rt.Path})
	}
	return out
}
