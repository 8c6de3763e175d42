package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-resty/resty/v2"

	"hotline/channels"
)

// apiReply is the body of every API answer.
type apiReply struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// API error codes the channel acts on.
const (
	codeBusy          = -1    // system busy: try again later
	codeBadToken      = 40001 // access token invalid
	codeBadTokenForm  = 40014 // access token malformed
	codeTokenExpired  = 42001 // access token expired
	codeWindowClosed  = 45015 // outside the 48-hour window, or unfollowed
	codeQuotaExceeded = 45047 // over the customer-service message quota
	codeNotFollower   = 43004 // the user does not follow the account
	codeDailyQuota    = 45009 // the account's daily API quota is used up
)

// customText is a customer-service text message.
type customText struct {
	ToUser  string `json:"touser"`
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// sendCustom sends one text through the customer-service API, evicting
// the access token and trying once more when WeChat says it is invalid.
func (c *Channel) sendCustom(ctx context.Context, openID, text string) error {
	for attempt := 0; ; attempt++ {
		code, err := c.postCustom(ctx, openID, text)
		if err != nil {
			return &channels.SendError{Retryable: true, Err: err}
		}
		switch code {
		case 0:
			return nil
		case codeBadToken, codeBadTokenForm, codeTokenExpired:
			c.evictToken()
			if attempt == 0 {
				continue
			}
			return &channels.SendError{Retryable: true, Err: fmt.Errorf("wechat api: errcode %d after a fresh token", code)}
		case codeBusy, codeDailyQuota:
			return &channels.SendError{Retryable: true, Err: fmt.Errorf("wechat api: errcode %d", code)}
		default:
			// 45015, 45047, 43004 and anything else WeChat refuses: the
			// same message will be refused again.
			return &channels.SendError{Retryable: false, Err: fmt.Errorf("wechat api: errcode %d", code)}
		}
	}
}

// postCustom makes one call and returns WeChat's error code.
func (c *Channel) postCustom(ctx context.Context, openID, text string) (int, error) {
	token, err := c.oa.GetAccessTokenContext(ctx)
	if err != nil {
		return 0, errors.New("wechat api: no access token (token endpoint failed)")
	}
	body := customText{ToUser: openID, MsgType: "text"}
	body.Text.Content = text
	resp, err := c.api.R().SetContext(ctx).SetQueryParam("access_token", token).
		SetBody(body).Post("/cgi-bin/message/custom/send")
	if err != nil {
		// resty's error names the URL with the token; say only what failed.
		return 0, errors.New("wechat api: custom send transport error")
	}
	if resp.StatusCode() != http.StatusOK {
		return 0, fmt.Errorf("wechat api: custom send HTTP %d", resp.StatusCode())
	}
	// WeChat's content type varies ("text/plain" on some errors), so the
	// body is read as JSON whatever it says.
	var out apiReply
	if err := json.Unmarshal(resp.Body(), &out); err != nil {
		return 0, errors.New("wechat api: custom send answer is not JSON")
	}
	return out.ErrCode, nil
}

// newAPI is the client of WeChat's API.
func newAPI(c Config) *resty.Client {
	return resty.New().SetBaseURL(c.APIURL).SetTimeout(c.SendTimeout).
		SetHeader("Content-Type", "application/json; charset=utf-8").
		SetJSONEscapeHTML(false)
}
