package handoff_test

import (
	"testing"

	"hotline/handoff"
	"hotline/handoff/handofftest"
)

func TestMemStore_Suite(t *testing.T) {
	handofftest.StoreSuite(t, func(*testing.T) handoff.Store { return handoff.NewMemStore() })
}
