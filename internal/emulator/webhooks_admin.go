// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/google/uuid"
)

// webhookRegistrationView is a registration in the admin API.
type webhookRegistrationView struct {
	PartnerTenantID string `json:"partnerTenantId"`
	WebhookRegistration
}

func (s *webhookService) addAdminRoutes() {
	e := s.e
	e.addAdminRoute(http.MethodGet, "webhooks", func(*http.Request, []byte) (int, any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		out := []webhookRegistrationView{}
		for partner, reg := range s.regs {
			out = append(out, webhookRegistrationView{PartnerTenantID: partner, WebhookRegistration: reg.WebhookRegistration})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].PartnerTenantID < out[j].PartnerTenantID })
		return http.StatusOK, out
	})
	e.addAdminRoute(http.MethodGet, "webhooks/deliveries", func(r *http.Request, _ []byte) (int, any) {
		partner := r.URL.Query().Get("partner")
		if partner != "" {
			canonical, ok := canonicalGUID(partner)
			if !ok {
				return adminBad(fmt.Errorf("partner %q is not a GUID", partner))
			}
			partner = canonical
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.snapshotLocked(partner)
	})
	e.addAdminRoute(http.MethodGet, "webhooks/certificate", func(*http.Request, []byte) (int, any) {
		signer, err := s.getSigner()
		if err != nil {
			return http.StatusInternalServerError, adminError{Error: err.Error()}
		}
		return http.StatusOK, webhookCertificateView{CertificatePEM: string(signer.certPEM), Algorithm: WebhookSignatureAlgorithm}
	})
	e.addAdminRoute(http.MethodGet, "webhooks/delivery", func(*http.Request, []byte) (int, any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.opts
	})
	e.addAdminRoute(http.MethodPost, "webhooks/delivery", func(_ *http.Request, body []byte) (int, any) {
		var o WebhookDeliveryOptions
		if err := decodeAdmin(body, &o); err != nil {
			return adminBad(err)
		}
		if err := e.SetWebhookDelivery(o); err != nil {
			return adminBad(err)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return http.StatusOK, s.opts
	})
}

// SetWebhookDelivery replaces the delivery options (zero fields: defaults).
// They apply from the next attempt on and survive Reset.
func (e *Emulator) SetWebhookDelivery(o WebhookDeliveryOptions) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	s := webhooksOf(e)
	s.mu.Lock()
	old := s.client
	s.opts, s.client = o, newWebhookClient(o)
	s.mu.Unlock()
	old.CloseIdleConnections()
	return nil
}

// WebhookRegistration returns a partner's webhook registration.
func (e *Emulator) WebhookRegistration(partnerTenantID string) (WebhookRegistration, bool) {
	tenant, _ := canonicalGUID(partnerTenantID)
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	reg := s.regs[tenant]
	if reg == nil {
		return WebhookRegistration{}, false
	}
	out := reg.WebhookRegistration
	out.WebhookEvents = slices.Clone(out.WebhookEvents)
	return out, true
}

// SetWebhookRegistration creates or replaces a partner's registration out
// of band, as another tool would, with the API's validation. A replaced
// registration keeps its SubscriberId; a new one gets a new one.
func (e *Emulator) SetWebhookRegistration(partnerTenantID string, r WebhookRegistration) (WebhookRegistration, error) {
	tenant, ok := canonicalGUID(partnerTenantID)
	if !ok || !e.isPartner(tenant) {
		return WebhookRegistration{}, fmt.Errorf("partner %q is not known to the emulator", partnerTenantID)
	}
	want, err := validateRegistration(r.WebhookURL, r.WebhookEvents)
	if err != nil {
		return WebhookRegistration{}, err
	}
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if reg := s.regs[tenant]; reg != nil {
		reg.WebhookURL, reg.WebhookEvents = want.WebhookURL, want.WebhookEvents
		return reg.WebhookRegistration, nil
	}
	want.SubscriberID = uuid.NewString()
	s.regs[tenant] = &webhookRegistration{WebhookRegistration: want}
	return want, nil
}

// DeleteWebhookRegistration removes a partner's registration; false when
// there was none. Its pending deliveries are dropped.
func (e *Emulator) DeleteWebhookRegistration(partnerTenantID string) bool {
	tenant, _ := canonicalGUID(partnerTenantID)
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.regs[tenant] == nil {
		return false
	}
	delete(s.regs, tenant)
	return true
}

// WebhookDeliveries returns every remembered delivery, oldest first.
func (e *Emulator) WebhookDeliveries() []WebhookDelivery {
	s := webhooksOf(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked("")
}

// WaitForWebhookDeliveries waits until done, called with the delivery
// history after every change, returns true, or until ctx ends. Tests use it
// instead of sleeping.
func (e *Emulator) WaitForWebhookDeliveries(ctx context.Context, done func([]WebhookDelivery) bool) ([]WebhookDelivery, error) {
	s := webhooksOf(e)
	for {
		s.mu.Lock()
		list := s.snapshotLocked("")
		changed := s.changed
		s.mu.Unlock()
		if done(list) {
			return list, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return list, fmt.Errorf("waiting for webhook deliveries: %w", ctx.Err())
		}
	}
}

// WebhookCertificatePEM returns the certificate whose key signs deliveries,
// as served at /_emulator/webhooks/certificate.
func (e *Emulator) WebhookCertificatePEM() ([]byte, error) {
	signer, err := webhooksOf(e).getSigner()
	if err != nil {
		return nil, err
	}
	return slices.Clone(signer.certPEM), nil
}
