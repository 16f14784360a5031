// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestOutsidersCannotSeeOrTouchTransfers(t *testing.T) {
	h := newHarness(t)
	h.addOutsider()
	tr := h.create()
	// The outsider is related to the customer but no party to the transfer:
	// every operation is the same 404 as for a transfer that does not exist.
	for _, c := range []call{
		{method: http.MethodGet, path: transferPath(customerID, tr.ID)},
		{method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: submitBody(tr.ID, item(subE3, nce))},
		{method: http.MethodPatch, path: transferPath(customerID, tr.ID), body: `{"status":"Cancel"}`},
	} {
		c.tenant = outsiderTenant
		h.do(c).expectError(t, http.StatusNotFound, codeTransferNotFound, tr.ID)
	}
	// Under another customer id the transfer does not exist either.
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transferPath("c3c3c3c3-0000-4000-8000-000000000099", tr.ID)}).
		expectError(t, http.StatusNotFound, codeTransferNotFound)
	// The outsider's list is empty (but allowed: it has a relationship).
	res := h.do(call{tenant: outsiderTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var coll testCollection
	if err := json.Unmarshal(res.body, &coll); err != nil || res.status != http.StatusOK || len(coll.Items) != 0 {
		t.Fatalf("outsider list: HTTP %d %s", res.status, res.body)
	}
	// Nothing changed.
	if got := h.get(targetTenant, tr.ID); got.Status != statusPending {
		t.Errorf("status = %s", got.Status)
	}
}

func TestListReturnsTheCallersTransfersWithTheirDirection(t *testing.T) {
	h := newHarness(t)
	h.addOutsider()
	mine := h.create()
	// The outsider pulls from the source too; the target must not see it.
	res := h.do(call{tenant: outsiderTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant)})
	theirs := res.transfer(t)

	list := func(tenant string) []Transfer {
		res := h.do(call{tenant: tenant, method: http.MethodGet, path: transfersPath(customerID)})
		var coll testCollection
		if err := json.Unmarshal(res.body, &coll); err != nil || res.status != http.StatusOK {
			t.Fatalf("list: HTTP %d %s", res.status, res.body)
		}
		return coll.Items
	}
	target := list(targetTenant)
	if len(target) != 1 || target[0].ID != mine.ID || target[0].TransferDirection != directionIncoming {
		t.Errorf("target list = %s", describe(target))
	}
	source := list(sourceTenant)
	if len(source) != 2 || source[0].ID != mine.ID || source[1].ID != theirs.ID {
		t.Fatalf("source list = %s", describe(source))
	}
	for _, tr := range source {
		if tr.TransferDirection != directionOutgoing || tr.PartnerTenantID != sourceTenant {
			t.Errorf("source sees direction %d partnertenantid %s", tr.TransferDirection, tr.PartnerTenantID)
		}
	}
	// A customer the caller has nothing to do with.
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath("c3c3c3c3-0000-4000-8000-000000000099")}).
		expectError(t, http.StatusForbidden, codeNoRelationship)
}

// pageThrough follows links.next like a client and returns the pages' ids.
func pageThrough(t *testing.T, h *harness, tenant, query string) [][]string {
	t.Helper()
	var pages [][]string
	path := transfersPath(customerID) + query
	headers := map[string]string{}
	for range 1000 {
		res := h.do(call{tenant: tenant, method: http.MethodGet, path: path, headers: headers})
		if res.status != http.StatusOK {
			t.Fatalf("list page: HTTP %d %s", res.status, res.body)
		}
		var coll testCollection
		if err := json.Unmarshal(res.body, &coll); err != nil {
			t.Fatal(err)
		}
		if coll.Attributes == nil || coll.Attributes.ObjectType != "Collection" || coll.TotalCount != len(coll.Items) {
			t.Fatalf("collection envelope: %s", res.body)
		}
		var ids []string
		for _, tr := range coll.Items {
			ids = append(ids, tr.ID)
		}
		pages = append(pages, ids)
		if coll.Links == nil || coll.Links.Next == nil {
			return pages
		}
		next := coll.Links.Next
		if next.Method != http.MethodGet || len(next.Headers) != 1 || next.Headers[0].Key != "MS-ContinuationToken" {
			t.Fatalf("next link = %s", describe(next))
		}
		path = next.URI
		headers = map[string]string{"MS-ContinuationToken": next.Headers[0].Value}
	}
	t.Fatal("paging did not end")
	return nil
}

