package wechat

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"hotline/channels"
)

// inbound turns a parsed callback into the channel's message, or reports
// false for one the gateway does not act on (an unfollow, a link click,
// a location report) or cannot answer (no sender's openid); those are
// answered "success" and nothing else.
func (c *Channel) inbound(m *message.MixMessage) (channels.Inbound, bool) {
	in := channels.Inbound{Channel: c.cfg.Name, Address: string(m.FromUserName),
		ReceivedAt: c.cfg.Now(), ProviderID: fmt.Sprintf("msg:%d", m.MsgID)}
	if strings.TrimSpace(in.Address) == "" || !utf8.ValidString(in.Address) {
		return in, false
	}
	switch m.MsgType {
	case message.MsgTypeText:
		in.Text = m.Content
	case message.MsgTypeVoice:
		// Recognition is there only when speech recognition is on in the
		// account's settings; without it the voice cannot be read.
		in.Text = m.Recognition
		if in.Text == "" {
			in.Attachments = []channels.Attachment{{Kind: "voice", MediaID: m.MediaID}}
		}
	case message.MsgTypeImage:
		in.Attachments = []channels.Attachment{{Kind: "image", URL: m.PicURL, MediaID: m.MediaID}}
	case message.MsgTypeLocation:
		in.Attachments = []channels.Attachment{{Kind: "location", Lat: m.LocationX, Lon: m.LocationY,
			Label: m.Label}}
	case message.MsgTypeVideo, message.MsgTypeShortVideo:
		in.Attachments = []channels.Attachment{{Kind: "video", MediaID: m.MediaID}}
	case message.MsgTypeLink:
		in.Attachments = []channels.Attachment{{Kind: "link", URL: m.URL, Label: m.Title}}
	case message.MsgTypeEvent:
		return c.event(in, m)
	default:
		return in, false
	}
	if m.MsgID == 0 || !utf8.ValidString(in.Text) {
		return in, false
	}
	return in, true
}

// event turns the events the gateway acts on: a follow and a menu click.
// Events have no message id; WeChat's documented key is the sender and
// the time, to which the event and its key are added because several
// events can share a second.
func (c *Channel) event(in channels.Inbound, m *message.MixMessage) (channels.Inbound, bool) {
	in.ProviderID = fmt.Sprintf("ev:%d:%s:%s", m.CreateTime, m.Event, m.EventKey)
	switch m.Event {
	case message.EventSubscribe:
		in.Event = &channels.Event{Name: "subscribe"}
	case message.EventClick:
		key := m.EventKey
		if action, ok := c.cfg.Menu[key]; ok {
			key = action
		}
		in.Event = &channels.Event{Name: "click", Key: strings.ToLower(key)}
	default:
		return in, false
	}
	return in, true
}
