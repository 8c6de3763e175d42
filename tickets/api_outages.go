package tickets

import "net/http"

// maxOutages bounds the outage list.
const maxOutages = 100

// declareRequest is the body of POST /api/v1/outages.
type declareRequest struct {
	Service     string `json:"service"`
	Area        string `json:"area"`
	Description string `json:"description"`
	ExpectedFix string `json:"expected_fix"`
}

// outagePatch is the body of PATCH /api/v1/outages/{id}.
type outagePatch struct {
	Description *string `json:"description"`
	ExpectedFix *string `json:"expected_fix"`
}

// closeRequest is the optional body of POST /api/v1/outages/{id}/close.
type closeRequest struct {
	Note string `json:"note"`
}

// outageList is the JSON of the outage list.
type outageList struct {
	Outages []outageJSON `json:"outages"`
}

// declareOutage serves POST /api/v1/outages: 201 with the open outage.
func (a *api) declareOutage(w http.ResponseWriter, r *http.Request) {
	var req declareRequest
	if err := decode(r, &req, false); err != nil {
		a.fail(w, r, err)
		return
	}
	d := OutageDraft{Service: req.Service, Area: req.Area, Description: req.Description}
	if req.ExpectedFix == "" {
		a.fail(w, r, badRequest("expected_fix is required"))
		return
	}
	fix, err := parseTime("expected_fix", req.ExpectedFix)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.ExpectedFix = fix

	o, err := a.svc.DeclareOutage(r.Context(), d)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", apiPrefix+"/outages/"+o.ID)
	a.write(w, http.StatusCreated, outageView(o))
}

// listOutages serves GET /api/v1/outages: the open outages, or all with
// all=true, newest first.
func (a *api) listOutages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := onlyParams(q, map[string]bool{"all": true, "limit": true}); err != nil {
		a.fail(w, r, err)
		return
	}
	all, err := boolParam("all", q.Get("all"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit, err := limitParam(q.Get("limit"), maxOutages)
	if err != nil {
		a.fail(w, r, err)
		return
	}

	list, err := a.svc.Outages(r.Context(), all != nil && *all, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := outageList{Outages: make([]outageJSON, 0, len(list))}
	for _, o := range list {
		out.Outages = append(out.Outages, outageView(o))
	}
	a.write(w, http.StatusOK, out)
}

// getOutage serves GET /api/v1/outages/{id}.
func (a *api) getOutage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o, err := a.svc.Outage(r.Context(), id)
	if err != nil {
		a.fail(w, r, notFound(err, "outage", id))
		return
	}
	a.write(w, http.StatusOK, outageView(o))
}

// patchOutage serves PATCH /api/v1/outages/{id}: a new description or
// expected fix time for an open outage; 409 once it is closed.
func (a *api) patchOutage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req outagePatch
	if err := decode(r, &req, false); err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := req.update()
	if err != nil {
		a.fail(w, r, err)
		return
	}

	o, err := a.svc.UpdateOutage(r.Context(), id, u)
	if err != nil {
		a.fail(w, r, notFound(err, "outage", id))
		return
	}
	a.write(w, http.StatusOK, outageView(o))
}

// update checks the request and turns it into an OutageUpdate.
func (p outagePatch) update() (OutageUpdate, error) {
	if p.Description == nil && p.ExpectedFix == nil {
		return OutageUpdate{}, badRequest("give at least one of description and expected_fix")
	}
	u := OutageUpdate{Description: p.Description}
	if p.ExpectedFix != nil {
		fix, err := parseTime("expected_fix", *p.ExpectedFix)
		if err != nil {
			return OutageUpdate{}, err
		}
		u.ExpectedFix = &fix
	}
	return u, nil
}

// closeOutage serves POST /api/v1/outages/{id}/close; the body with a
// note is optional. It answers 409 when the outage is already closed.
func (a *api) closeOutage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req closeRequest
	if err := decode(r, &req, true); err != nil {
		a.fail(w, r, err)
		return
	}

	o, err := a.svc.CloseOutage(r.Context(), id, req.Note)
	if err != nil {
		a.fail(w, r, notFound(err, "outage", id))
		return
	}
	a.log.Info("outage closed via api", "outage", o.ID, "actor", actor(r))
	a.write(w, http.StatusOK, outageView(o))
}
