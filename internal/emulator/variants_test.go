// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// variantAnswers creates, submits and completes a transfer with the given
// variants and returns the raw create answer and the source's final GET.
func variantAnswers(t *testing.T, v WireVariants, create map[string]any) (created, done map[string]any) {
	t.Helper()
	h := newHarness(t, func(o *Options) { o.Wire = v })
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: create})
	if res.status != http.StatusCreated {
		t.Fatalf("create: HTTP %d %s", res.status, res.body)
	}
	created = res.raw(t)
	id, _ := created["id"].(string)
	if id == "" {
		id, _ = created["Id"].(string)
	}
	res = h.do(call{tenant: sourceTenant, method: http.MethodPatch, path: transferPath(customerID, id), body: submitBody(id, item(subE3, nce), item(subAzure, azure))})
	if res.status != http.StatusOK {
		t.Fatalf("submit: HTTP %d %s", res.status, res.body)
	}
	h.e.Advance(time.Hour)
	res = h.do(call{tenant: sourceTenant, method: http.MethodGet, path: transferPath(customerID, id)})
	if res.status != http.StatusOK {
		t.Fatalf("get: HTTP %d %s", res.status, res.body)
	}
	// The server's own view is never reshaped.
	if tr, ok := h.e.Transfer(customerID, id); !ok || tr.Status != statusComplete || tr.CustomerEmailID != "it-admin@northwind.example" {
		t.Errorf("server view changed by the variant: %+v", tr)
	}
	return created, res.raw(t)
}

func lines(t *testing.T, doc map[string]any, key string) []map[string]any {
	t.Helper()
	raw, _ := doc[key].([]any)
	var out []map[string]any
	for _, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			t.Fatalf("%s holds %T", key, r)
		}
		out = append(out, m)
	}
	return out
}

func TestWireVariantsDefaultShape(t *testing.T) {
	created, done := variantAnswers(t, WireVariants{}, createBodyFor(sourceTenant))
	if created["customerEmailId"] != "it-admin@northwind.example" || created["completedTime"] != nil || created["lineItems"] == nil {
		t.Errorf("default create answer: %v", created)
	}
	if _, present := created["completedTime"]; !present {
		t.Error("default shape sends completedTime as null")
	}
	for _, li := range lines(t, done, "lineItems") {
		if _, ok := li["productType"].(string); !ok {
			t.Errorf("productType %v is not a string", li["productType"])
		}
		if _, ok := li["id"].(string); !ok {
			t.Errorf("id %v is not a string", li["id"])
		}
	}
}

func TestWireVariantsDocExampleShapes(t *testing.T) {
	v, err := ParseWireVariants(WireVariantDocExample)
	if err != nil {
		t.Fatal(err)
	}
	created, done := variantAnswers(t, v, createBodyFor(sourceTenant))
	if created["customerEmailId"] != "" {
		t.Errorf("customerEmailId = %v, want the documented empty echo", created["customerEmailId"])
	}
	for _, name := range []string{"lineItems", "completedTime"} {
		if _, present := created[name]; present {
			t.Errorf("create answer has %s; the documented 201 has none", name)
		}
	}
	if pt, _ := created["partnertenantid"].(string); !strings.Contains(pt, "-wace-") {
		t.Errorf("partnertenantid = %q, want the example's kind of non-GUID", pt)
	}
	if created["targetPartnerEmailId"] != targetTenant {
		t.Errorf("targetPartnerEmailId = %v, want the target's tenant id", created["targetPartnerEmailId"])
	}
	items := lines(t, done, "lineItems")
	if len(items) != 2 {
		t.Fatalf("line items: %v", done["lineItems"])
	}
	for _, li := range items {
		if li["id"] != float64(0) {
			t.Errorf("id = %#v, want the number 0 repeated", li["id"])
		}
		want := float64(productTypeNumbers[nce])
		if li["subscriptionId"] == subAzure {
			want = float64(productTypeNumbers[azure])
		}
		if li["productType"] != want {
			t.Errorf("productType = %#v, want %v", li["productType"], want)
		}
	}
	if _, present := done["expirationTime"]; present {
		t.Error("expirationTime sent after the transfer left Pending")
	}
	if done["completedTime"] == nil {
		t.Error("completedTime missing on a completed transfer")
	}
}

