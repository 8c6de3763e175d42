package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/silenceper/wechat/v2/officialaccount/message"
)

// ServeHTTP answers WeChat's callbacks: the URL check (GET with echostr)
// and messages and events (POST). Every request is checked (signature,
// timestamp freshness, body size) before the SDK parses anything.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "use GET for the URL check and POST for messages", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if err := checkCallback(q, c.cfg.Token, c.cfg.Now(), c.cfg.Freshness); err != nil {
		c.cfg.Log.Warn("wechat callback refused", "reason", err.Error())
		http.Error(w, "callback refused: "+err.Error(), http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet {
		c.urlCheck(w, q.Get("echostr"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, c.cfg.MaxBody)
	// An Official Account's callbacks are XML; the SDK would switch to its
	// JSON parser (a mini-program feature) on a JSON content type.
	r.Header.Set("Content-Type", "text/xml")
	c.callback(w, r)
}

// urlCheck echoes the echostr of a signed GET: WeChat's check of the
// server URL. An Official Account sends it in plaintext in every mode.
func (c *Channel) urlCheck(w http.ResponseWriter, echo string) {
	if echo == "" {
		http.Error(w, "the URL check needs echostr", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(echo))
}

// callback handles one message or event within the reply budget. The SDK
// parses it (and decrypts it in safe mode); the handler hands it to the
// engine and waits for the replies to put in the passive reply. Whatever
// is not ready in time goes through the customer-service API.
func (c *Channel) callback(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), c.cfg.ReplyBudget)
	defer cancel()

	var handled *waiter
	var failed error
	srv := c.oa.GetServer(r, w)
	srv.SetMessageHandler(func(m *message.MixMessage) (reply *message.Reply) {
		defer func() {
			if p := recover(); p != nil {
				failed = fmt.Errorf("handler panicked: %v", p)
			}
			if failed != nil {
				// A placeholder keeps the SDK from answering "success" in
				// plaintext mode; it is never sent, the callback gets 503.
				reply = &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText("")}
			}
		}()
		handled, failed = c.handle(ctx, m)
		return passiveReply(handled)
	})
	err := srv.Serve()
	safe := r.URL.Query().Get("encrypt_type") == "aes"
	switch {
	case err != nil:
		c.refuse(w, err)
	case failed != nil:
		c.cfg.Log.Error("wechat message not taken; WeChat will retry", "err", failed.Error())
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
	case srv.ResponseMsg != nil:
		if err := srv.Send(); err != nil {
			c.cfg.Log.Error("wechat passive reply not written", "err", err.Error())
		}
	case safe:
		// The SDK writes nothing for an empty reply in safe mode, and its
		// Send would write an encrypted empty payload: say success.
		writeSuccess(w)
	}
	if handled != nil {
		c.waiters.done(handled)
	}
}

// handle receives a parsed message and waits, within ctx, for its
// replies. It returns the waiter holding the replies to write, or nil
// when there is nothing to write; an error means the message was not
// stored and WeChat should retry.
func (c *Channel) handle(ctx context.Context, m *message.MixMessage) (*waiter, error) {
	in, ok := c.inbound(m)
	if !ok {
		c.cfg.Log.Debug("wechat input ignored", "type", string(m.MsgType), "event", string(m.Event))
		return nil, nil
	}
	c.windows.opened(in.Address, in.Event != nil)
	w := c.waiters.open(in.Address)
	kept := false
	defer func() {
		if p := recover(); p != nil {
			c.waiters.done(w)
			panic(p) // for the callback's recover, which answers 503
		}
		if !kept { // an error or a repeat: nothing to write
			c.waiters.done(w)
		}
	}()
	r, err := c.cfg.Receiver.Receive(ctx, in)
	if err != nil || r.Duplicate {
		return nil, err
	}
	w.known(r.MessageID, r.Replies)
	kept = true
	select {
	case <-w.full:
	case <-ctx.Done():
	}
	w.finish()
	return w, nil
}

// passiveReply is the text reply made of what the waiter took, or nil.
func passiveReply(w *waiter) *message.Reply {
	if w == nil {
		return nil
	}
	got := w.finish()
	if len(got) == 0 {
		return nil
	}
	texts := make([]string, 0, len(got))
	for _, m := range got {
		texts = append(texts, render(m))
	}
	return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText(join(texts))}
}

// refuse answers a callback the SDK could not take: a bad message
// signature in safe mode is refused, anything else (a body too large,
// XML or ciphertext that does not parse) is a bad request. The SDK's
// Send is never called after an error: in safe mode it would sign and
// encrypt a reply to a request that may be forged.
func (c *Channel) refuse(w http.ResponseWriter, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || strings.Contains(err.Error(), "request body too large"):
		c.cfg.Log.Warn("wechat callback refused", "reason", "body too large")
		http.Error(w, "callback refused: body too large", http.StatusRequestEntityTooLarge)
	case strings.Contains(err.Error(), "验证签名失败"):
		c.cfg.Log.Warn("wechat callback refused", "reason", "message signature does not match")
		http.Error(w, "callback refused: message signature does not match", http.StatusForbidden)
	default:
		c.cfg.Log.Warn("wechat callback refused", "reason", "unreadable body")
		http.Error(w, "callback refused: the body is not a WeChat message", http.StatusBadRequest)
	}
}

func writeSuccess(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("success"))
}

var _ http.Handler = (*Channel)(nil)
