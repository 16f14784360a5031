// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

type testCustomerPage struct {
	TotalCount int `json:"totalCount"`
	Items      []struct {
		ID             string `json:"id"`
		CompanyProfile struct {
			TenantID    string `json:"tenantId"`
			Domain      string `json:"domain"`
			CompanyName string `json:"companyName"`
		} `json:"companyProfile"`
		RelationshipToPartner string `json:"relationshipToPartner"`
	} `json:"items"`
	Links struct {
		Next *struct {
			URI     string `json:"uri"`
			Headers []struct {
				Key, Value string
			} `json:"headers"`
		} `json:"next"`
	} `json:"links"`
	ContinuationToken string `json:"continuationToken"`
}

func decodeCustomerPage(t *testing.T, r response) testCustomerPage {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("customers: HTTP %d %s", r.status, r.body)
	}
	var p testCustomerPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("decoding customers page: %v\n%s", err, r.body)
	}
	return p
}

// listAllCustomers follows next links the way the reference documents
// them and returns the ids and the number of requests.
func listAllCustomers(t *testing.T, h *harness, tenant, firstPath string) (ids []string, requests int) {
	t.Helper()
	path, token := firstPath, ""
	for {
		c := call{tenant: tenant, method: http.MethodGet, path: path}
		if token != "" {
			c.headers = map[string]string{"MS-ContinuationToken": token}
		}
		p := decodeCustomerPage(t, h.do(c))
		requests++
		if p.TotalCount != len(p.Items) {
			t.Fatalf("totalCount %d for a page of %d", p.TotalCount, len(p.Items))
		}
		for _, it := range p.Items {
			if it.ID != it.CompanyProfile.TenantID || it.RelationshipToPartner != "reseller" || it.CompanyProfile.Domain == "" {
				t.Fatalf("customer item = %+v", it)
			}
			ids = append(ids, it.ID)
		}
		if p.Links.Next == nil {
			return ids, requests
		}
		if !strings.HasPrefix(p.Links.Next.URI, "/v1/customers?") || !strings.Contains(p.Links.Next.URI, "seekOperation=Next") ||
			len(p.Links.Next.Headers) != 1 || p.Links.Next.Headers[0].Key != "MS-ContinuationToken" {
			t.Fatalf("next link = %+v", p.Links.Next)
		}
		path, token = p.Links.Next.URI, p.Links.Next.Headers[0].Value
	}
}

func TestCustomersListPagesWithContinuationTokens(t *testing.T) {
	h := newHarness(t)
	if _, err := h.e.GenerateCustomers(GenerateCustomers{Count: 1203, PartnerTenantIDs: []string{sourceTenant}}); err != nil {
		t.Fatal(err)
	}
	ids, requests := listAllCustomers(t, h, sourceTenant, "/v1/customers?size=0")
	if len(ids) != 1204 || requests != 3 || ids[0] != customerID {
		t.Fatalf("source sees %d customers in %d requests (first %s), want 1204 in 3 starting with the seed's", len(ids), requests, ids[0])
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("customer %s listed twice", id)
		}
		seen[id] = true
	}
	// The target partner is related only to the seed customer.
	if ids, _ := listAllCustomers(t, h, targetTenant, "/v1/customers?size=2"); len(ids) != 1 {
		t.Fatalf("target sees %v", ids)
	}
	// A larger size is clamped to 500 by default; smaller sizes page finer.
	if _, requests := listAllCustomers(t, h, sourceTenant, "/v1/customers?size=5000"); requests != 3 {
		t.Errorf("size=5000 took %d requests, want 3 (clamped to 500)", requests)
	}
	if _, requests := listAllCustomers(t, h, sourceTenant, "/v1/customers?size=400"); requests != 4 {
		t.Errorf("size=400 took %d requests, want 4", requests)
	}
	// seekOperation=Next without the token is refused, and so is a token
	// from another partner.
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?size=500&seekOperation=Next"}).
		expectError(t, http.StatusBadRequest, "800002", "MS-ContinuationToken")
	first := decodeCustomerPage(t, h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?size=1"}))
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: first.Links.Next.URI,
		headers: map[string]string{"MS-ContinuationToken": first.Links.Next.Headers[0].Value}}).
		expectError(t, http.StatusBadRequest, "800002", "continuation token")
}

func TestCustomersListOptionsAndFilter(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Customers = CustomerAPIOptions{MaxPageSize: 2, Oversize: OversizeReject, NextLinkWithoutV1: true,
			BodyContinuationToken: true, TotalCount: TotalCountAll}
	})
	if _, err := h.e.GenerateCustomers(GenerateCustomers{Count: 4, NamePrefix: "Tailspin"}); err != nil {
		t.Fatal(err)
	}
	p := decodeCustomerPage(t, h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?size=2"}))
	if p.TotalCount != 5 || len(p.Items) != 2 || p.Links.Next == nil || !strings.HasPrefix(p.Links.Next.URI, "/customers?") ||
		p.ContinuationToken == "" || p.ContinuationToken != p.Links.Next.Headers[0].Value {
		t.Fatalf("page = %+v", p)
	}
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?size=3"}).
		expectError(t, http.StatusBadRequest, "800002", "must not exceed 2")

	filter := url.QueryEscape(`{"Field":"CompanyName","Value":"tail","Operator":"starts_with"}`)
	p = decodeCustomerPage(t, h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?size=0&filter=" + filter}))
	if p.TotalCount != 4 || len(p.Items) != 2 || !strings.HasPrefix(p.Items[0].CompanyProfile.CompanyName, "Tailspin") {
		t.Fatalf("filtered page = %+v", p)
	}
	bad := url.QueryEscape(`{"Field":"CompanyName","Value":"x","Operator":"equals"}`)
	h.do(call{tenant: sourceTenant, method: http.MethodGet, path: "/v1/customers?filter=" + bad}).
		expectError(t, http.StatusBadRequest, "800002", "starts_with")
}

func TestGenerateCustomersIsDeterministicAndAtomic(t *testing.T) {
	a, b := newHarness(t), newHarness(t)
	idsA, err := a.e.GenerateCustomers(GenerateCustomers{Count: 5000})
	if err != nil {
		t.Fatal(err)
	}
	idsB, err := b.e.GenerateCustomers(GenerateCustomers{Count: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if len(idsA) != 5000 || idsA[0] != idsB[0] || idsA[4999] != idsB[4999] {
		t.Fatalf("generated ids differ between emulators: %s..%s vs %s..%s", idsA[0], idsA[4999], idsB[0], idsB[4999])
	}
	c, ok := a.e.Customer(idsA[0])
	if !ok || len(c.Subscriptions) != 3 || c.Subscriptions[0].OwnerPartnerTenantID != sourceTenant || len(c.Subscriptions[0].AddOns) != 1 {
		t.Fatalf("generated customer = %+v", c)
	}
	// The same batch again fails without adding anything.
	if _, err := a.e.GenerateCustomers(GenerateCustomers{Count: 10}); err == nil || !strings.Contains(err.Error(), "batch") {
		t.Fatalf("err = %v, want a duplicate-batch error", err)
	}
	if got := len(a.e.State("").Customers); got != 5001 {
		t.Fatalf("%d customers after a refused batch, want 5001", got)
	}
	// The admin call does the same.
	var out map[string]any
	if code := a.admin(http.MethodPost, "customers/generate", map[string]any{"count": 3, "batch": 7, "noSubscriptions": true}, &out); code != 200 || out["generated"] != float64(3) {
		t.Fatalf("admin generate: HTTP %d %v", code, out)
	}
}
