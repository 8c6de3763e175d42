package channels

import "time"

// Inbound is a message or event from a subscriber, normalized from the
// provider's wire format.
type Inbound struct {
	// Channel is the configured name of the channel it came in on.
	Channel string
	// Address identifies the subscriber within the channel: a WeChat
	// openid, a phone number, a web chat session. Treat it as personal data.
	Address string
	// ProviderID is the provider's message id, or the provider's documented
	// dedup key; a repeat of the same id is not processed twice. Empty
	// means the provider gives none and no de-duplication is possible.
	ProviderID string
	// Text is what the subscriber wrote, or the recognised speech.
	Text string
	// Payload is the payload of a quick reply the subscriber chose.
	Payload string
	// Event is set for non-message input such as a follow or a menu click.
	Event *Event
	// Attachments are images, locations and other media.
	Attachments []Attachment
	// Lang is the language the client asked for ("zh" or "en"), if any.
	Lang string
	// Subscriber is the subscriber record the address proves, when the
	// channel knows it: an SMS comes from its number. Empty otherwise.
	Subscriber string
	// ReceivedAt is when the gateway received it.
	ReceivedAt time.Time
}

// Event is a non-message input from a provider.
type Event struct {
	// Name is the event kind, such as "subscribe" or "click".
	Name string `json:"name"`
	// Key is the event's argument, such as a menu key.
	Key string `json:"key,omitempty"`
}

// Attachment is a media item or a location sent by a subscriber.
type Attachment struct {
	// Kind is image, voice, video, file or location.
	Kind string `json:"kind"`
	// URL is where the media can be fetched, when the provider gives one.
	URL string `json:"url,omitempty"`
	// MediaID is the provider's media id, when it gives one.
	MediaID string `json:"media_id,omitempty"`
	// Lat and Lon locate a location attachment.
	Lat float64 `json:"lat,omitempty"`
	// Lon is the longitude of a location attachment.
	Lon float64 `json:"lon,omitempty"`
	// Label is a location's description.
	Label string `json:"label,omitempty"`
}

// Outbound is a message for a subscriber, produced by the dialog or an
// agent and delivered by the channel it belongs to.
type Outbound struct {
	// ID is the message's stable id in the transcript.
	ID string
	// ConversationID is the conversation it belongs to.
	ConversationID string
	// Seq is its position in the conversation's transcript.
	Seq int64
	// Channel and Address say where it goes.
	Channel string
	// Address is the subscriber's address within the channel.
	Address string
	// From is bot, agent or system.
	From string
	// Text is the message body.
	Text string
	// QuickReplies are buttons offered with the message.
	QuickReplies []QuickReply
	// Links are links offered with the message.
	Links []Link
	// ReplyTo is the id of the inbound message this answers, if any.
	ReplyTo string
	// CreatedAt is when the message was produced.
	CreatedAt time.Time
}

// QuickReply is a button the subscriber can press instead of typing.
type QuickReply struct {
	// Label is the button's text; pressing it sends the label as text.
	Label string `json:"label"`
	// Payload tells the dialog what was chosen, such as "kb:check_balance".
	Payload string `json:"payload,omitempty"`
}

// Link is a titled URL offered with a message.
type Link struct {
	// Title is the text shown for the link.
	Title string `json:"title"`
	// URL is the address.
	URL string `json:"url"`
}
