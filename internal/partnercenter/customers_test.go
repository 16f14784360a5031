// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestListCustomersFollowsContinuationLinks pages through three customer
// pages the way internal/emulator/REFERENCE-CUSTOMERS-AUDIT.md §1 documents them: next uri with /v1 and
// seekOperation=Next, token in links.next.headers; the last page has no next.
func TestListCustomersFollowsContinuationLinks(t *testing.T) {
	pages := []string{
		`{"totalCount":2,"items":[
		  {"id":"c1","companyProfile":{"tenantId":"c1","domain":"contoso.onmicrosoft.com","companyName":"Contoso"},"relationshipToPartner":"reseller","attributes":{"objectType":"Customer"}},
		  {"id":"c2","companyProfile":{"tenantId":"c2","domain":"fabrikam.onmicrosoft.com","companyName":"Fabrikam"},"relationshipToPartner":"reseller"}],
		 "links":{"next":{"uri":"/v1/customers?size=500&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"tok-1"}]}},
		 "attributes":{"objectType":"Collection"}}`,
		`{"totalCount":1,"items":[{"id":"c3","companyProfile":{"companyName":"Tailspin"}}],
		 "links":{"next":{"uri":"/customers?size=500&seekOperation=Next","method":"GET","headers":[{"key":"MS-ContinuationToken","value":"tok-2"}]}}}`,
		`{"totalCount":0,"items":[],"links":{"self":{"uri":"/customers","method":"GET","headers":[]}}}`,
	}
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		writeRaw(w, http.StatusOK, "application/json", pages[n-1])
	})
	c, _ := newTestClient(t, srv)

	var got []string
	err := c.ListCustomers(t.Context(), 0, func(cu Customer) error {
		got = append(got, cu.TenantID()+"="+cu.CompanyName()+"/"+cu.Domain()+"/"+cu.RelationshipToPartner)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "c1=Contoso/contoso.onmicrosoft.com/reseller,c2=Fabrikam/fabrikam.onmicrosoft.com/reseller,c3=Tailspin//"
	if strings.Join(got, ",") != want {
		t.Fatalf("customers = %v\nwant %s", got, want)
	}
	reqs := log.all()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	if reqs[0].Path != "/v1/customers" || reqs[0].Query != "size=500" || reqs[0].Header.Get("MS-ContinuationToken") != "" {
		t.Errorf("first request = %s?%s token %q", reqs[0].Path, reqs[0].Query, reqs[0].Header.Get("MS-ContinuationToken"))
	}
	for i, tok := range []string{"tok-1", "tok-2"} {
		r := reqs[i+1]
		if r.Path != "/v1/customers" || r.Query != "size=500&seekOperation=Next" || r.Header.Get("MS-ContinuationToken") != tok {
			t.Errorf("request %d = %s?%s token %q, want /v1/customers?size=500&seekOperation=Next token %s",
				i+2, r.Path, r.Query, r.Header.Get("MS-ContinuationToken"), tok)
		}
	}
}

func TestListCustomersBodyContinuationTokenAndCallbackStop(t *testing.T) {
	pages := []string{
		`{"items":[{"id":"c1"}],"continuationToken":"body-tok","links":{}}`,
		`{"items":[{"id":"c2"},{"id":"c3"}]}`,
	}
	srv, log := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, n int) {
		writeRaw(w, http.StatusOK, "application/json", pages[n-1])
	})
	c, _ := newTestClient(t, srv)
	stop := errors.New("enough")
	var got []string
	err := c.ListCustomers(t.Context(), 2, func(cu Customer) error {
		got = append(got, cu.ID)
		if cu.ID == "c2" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
	if strings.Join(got, ",") != "c1,c2" {
		t.Fatalf("customers = %v", got)
	}
	reqs := log.all()
	if reqs[0].Query != "size=2" || reqs[1].Header.Get("MS-ContinuationToken") != "body-tok" {
		t.Fatalf("requests = %q then token %q", reqs[0].Query, reqs[1].Header.Get("MS-ContinuationToken"))
	}
}

func TestListCustomersRejectsRepeatedLink(t *testing.T) {
	srv, _ := testServer(t, func(w http.ResponseWriter, _ *http.Request, _ seenRequest, _ int) {
		writeRaw(w, http.StatusOK, "application/json",
			`{"items":[],"links":{"next":{"uri":"/customers?seekOperation=Next","headers":[{"key":"MS-ContinuationToken","value":"same"}]}}}`)
	})
	c, _ := newTestClient(t, srv)
	err := c.ListCustomers(t.Context(), 0, func(Customer) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "repeats an earlier page") {
		t.Fatalf("err = %v, want a repeated-link error", err)
	}
}
