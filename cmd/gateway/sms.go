package main

import (
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"hotline/channels"
	"hotline/channels/sms"
	"hotline/configs"
	"hotline/dialog"
	"hotline/store/redisstore"
	"hotline/store/sqldb"
)

// smsState is where the SMS channels keep what another instance may need
// next: the numbered answers offered to each number and the binding
// codes. Without Redis each channel keeps them in its own memory.
type smsState struct {
	rdb  redis.UniversalClient // nil without Redis
	keys redisstore.Keys
}

// stores returns the stores of one channel; nil ones mean memory.
func (s smsState) stores(channel string) (sms.ChoiceStore, sms.CodeStore) {
	if s.rdb == nil {
		return nil, nil
	}
	return redisstore.NewSMSChoices(s.rdb, s.keys, channel), redisstore.NewSMSCodes(s.rdb, s.keys)
}

// smsChannels builds the configured SMS channels, all sharing one store
// of opt-outs and sends.
func smsChannels(cfg configs.Config, recv channels.Receiver, db *sqldb.DB, shared sms.SharedCounter,
	state smsState, clock dialog.Clock, log *slog.Logger) ([]*sms.Channel, error) {
	store := sqldb.NewSMS(db)
	var out []*sms.Channel
	for _, s := range cfg.SMS {
		p, err := smsProvider(s, clock)
		if err != nil {
			return nil, fmt.Errorf("sms channel %s: %w", s.Name, err)
		}
		choices, codes := state.stores(s.Name)
		ch, err := sms.New(sms.Config{
			Name: s.Name, Provider: p, Signature: s.Signature, MaxParts: s.MaxParts,
			Rate: s.Rate, Burst: s.Burst, PathToken: s.PathToken.Reveal(), Allow: s.AllowPrefixes(),
			DefaultCountry: s.DefaultCountry, Receiver: recv, Store: store, Now: clock.Now, Shared: shared,
			Choices: choices, Codes: codes, Log: log.With("component", "sms"),
		})
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// smsProvider builds the provider of one channel from its settings.
func smsProvider(s configs.SMSChannelConfig, clock dialog.Clock) (sms.Provider, error) {
	switch s.Provider {
	case "twilio":
		t := s.Twilio
		status := ""
		if t.PublicURL != "" {
			status = t.PublicURL + sms.PathPrefix + s.Name + "/status"
			if s.PathToken.IsSet() {
				status += "/" + s.PathToken.Reveal()
			}
		}
		return sms.NewTwilio(sms.TwilioConfig{AccountSID: t.AccountSID, AuthToken: t.AuthToken.Reveal(),
			From: t.From, MessagingService: t.MessagingService, PublicURL: t.PublicURL,
			StatusCallback: status, APIURL: t.APIURL})
	case "aliyun":
		a := s.Aliyun
		return sms.NewAliyun(sms.AliyunConfig{AccessKeyID: a.AccessKeyID, AccessKeySecret: a.AccessKeySecret.Reveal(),
			SignName: a.SignName, TemplateCode: a.TemplateCode, TemplateParam: a.TemplateParam,
			APIURL: a.APIURL, Now: clock.Now})
	case "tencent":
		tc := s.Tencent
		return sms.NewTencent(sms.TencentConfig{SecretID: tc.SecretID, SecretKey: tc.SecretKey.Reveal(),
			SdkAppID: tc.SdkAppID, SignName: tc.SignName, TemplateID: tc.TemplateID, Region: tc.Region,
			APIURL: tc.APIURL, Now: clock.Now})
	case "webhook":
		return sms.NewWebhook(sms.WebhookConfig{Secret: []byte(s.Webhook.Secret.Reveal()),
			SendURL: s.Webhook.SendURL, Now: clock.Now})
	}
	return nil, fmt.Errorf("provider %q is not available", s.Provider)
}
