// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
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

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// Ids from the built-in seed (examples/emulator/seed.json).
const (
	sourceTenant = "a1a1a1a1-0000-4000-8000-000000000001"
	targetTenant = "b2b2b2b2-0000-4000-8000-000000000002"
	customerID   = "c3c3c3c3-0000-4000-8000-000000000003"
	subE3        = "d4d4d4d4-0000-4000-8000-000000000001" // has the add-on below
	subAddOn     = "e5e5e5e5-0000-4000-8000-000000000001"
	subBusiness  = "d4d4d4d4-0000-4000-8000-000000000002"
	subAzure     = "d4d4d4d4-0000-4000-8000-000000000003"
	subRI        = "d4d4d4d4-0000-4000-8000-000000000004"

	// A third partner tests add at run time.
	outsiderTenant = "f6f6f6f6-0000-4000-8000-000000000006"
)

var testStart = time.Date(2025, 3, 1, 10, 15, 30, 123456700, time.UTC)

// fakeRealClock stands in for the wall clock (rate limits, token expiry,
// the virtual clock's elapsed time) so tests never sleep.
type fakeRealClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeRealClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeRealClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is an emulator behind a real HTTP server plus a token cache.
type harness struct {
	t      *testing.T
	e      *Emulator
	srv    *httptest.Server
	real   *fakeRealClock
	mu     sync.Mutex
	tokens map[string]string
	// secrets maps tenant to client id and secret of its first app.
	secrets map[string][2]string
}

func newHarness(t *testing.T, configure ...func(*Options)) *harness {
	t.Helper()
	wall := &fakeRealClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts := Options{Seed: DefaultSeed(), Start: testStart, RealClock: wall.Now}
	for _, c := range configure {
		c(&opts)
	}
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(srv.Close)
	h := &harness{t: t, e: e, srv: srv, real: wall, tokens: map[string]string{}, secrets: map[string][2]string{}}
	for _, p := range opts.Seed.Partners {
		h.secrets[p.TenantID] = [2]string{p.Apps[0].ClientID, p.Apps[0].ClientSecret}
	}
	return h
}

// addOutsider adds a third partner related to the seed customer.
func (h *harness) addOutsider() {
	h.t.Helper()
	p := Partner{TenantID: outsiderTenant, Name: "Outsider Partner", Apps: []fakeentra.App{{ClientID: "f6f6f6f6-0000-4000-8000-0000000000f6", ClientSecret: "outsider-secret"}}}
	if err := h.e.AddPartner(p); err != nil {
		h.t.Fatalf("AddPartner: %v", err)
	}
	h.secrets[outsiderTenant] = [2]string{p.Apps[0].ClientID, "outsider-secret"}
	h.e.mu.Lock()
	c := h.e.w.customers[customerID]
	c.related[outsiderTenant] = true
	c.PartnerTenantIDs = append(c.PartnerTenantIDs, outsiderTenant)
	h.e.mu.Unlock()
}

// token returns a cached access token for tenant from the fake Entra ID.
func (h *harness) token(tenant string) string {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if tok, ok := h.tokens[tenant]; ok {
		return tok
	}
	tok := h.fetchToken(tenant)
	h.tokens[tenant] = tok
	return tok
}

func (h *harness) fetchToken(tenant string) string {
	h.t.Helper()
	cred := h.secrets[tenant]
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {cred[0]}, "client_secret": {cred[1]},
		"scope": {fakeentra.Scope},
	}
	req, err := http.NewRequestWithContext(h.t.Context(), http.MethodPost, h.srv.URL+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("token request: %v", err)
	}
	defer func() { _ = res.Body.Close() }()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.AccessToken == "" {
		h.t.Fatalf("token request: HTTP %d, %v", res.StatusCode, err)
	}
	return body.AccessToken
}

// response is a fully read HTTP response.
// testCollection decodes the paged list shape.
type testCollection struct {
	TotalCount int         `json:"totalCount"`
	Items      []Transfer  `json:"items"`
	Links      *Links      `json:"links"`
	Attributes *Attributes `json:"attributes"`
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) transfer(t *testing.T) Transfer {
	t.Helper()
	var tr Transfer
	if err := json.Unmarshal(r.body, &tr); err != nil {
		t.Fatalf("decoding transfer: %v\n%s", err, r.body)
	}
	return tr
}

