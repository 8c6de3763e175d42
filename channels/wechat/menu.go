package wechat

import (
	"errors"

	"github.com/silenceper/wechat/v2/officialaccount/menu"
)

// MenuItem is one click item of the account's menu.
type MenuItem struct {
	// Name is what the follower sees.
	Name string
	// Key comes back with the click (see Config.Menu).
	Key string
}

// SetMenu replaces the account's menu with click items. It is meant for
// an operator's one-off command, not for a serving gateway.
func (c *Channel) SetMenu(items []MenuItem) error {
	if len(items) == 0 {
		return errors.New("wechat menu: no items")
	}
	buttons := make([]*menu.Button, 0, len(items))
	for _, it := range items {
		buttons = append(buttons, menu.NewClickButton(it.Name, it.Key))
	}
	if err := c.oa.GetMenu().SetMenu(buttons); err != nil {
		return errors.New("wechat menu: " + err.Error())
	}
	return nil
}
