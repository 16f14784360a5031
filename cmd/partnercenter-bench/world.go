// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// partner is one partner organisation of a benchmark world.
type partner struct {
	TenantID, Name, ClientID, ClientSecret string
}

func newPartner(name string) partner {
	return partner{TenantID: uuid.NewString(), Name: name, ClientID: uuid.NewString(), ClientSecret: "bench-" + uuid.NewString()}
}

func (p partner) seed() emulator.Partner {
	return emulator.Partner{TenantID: p.TenantID, Name: p.Name, Apps: []fakeentra.App{{TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret}}}
}

// world is an emulator serving HTTPS on loopback with a target (gaining) and
// a source (losing) partner. Customers are added per scenario.
type world struct {
	emu    *emulator.Emulator
	srv    *emulator.Server
	caFile string
	target partner
	source partner
}

// startWorld starts an emulator; tune adjusts its options. The CA
// certificate is written into dir for the CLI's SSL_CERT_FILE.
func startWorld(dir string, tune func(*emulator.Options)) (*world, error) {
	w := &world{target: newPartner("Fabrikam New Partner"), source: newPartner("Contoso Old Partner")}
	opts := emulator.Options{Seed: emulator.Seed{Partners: []emulator.Partner{w.target.seed(), w.source.seed()}}}
	if tune != nil {
		tune(&opts)
	}
	emu, err := emulator.New(opts)
	if err != nil {
		return nil, err
	}
	ca, err := emulator.NewCA()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	w.caFile = filepath.Join(dir, "emulator-ca.pem")
	if err := ca.WritePEM(w.caFile); err != nil {
		return nil, err
	}
	srv, err := emulator.Start(emu, "127.0.0.1:0", ca)
	if err != nil {
		return nil, err
	}
	w.emu, w.srv = emu, srv
	return w, nil
}

func (w *world) close() { _ = w.srv.Close() }

// customer is a customer of the world with one license subscription owned
// by the source partner.
type customer struct {
	ID, Name, Email, SubscriptionID string
}

// addCustomers adds n customers related to both partners.
func (w *world) addCustomers(n int) ([]customer, error) {
	out := make([]customer, 0, n)
	for i := range n {
		c := customer{ID: uuid.NewString(), SubscriptionID: uuid.NewString()}
		c.Name = fmt.Sprintf("Customer %04d", i+1)
		c.Email = "it-" + c.ID[:8] + "@customer.example"
		err := w.emu.AddCustomer(emulator.Customer{
			ID: c.ID, Name: c.Name, Email: c.Email,
			PartnerTenantIDs: []string{w.target.TenantID, w.source.TenantID},
			Subscriptions: []emulator.Subscription{{
				ID: c.SubscriptionID, OwnerPartnerTenantID: w.source.TenantID, ProductType: partnercenter.ProductOnlineServicesNCE,
				FriendlyName: "Microsoft 365 E3", Quantity: 10, OfferID: "CFQ7TTC0LFLZ:0001",
			}},
		})
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// client returns the real Partner Center client authenticated as p with the
// real token provider, both trusting the emulator's CA.
func (w *world) client(ctx context.Context, p partner) (*partnercenter.Client, error) {
	cfg := auth.Config{
		TenantID: p.TenantID, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		Endpoint: w.srv.URL, AuthorityHost: w.srv.URL + "/",
	}
	tokens, err := auth.NewTokenProvider(ctx, cfg, w.srv.Client())
	if err != nil {
		return nil, err
	}
	return partnercenter.New(partnercenter.Options{Endpoint: cfg.ResolvedEndpoint(), Token: tokens, HTTPClient: w.srv.Client(), UserAgent: "partnercenter-bench"})
}

// createRequest is the target's transfer request for c.
func (w *world) createRequest(c customer) partnercenter.CreateTransferRequest {
	return partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: w.source.TenantID, SourcePartnerName: w.source.Name,
		CustomerEmailID: c.Email, CustomerName: c.Name, TransferType: partnercenter.TransferTypeNewCommerce,
	}
}

// seedTransfers creates n pending transfers of customer c through the API,
// with a few workers: it is set-up, not a measurement.
func (w *world) seedTransfers(ctx context.Context, c customer, n int) error {
	client, err := w.client(ctx, w.target)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	const workers = 8
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if _, err := client.CreateTransfer(ctx, c.ID, w.createRequest(c)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("seeding transfers: %w", firstErr)
	}
	return nil
}

// providerBlock is the provider configuration for p; the secret comes from
// PARTNERCENTER_CLIENT_SECRET (see env), never from the file.
func (w *world) providerBlock(p partner) string {
	return fmt.Sprintf(`provider "partnercenter" {
  tenant_id      = %q
  client_id      = %q
  endpoint       = %q
  authority_host = %q
}
`, p.TenantID, p.ClientID, w.srv.URL, w.srv.URL+"/")
}

// env is the CLI environment for running as p against this world.
func (w *world) env(p partner) []string {
	return []string{"PARTNERCENTER_CLIENT_SECRET=" + p.ClientSecret, "SSL_CERT_FILE=" + w.caFile}
}

// requestCounts are the emulator's request counters with the zero entries
// dropped, so two of them compare exactly.
type requestCounts map[string]int

func countsOf(s emulator.Stats) requestCounts {
	out := requestCounts{}
	for k, v := range s.Requests {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func (c requestCounts) String() string {
	if len(c) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, ", ")
}

// authRequests is the minimum cost of authenticating processes provider
// processes that call the API: one token request each, plus the tenant's
// OpenID metadata document, which MSAL (inside azidentity) reads once per
// process to find the token endpoint before its first token request.
func authRequests(processes int) requestCounts {
	return requestCounts{"token POST": processes, "openid-configuration GET": processes}
}

// plus returns c with o's counts added.
func (c requestCounts) plus(o requestCounts) requestCounts {
	out := requestCounts{}
	for k, v := range c {
		out[k] += v
	}
	for k, v := range o {
		out[k] += v
	}
	return out
}

func (c requestCounts) equal(o requestCounts) bool {
	if len(c) != len(o) {
		return false
	}
	for k, v := range c {
		if o[k] != v {
			return false
		}
	}
	return true
}