func TestListPagesWithContinuationTokens(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PageSize = 3 })
	var created []string
	for range 7 {
		created = append(created, h.create().ID)
	}
	pages := pageThrough(t, h, targetTenant, "")
	if got := fmt.Sprint(pages); got != fmt.Sprint([][]string{created[0:3], created[3:6], created[6:7]}) {
		t.Errorf("pages = %v\nwant oldest first in pages of 3", got)
	}
	// ?size= overrides the page size and is kept across pages.
	if pages := pageThrough(t, h, targetTenant, "?size=5"); len(pages) != 2 || len(pages[0]) != 5 {
		t.Errorf("size=5 pages = %v", pages)
	}
	// A token only works for the list it came from.
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var coll testCollection
	_ = json.Unmarshal(res.body, &coll)
	token := coll.Links.Next.Headers[0].Value
	if !strings.HasPrefix(coll.Links.Next.URI, "/v1/customers/"+customerID+"/transfers") {
		t.Errorf("next uri = %s", coll.Links.Next.URI)
	}
	if coll.Links.Self == nil || coll.Links.Self.URI != "/customers/"+customerID+"/transfers" {
		t.Errorf("self link = %s", describe(coll.Links.Self))
	}
	for name, c := range map[string]call{
		"other partner": {tenant: sourceTenant, headers: map[string]string{"MS-ContinuationToken": token}},
		"garbage":       {tenant: targetTenant, headers: map[string]string{"MS-ContinuationToken": "not-a-token"}},
	} {
		c.method, c.path = http.MethodGet, transfersPath(customerID)
		t.Run(name, func(t *testing.T) {
			h.do(c).expectError(t, http.StatusBadRequest, codeInvalidInput, "MS-ContinuationToken")
		})
	}
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID) + "?size=0"}).
		expectError(t, http.StatusBadRequest, codeInvalidInput, "size")
	// After Reset old tokens are refused rather than paging other data.
	h.e.Reset()
	h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID), headers: map[string]string{"MS-ContinuationToken": token}}).
		expectError(t, http.StatusBadRequest, codeInvalidInput)
}

func TestListPagingStaysCorrectWhileTransfersAreAdded(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.PageSize = 2 })
	a, b, c := h.create().ID, h.create().ID, h.create().ID
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var first testCollection
	_ = json.Unmarshal(res.body, &first)
	if first.Links == nil || first.Links.Next == nil {
		t.Fatalf("no next link on a partial list: %s", res.body)
	}
	d := h.create().ID
	res = h.do(call{tenant: targetTenant, method: http.MethodGet, path: first.Links.Next.URI,
		headers: map[string]string{"MS-ContinuationToken": first.Links.Next.Headers[0].Value}})
	var second testCollection
	_ = json.Unmarshal(res.body, &second)
	got := fmt.Sprint(ids(first.Items), ids(second.Items))
	if want := fmt.Sprint([]string{a, b}, []string{c, d}); got != want {
		t.Errorf("pages = %s, want %s (no item skipped or repeated)", got, want)
	}
}

func ids(items []Transfer) []string {
	var out []string
	for _, tr := range items {
		out = append(out, tr.ID)
	}
	return out
}

func TestListArrayShape(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.ListShape = ListShapeArray; o.PageSize = 1 })
	a, b := h.create(), h.create()
	res := h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var items []Transfer
	if err := json.Unmarshal(res.body, &items); err != nil || res.status != http.StatusOK {
		t.Fatalf("array list: HTTP %d %v %s", res.status, err, res.body)
	}
	if len(items) != 2 || items[0].ID != a.ID || items[1].ID != b.ID {
		t.Errorf("items = %s", describe(items))
	}
	h.e.Reset()
	res = h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	if strings.TrimSpace(string(res.body)) != "[]" {
		t.Errorf("empty list = %s, want []", res.body)
	}
}

func TestListingTenThousandTransfersCostsLinearTime(t *testing.T) {
	h := newHarness(t)
	const n = 10_000
	// Create through the handler itself (no HTTP) to keep the test fast.
	req := &apiRequest{params: map[string]string{"customerId": customerID}, partner: targetTenant, objectID: "oid",
		body: []byte(mustJSON(t, createBodyFor(sourceTenant)))}
	for i := range n {
		if res := h.e.handleCreate(req); res.Status != http.StatusCreated {
			t.Fatalf("create %d: %d %s", i, res.Status, res.Body)
		}
	}
	h.e.mu.Lock()
	h.e.listScanned = 0
	h.e.mu.Unlock()
	pages := pageThrough(t, h, sourceTenant, "")
	seen := map[string]bool{}
	for _, p := range pages {
		for _, id := range p {
			seen[id] = true
		}
	}
	if len(pages) != n/DefaultPageSize || len(seen) != n {
		t.Fatalf("%d pages with %d distinct transfers, want %d and %d", len(pages), len(seen), n/DefaultPageSize, n)
	}
	h.e.mu.Lock()
	scanned := h.e.listScanned
	h.e.mu.Unlock()
	if scanned != n {
		t.Errorf("listing touched %d records for %d transfers; paging must not rescan earlier pages", scanned, n)
	}
}
