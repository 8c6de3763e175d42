// Package sms is the SMS channel: providers' inbound and delivery-report
// webhooks, outbound sending, and the rules SMS needs that other channels
// do not (opt-out keywords, segment counting, phone numbers).
//
// Each provider's wire format (Twilio, Alibaba Cloud, Tencent Cloud and a
// generic signed JSON webhook) sits behind the small Provider contract;
// the Channel does the rest the same way for all of them: it checks the
// request, de-duplicates by the provider's key through the Receiver,
// handles keywords, acknowledges in the provider's exact format, and
// sends through the provider with a rate limit and a circuit breaker.
package sms
