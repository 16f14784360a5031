// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

// readFixture returns a verbatim example body from testdata/.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeFixture(t *testing.T, body []byte) Transfer {
	t.Helper()
	var tr Transfer
	if err := decodeEntity(bytes.NewReader(body), &tr); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	return tr
}

func mustTime(t *testing.T, s string) *time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return &at
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// TestDecodeSeedInProgressExample is the create page's "request example"
// (really an InProgress entity), which the client used to reject with
// "cannot unmarshal number into ... productType of type string".
func TestDecodeSeedInProgressExample(t *testing.T) {
	tr := decodeFixture(t, readFixture(t, "seed004_request_example_inprogress.json"))
	if tr.ID != "43fb1d3a-79fe-45a9-863e-9a4acf17b630" || tr.Status != StatusInProgress || tr.TransferType != 3 ||
		tr.TransferDirection != DirectionOutgoing || tr.CustomerEmailID != "" || tr.CustomerName != "ipdbtrans2" {
		t.Errorf("entity fields: %+v", tr)
	}
	// Not a GUID ("wace"): kept, never rejected.
	if tr.PartnerTenantID != "a94dcde1-ecd7-wace-a6ef-ef73ba6b8ba5" {
		t.Errorf("partnertenantid = %q", tr.PartnerTenantID)
	}
	if tr.TargetPartnerEmailID != "817512d3-0689-47a0-bbf2-a7f11ae1fc11" || tr.LastModifiedUser != "1671774b-679f-4543-a152-1f8b14006c0e" {
		t.Errorf("target e-mail / user: %q %q", tr.TargetPartnerEmailID, tr.LastModifiedUser)
	}
	if !sameTime(tr.CreatedTime, mustTime(t, "2024-04-30T18:31:41.5133355Z")) ||
		!sameTime(tr.LastModifiedTime, mustTime(t, "2024-05-01T00:51:55Z")) ||
		!sameTime(tr.ExpirationTime, mustTime(t, "2024-05-31T00:00:00Z")) || tr.CompletedTime != nil {
		t.Errorf("times: %v %v %v %v", tr.CreatedTime, tr.LastModifiedTime, tr.ExpirationTime, tr.CompletedTime)
	}
	want := []TransferLineItem{{
		ID: "0", SubscriptionID: "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", BillingCycle: "unknown", Quantity: 0,
		ProductType: "5", Status: StatusInProgress,
	}}
	if !reflect.DeepEqual(tr.LineItems, want) {
		t.Errorf("line items:\n got %+v\nwant %+v", tr.LineItems, want)
	}
	if tr.Links == nil || tr.Links.Self == nil || tr.Links.Self.Method != "GET" ||
		tr.Links.Self.URI != "/customers/aaaabbbb-0000-cccc-1111-dddd2222eeee/transfers/43fb1d3a-79fe-45a9-863e-9a4acf17b630" {
		t.Errorf("links: %+v", tr.Links)
	}
}

// TestDecodeSeedCreatedResponse is the documented 201 answer: the e-mail is
// echoed empty and lineItems is missing.
func TestDecodeSeedCreatedResponse(t *testing.T) {
	tr := decodeFixture(t, readFixture(t, "seed004_response_201_pending.json"))
	if tr.Status != StatusPending || tr.CustomerEmailID != "" || tr.LineItems != nil || tr.TransferDirection != DirectionIncoming ||
		tr.PartnerTenantID != "817512d3-0689-47a0-bbf2-a7f11ae1fc11" || tr.TargetPartnerTenantID != "817512d3-0689-47a0-bbf2-a7f11ae1fc11" {
		t.Errorf("created response: %+v", tr)
	}
	if !sameTime(tr.CreatedTime, mustTime(t, "2024-04-30T18:31:41.5133355Z")) || tr.CompletedTime != nil {
		t.Errorf("times: %v %v", tr.CreatedTime, tr.CompletedTime)
	}
}