func (r response) errorBody(t *testing.T) wireError {
	t.Helper()
	var eb wireError
	if err := json.Unmarshal(r.body, &eb); err != nil {
		t.Fatalf("decoding error body: %v\n%s", err, r.body)
	}
	return eb
}

// raw decodes the body into a generic map, to assert exact JSON names.
func (r response) raw(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decoding JSON object: %v\n%s", err, r.body)
	}
	return m
}

// expectError asserts status and Partner Center error code, and that the
// description mentions each of mentions.
func (r response) expectError(t *testing.T, status int, code string, mentions ...string) wireError {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	eb := r.errorBody(t)
	if eb.Code != code {
		t.Fatalf("code = %q, want %q; body %s", eb.Code, code, r.body)
	}
	if eb.Source != errorSource || eb.Description == "" {
		t.Fatalf("error body incomplete: %s", r.body)
	}
	for _, m := range mentions {
		if !strings.Contains(eb.Description, m) {
			t.Fatalf("description %q does not mention %q", eb.Description, m)
		}
	}
	return eb
}

// call is one API request; tenant "" sends no token.
type call struct {
	tenant  string
	method  string
	path    string
	body    any // string bodies are sent verbatim
	headers map[string]string
}

func (h *harness) do(c call) response {
	h.t.Helper()
	res, err := h.try(c)
	if err != nil {
		h.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	return res
}

// try is do without failing on transport errors (for drop faults).
func (h *harness) try(c call) (response, error) {
	h.t.Helper()
	var body io.Reader
	switch b := c.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(h.t.Context(), c.method, h.srv.URL+c.path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.tenant != "" {
		req.Header.Set("Authorization", "Bearer "+h.token(c.tenant))
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: res.StatusCode, header: res.Header, body: b}, nil
}

func transfersPath(customer string) string { return "/v1/customers/" + customer + "/transfers" }
func transferPath(customer, id string) string {
	return transfersPath(customer) + "/" + id
}

// createBodyFor is a valid create request from the target.
func createBodyFor(source string) map[string]any {
	return map[string]any{
		"sourcePartnerTenantId": source,
		"customerEmailId":       "it-admin@northwind.example",
		"transferType":          3,
	}
}

// create creates a transfer as the target and returns it.
func (h *harness) create() Transfer {
	h.t.Helper()
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant)})
	if res.status != http.StatusCreated {
		h.t.Fatalf("create: HTTP %d %s", res.status, res.body)
	}
	return res.transfer(h.t)
}

func submitBody(id string, items ...[2]string) map[string]any {
	lines := []map[string]string{}
	for _, it := range items {
		lines = append(lines, map[string]string{"subscriptionId": it[0], "productType": it[1]})
	}
	return map[string]any{"id": id, "lineItems": lines}
}

// submit submits a transfer as the source and expects success.
func (h *harness) submit(id string, items ...[2]string) Transfer {
	h.t.Helper()
	res := h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, id), body: submitBody(id, items...)})
	if res.status != http.StatusOK {
		h.t.Fatalf("submit: HTTP %d %s", res.status, res.body)
	}
	return res.transfer(h.t)
}

func (h *harness) get(tenant, id string) Transfer {
	h.t.Helper()
	res := h.do(call{tenant: tenant, method: http.MethodGet, path: transferPath(customerID, id)})
	if res.status != http.StatusOK {
		h.t.Fatalf("get: HTTP %d %s", res.status, res.body)
	}
	return res.transfer(h.t)
}

// owner is the partner holding the subscription now: after a completed
// transfer that is the owner of the subscription it became at the target.
func (h *harness) owner(subscriptionID string) string {
	h.t.Helper()
	c, ok := h.e.Customer(customerID)
	if !ok {
		h.t.Fatal("seed customer missing")
	}
	for _, s := range c.Subscriptions {
		if s.ID == subscriptionID {
			if s.TransferredTo != "" {
				return h.owner(s.TransferredTo)
			}
			return s.OwnerPartnerTenantID
		}
		for _, a := range s.AddOns {
			if a.ID == subscriptionID {
				if a.TransferredTo != "" {
					return h.owner(a.TransferredTo)
				}
				return a.OwnerPartnerTenantID
			}
		}
	}
	h.t.Fatalf("subscription %s not found", subscriptionID)
	return ""
}

var (
	nce   = "OnlineServicesNCE"
	azure = "AzureSubscription"
)

func item(sub, productType string) [2]string { return [2]string{sub, productType} }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func describe(v any) string { return fmt.Sprintf("%+v", v) }
