// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"slices"
	"sort"
)

// savedWebhookRegistration is a registration in the state file. Deliveries
// in flight are not saved: a restarted emulator starts with empty queues.
type savedWebhookRegistration struct {
	PartnerTenantID string   `json:"partnerTenantId"`
	SubscriberID    string   `json:"subscriberId"`
	WebhookURL      string   `json:"webhookUrl"`
	WebhookEvents   []string `json:"webhookEvents"`
	// BaseURL is where the emulator was reached when the registration was
	// made, the base of envelope links.
	BaseURL string `json:"baseUrl,omitempty"`
}

// saved returns the registrations in partner order.
func (s *webhookService) saved() []savedWebhookRegistration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []savedWebhookRegistration{}
	for partner, reg := range s.regs {
		out = append(out, savedWebhookRegistration{PartnerTenantID: partner, SubscriberID: reg.SubscriberID,
			WebhookURL: reg.WebhookURL, WebhookEvents: slices.Clone(reg.WebhookEvents), BaseURL: reg.baseURL})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PartnerTenantID < out[j].PartnerTenantID })
	return out
}

// restoredWebhooks checks saved registrations against the restored world
// with the API's own validation.
func restoredWebhooks(w *world, saved []savedWebhookRegistration) (map[string]*webhookRegistration, error) {
	out := map[string]*webhookRegistration{}
	for _, sr := range saved {
		tenant, ok := canonicalGUID(sr.PartnerTenantID)
		if !ok || w.partners[tenant] == nil {
			return nil, fmt.Errorf("webhook registration for unknown partner %q", sr.PartnerTenantID)
		}
		if out[tenant] != nil {
			return nil, fmt.Errorf("two webhook registrations for partner %s", tenant)
		}
		if _, ok := canonicalGUID(sr.SubscriberID); !ok {
			return nil, fmt.Errorf("webhook registration of partner %s: subscriberId %q is not a GUID", tenant, sr.SubscriberID)
		}
		reg, err := validateRegistration(sr.WebhookURL, sr.WebhookEvents)
		if err != nil {
			return nil, fmt.Errorf("webhook registration of partner %s: %w", tenant, err)
		}
		reg.SubscriberID = sr.SubscriberID
		out[tenant] = &webhookRegistration{WebhookRegistration: reg, baseURL: sr.BaseURL}
	}
	return out, nil
}

// restore replaces the registrations; deliveries of the old world stop.
func (s *webhookService) restore(regs map[string]*webhookRegistration) {
	s.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regs = regs
}