// TestDecodeSeedBodiesThroughClient serves the seed's bodies over HTTP and
// reads them with GetTransfer and ListTransfers, the provider's calls.
func TestDecodeSeedBodiesThroughClient(t *testing.T) {
	inProgress := readFixture(t, "seed004_request_example_inprogress.json")
	created := readFixture(t, "seed004_response_201_pending.json")
	srv, _ := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
		if strings.HasSuffix(r.URL.Path, "/transfers") {
			writeRaw(w, http.StatusOK, "application/json", "["+string(created)+","+string(inProgress)+"]")
			return
		}
		writeRaw(w, http.StatusOK, "application/json; charset=utf-8", string(inProgress))
	})
	c, _ := newTestClient(t, srv)
	customer := "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	got, err := c.GetTransfer(t.Context(), customer, "43fb1d3a-79fe-45a9-863e-9a4acf17b630")
	if err != nil {
		t.Fatalf("GetTransfer: %v", err)
	}
	if len(got.LineItems) != 1 || got.LineItems[0].ProductType != "5" || got.LineItems[0].ID != "0" {
		t.Errorf("GetTransfer line items: %+v", got.LineItems)
	}
	var statuses []string
	if err := c.ListTransfers(t.Context(), customer, func(tr Transfer) error {
		statuses = append(statuses, tr.Status)
		return nil
	}); err != nil {
		t.Fatalf("ListTransfers: %v", err)
	}
	if !reflect.DeepEqual(statuses, []string{StatusPending, StatusInProgress}) {
		t.Errorf("listed %v", statuses)
	}
}

// TestDecodeReferenceExamples decodes the example bodies of internal/emulator/REFERENCE.md.
func TestDecodeReferenceExamples(t *testing.T) {
	pending := decodeFixture(t, readFixture(t, "ref_transfer_pending_reconstruction.json"))
	if pending.Status != StatusPending || pending.CustomerEmailID != "it-admin@customer.example" || pending.LineItems == nil ||
		len(pending.LineItems) != 0 || pending.Attributes == nil || pending.Attributes.ObjectType != "TransferEntity" {
		t.Errorf("reconstruction: %+v", pending)
	}

	submit := decodeFixture(t, readFixture(t, "ref_submit_request.json"))
	if len(submit.LineItems) != 2 || submit.LineItems[0].ProductType != ProductOnlineServicesNCE ||
		submit.LineItems[1].SubscriptionID != "0B1D2E3F-4A5B-6C7D-8E9F-0A1B2C3D4E5F" {
		t.Errorf("submit body: %+v", submit.LineItems)
	}

	cancel := decodeFixture(t, readFixture(t, "ref_cancel_request.json"))
	if cancel.ID != "<transfer-id>" || cancel.Status != StatusCanceled {
		t.Errorf("cancel body: %+v", cancel)
	}

	var audit struct {
		Items []struct {
			ResourceNewValue string `json:"resourceNewValue"`
		} `json:"items"`
	}
	if err := json.Unmarshal(readFixture(t, "ref_audit_create_transfer_collection.json"), &audit); err != nil || len(audit.Items) != 1 {
		t.Fatalf("audit fixture: %v", err)
	}
	// The audit record carries the entity with PascalCase member names.
	fromAudit := decodeFixture(t, []byte(audit.Items[0].ResourceNewValue))
	if fromAudit.ID != "2f6b1f7e-6f0c-4a45-9f8b-0d2f3c1a9e11" || fromAudit.Status != StatusPending || fromAudit.TransferType != 3 ||
		fromAudit.LineItems == nil || fromAudit.Attributes == nil || fromAudit.Attributes.ObjectType != "TransferEntity" {
		t.Errorf("PascalCase audit value: %+v", fromAudit)
	}
}

// TestCreateRequestMatchesReference checks that the client writes the
// documented member names of the create body.
func TestCreateRequestMatchesReference(t *testing.T) {
	doc := readFixture(t, "ref_create_request.json")
	var req CreateTransferRequest
	if err := json.Unmarshal(doc, &req); err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var want, got map[string]any
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(encoded, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("client create body\n got %s\nwant %s", encoded, doc)
	}
}

func TestDecodeReferenceErrorAndWebhookBodies(t *testing.T) {
	e := parseErrorBody(http.StatusNotFound, readFixture(t, "ref_error_body.json"))
	if e.Code != "900100" || e.Description != "Transfer request not found" || e.Source != "<string>" {
		t.Errorf("error body: %+v", e)
	}
	throttle := parseErrorBody(http.StatusTooManyRequests, readFixture(t, "ref_throttle_body.json"))
	if throttle.Description != "Rate limit is exceeded. Try again in 57 seconds." {
		t.Errorf("throttle body: %+v", throttle)
	}
	var envelope WebhookEvent
	if err := json.Unmarshal(readFixture(t, "ref_webhook_envelope.json"), &envelope); err != nil || envelope.EventName != "<resource>-<action>" {
		t.Errorf("envelope: %+v %v", envelope, err)
	}
	var observed WebhookEvent
	if err := json.Unmarshal(readFixture(t, "ref_webhook_create_transfer_observed.json"), &observed); err != nil ||
		observed.EventName != EventCreateTransfer || observed.ResourceName != "Transfer" ||
		!strings.HasSuffix(observed.AuditURI, "_createtransfer_<ticks>") {
		t.Errorf("observed event: %+v %v", observed, err)
	}
}

