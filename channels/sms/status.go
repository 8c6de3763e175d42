package sms

// Status is where a sent message is on its way to the phone.
type Status string

// Statuses, in the order a message passes them. Delivered, Undelivered
// and Failed are final.
const (
	StatusQueued      Status = "queued"
	StatusSent        Status = "sent"
	StatusDelivered   Status = "delivered"
	StatusUndelivered Status = "undelivered"
	StatusFailed      Status = "failed"
)

// Rank orders statuses: a report moves a message's status only to a
// higher rank, as providers' reports can arrive out of order. The final
// statuses share the top rank, so the first final report stands.
func (s Status) Rank() int {
	switch s {
	case StatusQueued:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered, StatusUndelivered, StatusFailed:
		return 3
	}
	return 0
}

// Final reports whether no later report can change the status.
func (s Status) Final() bool { return s.Rank() == 3 }
