package tickets

import "time"

// Outage is a network outage the operator declared: a service down in an
// area, with the time it is expected to be fixed. Fault reports that match
// it are linked to it, and their subscribers are told the known fix time.
type Outage struct {
	// ID is the outage's id, such as OG20261203-000004.
	ID string
	// Service is the affected service: mobile, broadband, tv or landline.
	Service string
	// Area is the affected area as the flows name it; empty means every
	// area.
	Area string
	// Description says what is wrong, for subscribers.
	Description string
	// ExpectedFix is when the operator expects service back.
	ExpectedFix time.Time
	// Open is true until the operator closes the outage.
	Open bool
	// Note is the closing note, for subscribers.
	Note string
	// DeclaredAt, UpdatedAt and ClosedAt are when it was declared, last
	// changed and closed.
	DeclaredAt time.Time
	// UpdatedAt is when it last changed.
	UpdatedAt time.Time
	// ClosedAt is when it was closed; zero while open.
	ClosedAt time.Time
	// Version increases with every stored change.
	Version int64
}

// Covers reports whether the outage explains a fault in service and area.
func (o Outage) Covers(service, area string) bool {
	if !o.Open || o.Service != service {
		return false
	}
	return o.Area == "" || o.Area == area
}
