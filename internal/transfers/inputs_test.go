// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"strings"
	"testing"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

const (
	callerTenant = "aaaaaaaa-1111-2222-3333-444444444444"
	sourceTenant = "bbbbbbbb-1111-2222-3333-444444444444"
)

func validInputs() map[string]Value {
	return map[string]Value{
		"source_partner_tenant_id": {sourceTenant}, "source_partner_name": {"Contoso"}, "customer_email": {"it@northwind.example"},
	}
}

func TestCheckCreate(t *testing.T) {
	tests := []struct {
		name      string
		change    func(map[string]Value)
		attribute string // "" when valid
		detail    string
	}{
		{"valid", func(map[string]Value) {}, "", ""},
		{"source is the caller, target unset", func(v map[string]Value) { v["source_partner_tenant_id"] = Value{strings.ToUpper(callerTenant)} },
			"source_partner_tenant_id", "900148"},
		{"source is the caller, target another partner", func(v map[string]Value) {
			v["source_partner_tenant_id"] = Value{callerTenant}
			v["target_partner_tenant_id"] = Value{"cccccccc-1111-2222-3333-444444444444"}
		}, "", ""},
		{"source equals target", func(v map[string]Value) { v["target_partner_tenant_id"] = Value{sourceTenant} }, "target_partner_tenant_id", "900148"},
		{"nil GUID source", func(v map[string]Value) { v["source_partner_tenant_id"] = Value{nilGUID} }, "source_partner_tenant_id", "nil GUID"},
		{"nil GUID target", func(v map[string]Value) { v["target_partner_tenant_id"] = Value{nilGUID} }, "target_partner_tenant_id", "nil GUID"},
		{"source not a GUID", func(v map[string]Value) { v["source_partner_tenant_id"] = Value{"contoso"} }, "source_partner_tenant_id", "not a GUID"},
		{"whitespace-only source name", func(v map[string]Value) { v["source_partner_name"] = Value{" \t "} }, "source_partner_name", "white space"},
		{"NUL in customer name", func(v map[string]Value) { v["customer_name"] = Value{"North\x00wind"} }, "customer_name", "U+0000"},
		{"newline in partner of record", func(v map[string]Value) { v["partner_of_record"] = Value{"12\n34"} }, "partner_of_record", "U+000A"},
		{"too long target e-mail", func(v map[string]Value) { v["target_partner_email"] = Value{strings.Repeat("é", 257)} }, "target_partner_email", "257 characters"},
		{"e-mail with a name", func(v map[string]Value) { v["customer_email"] = Value{"Bob <bob@x.example>"} }, "customer_email", "plain e-mail"},
		{"transfer type 4", func(v map[string]Value) { v["transfer_type"] = Value{"4"} }, "transfer_type", "3, 5"},
		{"unknown product type", func(v map[string]Value) { v["target_product_types"] = Value{"SaaS", "Printer"} }, "target_product_types", "Printer"},
	}
	for _, tt := range tests {
		v := validInputs()
		tt.change(v)
		got := CheckCreate(v, callerTenant)
		switch {
		case tt.attribute == "" && len(got) != 0:
			t.Errorf("%s: problems %+v, want none", tt.name, got)
		case tt.attribute != "" && (len(got) != 1 || got[0].Attribute != tt.attribute || !strings.Contains(got[0].Detail, tt.detail)):
			t.Errorf("%s: problems %+v, want one on %s mentioning %q", tt.name, got, tt.attribute, tt.detail)
		}
	}
	// Without the caller's tenant (not configured yet) that rule waits.
	v := validInputs()
	v["source_partner_tenant_id"] = Value{callerTenant}
	if got := CheckCreate(v, ""); len(got) != 0 {
		t.Errorf("problems %+v before the caller's tenant is known", got)
	}
}

func TestCreateRequestFromTable(t *testing.T) {
	v := validInputs()
	v["transaction_reseller_id"] = Value{"555"}
	v["target_product_types"] = Value{"AzureSubscription"}
	r := CreateRequest(v)
	if r.TransferType != partnercenter.TransferTypeNewCommerce || r.SourcePartnerTenantID != sourceTenant || r.SourcePartnerName != "Contoso" ||
		r.CustomerEmailID != "it@northwind.example" || r.TargetPartnerTenantID != "" || len(r.TargetProductTypes) != 1 ||
		len(r.Participants) != 1 || r.Participants[0].Value != "555" {
		t.Errorf("request %+v", r)
	}
	v["transfer_type"] = Value{"5"}
	if r := CreateRequest(v); r.TransferType != 5 {
		t.Errorf("transfer type %d, want the configured 5", r.TransferType)
	}
	for _, in := range CreateInputs {
		if got, ok := InputNamed(in.Attribute); !ok || got.Wire != in.Wire {
			t.Errorf("InputNamed(%q) = %+v", in.Attribute, got)
		}
	}
}

// The documented 201 answer (targetPartnerEmailId filled in with the
// target's tenant, customerEmailId "") is the request that was sent.
func TestMatchesDocumentedCreateAnswer(t *testing.T) {
	req := partnercenter.CreateTransferRequest{SourcePartnerTenantID: sourceTenant, SourcePartnerName: "Test_Test_IP4_AG",
		CustomerEmailID: "it@northwind.example", TransferType: 3}
	answer := &partnercenter.Transfer{SourcePartnerTenantID: strings.ToUpper(sourceTenant), SourcePartnerName: "test_test_ip4_ag ",
		CustomerName: "ipdbtrans2", TargetPartnerTenantID: callerTenant, TargetPartnerEmailID: callerTenant, TransferType: 5}
	if !matches(answer, req) {
		t.Error("the documented answer does not match the request")
	}
	for name, change := range map[string]func(*partnercenter.Transfer){
		"other source":         func(t *partnercenter.Transfer) { t.SourcePartnerTenantID = callerTenant },
		"other source name":    func(t *partnercenter.Transfer) { t.SourcePartnerName = "Fabrikam" },
		"other target e-mail":  func(t *partnercenter.Transfer) { t.TargetPartnerEmailID = "ops@fabrikam.example" },
		"other partner record": func(t *partnercenter.Transfer) { t.PartnerOnRecord = "999" },
	} {
		other := *answer
		change(&other)
		if matches(&other, req) {
			t.Errorf("%s matches", name)
		}
	}
}