// recase rewrites every member name of a JSON document with f.
func recase(t *testing.T, body []byte, f func(string) string) []byte {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, e := range v {
				out[f(k)] = walk(e)
			}
			return out
		case []any:
			for i := range v {
				v[i] = walk(v[i])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func pascal(s string) string {
	if s == "partnertenantid" {
		return "PartnerTenantId"
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// TestDecodeAnyMemberCase decodes every entity fixture with PascalCase,
// upper-case and lower-case member names to the same transfer.
func TestDecodeAnyMemberCase(t *testing.T) {
	for _, name := range []string{"seed004_request_example_inprogress.json", "seed004_response_201_pending.json", "ref_transfer_pending_reconstruction.json"} {
		body := readFixture(t, name)
		want := decodeFixture(t, body)
		for label, f := range map[string]func(string) string{"Pascal": pascal, "UPPER": strings.ToUpper, "lower": strings.ToLower} {
			if got := decodeFixture(t, recase(t, body, f)); !reflect.DeepEqual(got, want) {
				t.Errorf("%s with %s member names:\n got %+v\nwant %+v", name, label, got, want)
			}
		}
	}
}

// TestDecodeDocumentedVariants covers every shape internal/emulator/REFERENCE.md §9.1 and the
// examples allow for the fields the provider reads.
func TestDecodeDocumentedVariants(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, tr Transfer)
	}{
		{"product type and id as strings", `{"lineItems":[{"id":"3","productType":"OnlineServicesNCE"}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.LineItems[0].ID != "3" || tr.LineItems[0].ProductType != ProductOnlineServicesNCE {
				t.Errorf("%+v", tr.LineItems)
			}
		}},
		{"product type in another case", `{"lineItems":[{"productType":"onlineservicesnce"}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.LineItems[0].ProductType != ProductOnlineServicesNCE {
				t.Errorf("%+v", tr.LineItems)
			}
		}},
		{"undocumented product type number shown as sent", `{"lineItems":[{"id":0,"productType":5},{"id":0,"productType":12}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.LineItems[0].ProductType != "5" || tr.LineItems[1].ProductType != "12" || tr.LineItems[1].ID != "0" {
				t.Errorf("%+v", tr.LineItems)
			}
		}},
		{"null times", `{"createdTime":null,"lastModifiedTime":null,"expirationTime":null,"completedTime":null}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.CreatedTime != nil || tr.LastModifiedTime != nil || tr.ExpirationTime != nil || tr.CompletedTime != nil {
				t.Errorf("%+v", tr)
			}
		}},
		{"empty and MinValue times", `{"createdTime":"","completedTime":"0001-01-01T00:00:00","expirationTime":"0001-01-01T00:00:00Z"}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.CreatedTime != nil || tr.CompletedTime != nil || tr.ExpirationTime != nil {
				t.Errorf("%+v", tr)
			}
		}},
		{"times without a zone are UTC", `{"createdTime":"2024-04-30T18:31:41.5133355","completedTime":"2024-05-01T00:51:55"}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if !sameTime(tr.CreatedTime, mustTime(t, "2024-04-30T18:31:41.5133355Z")) || !sameTime(tr.CompletedTime, mustTime(t, "2024-05-01T00:51:55Z")) {
				t.Errorf("%v %v", tr.CreatedTime, tr.CompletedTime)
			}
		}},
		{"missing and null lineItems", `{"lineItems":null}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.LineItems != nil {
				t.Errorf("%+v", tr.LineItems)
			}
		}},
		{"unknown members", `{"id":"x","targetPartnerProjectId":"p","futureThing":{"a":[1,{"b":null}]},"lineItems":[{"subscriptionId":"s","termDuration":"P1Y","catalogItemId":{"x":1}}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.ID != "x" || tr.LineItems[0].SubscriptionID != "s" {
				t.Errorf("%+v", tr)
			}
		}},
		{"enums as strings", `{"transferType":"3","transferDirection":"Incoming","ignoreEligibilityCheck":"true"}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.TransferType != 3 || tr.TransferDirection != DirectionIncoming || !tr.IgnoreEligibilityCheck {
				t.Errorf("%+v", tr)
			}
		}},
		{"enum names", `{"transferType":"NewCommerce","transferDirection":"outgoing"}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.TransferType != TransferTypeNewCommerceAlt || tr.TransferDirection != DirectionOutgoing {
				t.Errorf("%+v", tr)
			}
		}},
		{"numbers as strings and objects", `{"partnerOnRecord":1234567,"lineItems":[{"quantity":"25","billingCycle":{"name":"monthly"}}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.PartnerOnRecord != "1234567" || tr.LineItems[0].Quantity != 25 || tr.LineItems[0].BillingCycle != `{"name":"monthly"}` {
				t.Errorf("%+v", tr)
			}
		}},
		{"status in another case and legacy wording", `{"status":"complete","lineItems":[{"status":"inprogress"}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.Status != StatusComplete || tr.LineItems[0].Status != StatusInProgress {
				t.Errorf("%+v", tr)
			}
		}},
		{"numeric transfer id", `{"id":42}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.ID != "42" {
				t.Errorf("%+v", tr)
			}
		}},
		{"non-GUID server ids kept", `{"id":"transfer-0001","customerTenantId":"not-a-guid","lineItems":[{"id":"li/1","subscriptionId":"SUB 1"}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if tr.ID != "transfer-0001" || tr.CustomerTenantID != "not-a-guid" || tr.LineItems[0].ID != "li/1" || tr.LineItems[0].SubscriptionID != "SUB 1" {
				t.Errorf("%+v", tr)
			}
		}},
		{"participants in any case", `{"Participants":[{"KEY":"TransactionReseller","value":7654321}]}`, func(t *testing.T, tr Transfer) {
			t.Helper()
			if !reflect.DeepEqual(tr.Participants, []Participant{{Key: ParticipantTransactionReseller, Value: "7654321"}}) {
				t.Errorf("%+v", tr.Participants)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, decodeFixture(t, []byte(tc.body)))
		})
	}
}

// TestStatusSpellingsDecodeToOne decodes every documented spelling of a
// status, in any letter case, to the one form the domain compares with.
func TestStatusSpellingsDecodeToOne(t *testing.T) {
	for sent, want := range map[string]string{
		"Completed": StatusComplete, "COMPLETE": StatusComplete, "completed": StatusComplete,
		"Cancelled": StatusCanceled, "cancelled": StatusCanceled, "Cancel": StatusCanceled, "CANCELED": StatusCanceled,
		"pending": StatusPending, "inprogress": StatusInProgress, "EXPIRED": StatusExpired, "Failed": StatusFailed,
		"Active": "Active", "5": "5", "": "",
	} {
		body := `{"id":"t","status":"` + sent + `","lineItems":[{"id":"0","subscriptionId":"s","status":"` + sent + `"}]}`
		tr := decodeFixture(t, []byte(body))
		if tr.Status != want || tr.LineItems[0].Status != want {
			t.Errorf("status %q decoded as %q (line item %q), want %q", sent, tr.Status, tr.LineItems[0].Status, want)
		}
	}
}

// TestListTransfersPascalCaseCollection pages through a collection whose
// envelope, next link and items all use .NET's PascalCase member names.
func TestListTransfersPascalCaseCollection(t *testing.T) {
	item := string(recase(t, readFixture(t, "seed004_request_example_inprogress.json"), pascal))
	srv, _ := testServer(t, func(w http.ResponseWriter, r *http.Request, _ seenRequest, _ int) {
		if r.Header.Get(headerContinuationToken) == "" {
			writeRaw(w, http.StatusOK, "application/json", `{"TotalCount":1,"Items":[`+item+`],"Links":{"Next":{"Uri":"/customers/c/transfers?seek=1","Method":"GET","Headers":[{"Key":"MS-ContinuationToken","Value":"t1"}]}}}`)
			return
		}
		writeRaw(w, http.StatusOK, "application/json", `{"TotalCount":1,"Items":[`+item+`]}`)
	})
	c, _ := newTestClient(t, srv)
	var got []Transfer
	if err := c.ListTransfers(t.Context(), "c", func(tr Transfer) error {
		got = append(got, tr)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].LineItems[0].ProductType != "5" || got[0].PartnerTenantID != "a94dcde1-ecd7-wace-a6ef-ef73ba6b8ba5" {
		t.Errorf("listed %+v", got)
	}
}