func TestWireVariantsPascalCaseAndValues(t *testing.T) {
	v := WireVariants{PascalCase: true, CompletedStatus: "Completed", TransferTypeEcho: 5, ExtraMembers: true, LineItemIDs: LineItemIDsNumbers}
	body := createBodyFor(sourceTenant)
	body["participants"] = []map[string]string{{"key": "TransactionReseller", "value": "5556667"}}
	created, done := variantAnswers(t, v, body)
	for name := range created {
		if r := name[0]; r < 'A' || r > 'Z' {
			t.Errorf("member %q is not PascalCase", name)
		}
	}
	if created["PartnerTenantId"] != targetTenant || created["TransferType"] != float64(5) || created["AlternateId"] != nil {
		t.Errorf("PascalCase create answer: %v", created)
	}
	if _, ok := created["TargetPartnerProjectId"]; !ok {
		t.Error("extra members missing")
	}
	parts := lines(t, created, "Participants")
	if len(parts) != 1 || parts[0]["Key"] != "TransactionReseller" || parts[0]["Value"] != "5556667" {
		t.Errorf("participants: %v", created["Participants"])
	}
	if done["Status"] != "Completed" {
		t.Errorf("status = %v, want Completed", done["Status"])
	}
	items := lines(t, done, "LineItems")
	var ids []float64
	for _, li := range items {
		if li["Status"] != "Completed" || li["TermDuration"] != "P1Y" {
			t.Errorf("line item: %v", li)
		}
		id, _ := li["Id"].(float64)
		ids = append(ids, id)
		for _, a := range lines(t, li, "AddonItems") {
			if a["Status"] != "Completed" {
				t.Errorf("add-on: %v", a)
			}
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []float64{0, 1}) {
		t.Errorf("line item ids %v, want the numbers 0 and 1", ids)
	}
}

func TestWireVariantsListItemsAreReshaped(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Wire = WireVariants{PascalCase: true, EmptyCustomerEmail: true} })
	res := h.do(call{tenant: targetTenant, method: http.MethodPost, path: transfersPath(customerID), body: createBodyFor(sourceTenant)})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	res = h.do(call{tenant: targetTenant, method: http.MethodGet, path: transfersPath(customerID)})
	var coll struct {
		Items []map[string]any `json:"Items"`
	}
	if err := json.Unmarshal(res.body, &coll); err != nil || len(coll.Items) != 1 || !strings.Contains(string(res.body), `"TotalCount":1`) {
		t.Fatalf("list: %v %s", err, res.body)
	}
	if v, ok := coll.Items[0]["CustomerEmailId"]; !ok || v != "" {
		t.Errorf("list item not reshaped: %v", coll.Items[0])
	}
}

func TestParseWireVariants(t *testing.T) {
	v, err := ParseWireVariants(" Pascal-Case , transfer-type-3,,completed-status")
	if err != nil || v != (WireVariants{PascalCase: true, TransferTypeEcho: 3, CompletedStatus: "Completed"}) {
		t.Errorf("parsed %+v, %v", v, err)
	}
	if _, err := ParseWireVariants("camelcase"); err == nil || !strings.Contains(err.Error(), "pascal-case") {
		t.Errorf("unknown variant error %v should list the known ones", err)
	}
	for _, name := range WireVariantNames() {
		if v, err := ParseWireVariants(name); err != nil || v == (WireVariants{}) {
			t.Errorf("%s: %+v %v", name, v, err)
		}
	}
	if _, err := New(Options{Seed: DefaultSeed(), Wire: WireVariants{TransferTypeEcho: 4}}); err == nil {
		t.Error("transferTypeEcho 4 accepted")
	}
}

// documented-create answers a create with exactly the members of the
// create page's 201 example, filling targetPartnerEmailId in.
func TestWireVariantsDocumentedCreate(t *testing.T) {
	body := createBodyFor(sourceTenant)
	body["partnerOnRecord"] = "1234567"
	body["targetProductTypes"] = []string{nce, azure}
	delete(body, "targetPartnerEmailId")
	created, done := variantAnswers(t, WireVariants{DocumentedCreate: true}, body)
	var names []string
	for name := range created {
		names = append(names, name)
	}
	want := slices.Clone(documentedCreateMembers)
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("create answer members %v, want the documented %v", names, want)
	}
	if created["customerEmailId"] != "" || created["targetPartnerEmailId"] != targetTenant {
		t.Errorf("customerEmailId %v, targetPartnerEmailId %v: want \"\" and the target's tenant filled in", created["customerEmailId"], created["targetPartnerEmailId"])
	}
	// Later answers keep the fill but are otherwise whole.
	if done["targetPartnerEmailId"] != targetTenant || done["lineItems"] == nil || done["partnerOnRecord"] != "1234567" {
		t.Errorf("get answer %v", done)
	}
}

// Each input-echo form renders every create input member alike.
func TestWireVariantsInputEcho(t *testing.T) {
	body := createBodyFor(sourceTenant)
	body["partnerOnRecord"] = "1234567"
	body["participants"] = []map[string]any{{"key": "TransactionReseller", "value": "555"}}
	body["targetProductTypes"] = []string{nce, azure}
	for _, form := range inputEchoForms {
		t.Run(form, func(t *testing.T) {
			v, err := ParseWireVariants("input-echo-" + form)
			if err != nil {
				t.Fatal(err)
			}
			created, _ := variantAnswers(t, v, body)
			for _, name := range createInputMembers {
				got, present := created[name]
				ok := true
				switch form {
				case InputEchoAbsent:
					ok = !present
				case InputEchoNull:
					ok = present && got == nil
				case InputEchoEmpty:
					list, isList := got.([]any)
					ok = got == "" || isList && len(list) == 0 && (name == "targetProductTypes" || name == "participants")
				case InputEchoOtherCase:
					caseless := strings.ToUpper(describe(got)) == strings.ToLower(describe(got))
					ok = describe(got) != describe(body[name]) || caseless || name == "targetPartnerTenantId"
				case InputEchoFilled:
					ok = present && got != nil
				}
				if !ok {
					t.Errorf("%s: %s = %#v (present %v)", form, name, got, present)
				}
			}
			if created["id"] == nil || created["status"] != statusPending {
				t.Errorf("other members changed: %v", created)
			}
		})
	}
	if _, err := ParseWireVariants("input-echo-sideways"); err == nil {
		t.Error("an unknown form was accepted")
	}
}
