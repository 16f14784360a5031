// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

// world is an in-process emulator with a target and a source partner, a
// customer with subscriptions owned by the source, and a Service per
// partner. Its server passes requests through intercept, when set, so a
// test can break answers the emulator does not break itself.
type world struct {
	t              *testing.T
	emu            *emulator.Emulator
	srv            *httptest.Server
	target, source partner
	customerID     string
	subs           []string

	mu        sync.Mutex
	intercept func(w http.ResponseWriter, r *http.Request, next http.Handler) bool
}

type partner struct {
	tenantID, clientID, secret string
	svc                        *Service
	client                     *partnercenter.Client
}

func newWorld(t *testing.T, mode string) *world {
	t.Helper()
	w := &world{t: t, customerID: uuid.NewString()}
	w.target = partner{tenantID: uuid.NewString(), clientID: uuid.NewString(), secret: "target-" + uuid.NewString()}
	w.source = partner{tenantID: uuid.NewString(), clientID: uuid.NewString(), secret: "source-" + uuid.NewString()}
	var subs []emulator.Subscription
	for i := range 4 {
		id := uuid.NewString()
		w.subs = append(w.subs, id)
		subs = append(subs, emulator.Subscription{ID: id, OwnerPartnerTenantID: w.source.tenantID, ProductType: partnercenter.ProductOnlineServicesNCE,
			FriendlyName: fmt.Sprintf("M365 #%d", i), BillingCycle: "monthly", Quantity: 1, OfferID: "CFQ7TTC0LFLZ:0001"})
	}
	seedPartner := func(p partner, name string) emulator.Partner {
		return emulator.Partner{TenantID: p.tenantID, Name: name, Apps: []fakeentra.App{{TenantID: p.tenantID, ClientID: p.clientID, ClientSecret: p.secret}}}
	}
	emu, err := emulator.New(emulator.Options{
		Seed: emulator.Seed{
			Partners: []emulator.Partner{seedPartner(w.target, "Fabrikam"), seedPartner(w.source, "Contoso")},
			Customers: []emulator.Customer{{ID: w.customerID, Name: "Northwind", Email: "it@northwind.example",
				PartnerTenantIDs: []string{w.target.tenantID, w.source.tenantID}, Subscriptions: subs}},
		},
		RequestIDMode:   mode,
		CompletionDelay: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.emu = emu
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		intercept := w.intercept
		w.mu.Unlock()
		if intercept != nil && intercept(rw, r, emu.Handler()) {
			return
		}
		emu.Handler().ServeHTTP(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	w.target = w.connect(w.target)
	w.source = w.connect(w.source)
	return w
}

func (w *world) connect(p partner) partner {
	w.t.Helper()
	client, err := partnercenter.New(partnercenter.Options{
		Endpoint: w.srv.URL, Token: &entraToken{url: w.srv.URL, p: p},
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	p.client = client
	p.svc = w.service(p)
	return p
}

// service is a fresh Service for p: a new provider instance.
func (w *world) service(p partner) *Service {
	svc := New(p.client, p.tenantID, wait.Poller{Schedule: wait.Schedule{Initial: time.Millisecond, Max: time.Millisecond}})
	svc.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	return svc
}

func (w *world) setIntercept(f func(rw http.ResponseWriter, r *http.Request, next http.Handler) bool) {
	w.mu.Lock()
	w.intercept = f
	w.mu.Unlock()
}

// request is a create body the target sends.
func (w *world) request() partnercenter.CreateTransferRequest {
	return partnercenter.CreateTransferRequest{
		SourcePartnerTenantID: w.source.tenantID, SourcePartnerName: "Contoso",
		CustomerEmailID: "it@northwind.example", TransferType: partnercenter.TransferTypeNewCommerce,
	}
}

// statuses counts the customer's transfers on the server by status.
func (w *world) statuses() map[string]int {
	out := map[string]int{}
	for _, t := range w.emu.Transfers() {
		out[t.Status]++
	}
	return out
}

func (w *world) requests(key string) int { return w.emu.Stats().Requests[key] }

// entraToken fetches client-credential tokens from the emulator's fake
// Entra ID.
type entraToken struct {
	url string
	p   partner
}

func (e *entraToken) Token(ctx context.Context) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {e.p.clientID}, "client_secret": {e.p.secret}, "scope": {fakeentra.Scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/"+e.p.tenantID+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		return "", fmt.Errorf("token: HTTP %d: %w", resp.StatusCode, err)
	}
	return body.AccessToken, nil
}

// dropConnection answers nothing: the client sees the connection close.
func dropConnection(rw http.ResponseWriter) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		panic("response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// isCreate reports the target's create POST.
func isCreate(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/transfers")
}

func readBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

// cloneWithBody is r with a fresh copy of body, to serve it again.
func cloneWithBody(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.Header.Set("MS-RequestId", uuid.NewString())
	return c
}
