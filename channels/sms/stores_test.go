package sms_test

import (
	"testing"

	"hotline/channels/sms"
	"hotline/channels/sms/smstest"
)

func TestMemCodes_Suite(t *testing.T) {
	smstest.CodeStoreSuite(t, func(*testing.T) (sms.CodeStore, sms.CodeStore) {
		s := sms.NewMemCodes()
		return s, s
	})
}

func TestMemChoices_Suite(t *testing.T) {
	smstest.ChoiceStoreSuite(t, func(*testing.T) (sms.ChoiceStore, sms.ChoiceStore) {
		s := sms.NewMemChoices()
		return s, s
	})
}
