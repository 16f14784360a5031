// SPDX-License-Identifier: MPL-2.0

package transfers

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// The inputs of a create request, in one table: each one's attribute, wire
// member, validation, what it is when unset, and how Partner Center may
// echo it. Expanding a configuration into a request, keeping inputs in
// state and checking them all read this table, so an input is described
// once.
//
// The echo rule is the same for every input and is not a column: Partner
// Center cannot change an input once the request exists, so its value in
// state is the configured (or prior) one whenever there is one, whatever
// the service echoes (nothing, null, "", another letter case, or a value it
// filled in). Only an input whose value nobody knew before the apply
// (customer_name left unset, which Partner Center fills in) takes the echo.

// Value is an input's value as text: one element for a text or number
// input, one per member for a set; nil when unset.
type Value []string

// Unset says what an input left unset becomes.
type Unset int

// What an unset input becomes.
const (
	// UnsetNull: sent as nothing, and nothing in state.
	UnsetNull Unset = iota
	// UnsetFilled: sent as nothing; Partner Center fills it in, so it is
	// known only after the apply.
	UnsetFilled
	// UnsetCallerTenant: the calling partner's tenant.
	UnsetCallerTenant
	// UnsetDefault: Input.Default.
	UnsetDefault
)

// Input is one input of a create request.
type Input struct {
	// Attribute is its name in the configuration.
	Attribute string
	// Wire is its member in the create body.
	Wire string
	// Required to create a request.
	Required bool
	// Unset is what it becomes when not configured.
	Unset Unset
	// Default is the value of an UnsetDefault input.
	Default Value
	// Rule describes the valid values, for documentation.
	Rule string

	check  func(v string) string
	put    func(r *partnercenter.CreateTransferRequest, v Value)
	echoed func(t *partnercenter.Transfer) string
	same   func(sent, echoed string, t *partnercenter.Transfer) bool
}

// Problem is what is wrong with an input and how to fix it.
type Problem struct {
	Attribute string
	Summary   string
	Detail    string
}

// nilGUID is the all-zero GUID: no partner has it.
const nilGUID = "00000000-0000-0000-0000-000000000000"

// GUIDPattern is a GUID in the 8-4-4-4-12 form Partner Center uses.
var GUIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in the 8-4-4-4-12 form Partner Center
// uses.
func IsGUID(s string) bool { return GUIDPattern.MatchString(s) }

// CreateInputs is the table of create inputs, in the order the request
// documents them.
var CreateInputs = []Input{
	{
		Attribute: "source_partner_tenant_id", Wire: "sourcePartnerTenantId", Required: true,
		Rule:   "a partner's tenant ID (GUID), not the nil GUID",
		check:  partnerTenant,
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.SourcePartnerTenantID = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.SourcePartnerTenantID },
		// The one input a search for a request this partner sent never
		// treats as echoed emptier: it says whose request it is.
		same: func(sent, echoed string, _ *partnercenter.Transfer) bool { return strings.EqualFold(sent, echoed) },
	},
	{
		Attribute: "source_partner_name", Wire: "sourcePartnerName", Required: true,
		Rule:   "1 to 256 characters of text, not only spaces, without control characters",
		check:  freeText(256),
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.SourcePartnerName = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.SourcePartnerName },
	},
	{
		Attribute: "customer_email", Wire: "customerEmailId", Required: true,
		Rule:   "one plain e-mail address such as user@example.com",
		check:  email,
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.CustomerEmailID = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.CustomerEmailID },
	},
	{
		Attribute: "customer_name", Wire: "customerName", Unset: UnsetFilled,
		Rule:   "1 to 256 characters of text, not only spaces, without control characters",
		check:  freeText(256),
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.CustomerName = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.CustomerName },
	},
	{
		Attribute: "target_partner_tenant_id", Wire: "targetPartnerTenantId", Unset: UnsetCallerTenant,
		Rule:   "a partner's tenant ID (GUID), not the nil GUID",
		check:  partnerTenant,
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.TargetPartnerTenantID = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.TargetPartnerTenantID },
	},
	{
		Attribute: "target_partner_email", Wire: "targetPartnerEmailId",
		Rule:   "1 to 256 characters of text, not only spaces, without control characters",
		check:  freeText(256),
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.TargetPartnerEmailID = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.TargetPartnerEmailID },
		// One page documents the member as the target's tenant ID, and
		// Microsoft's 201 example fills it in with that.
		same: func(sent, echoed string, t *partnercenter.Transfer) bool {
			return echoes(sent, echoed) || strings.EqualFold(echoed, t.TargetPartnerTenantID)
		},
	},
	{
		Attribute: "transfer_type", Wire: "transferType", Unset: UnsetDefault,
		Default: Value{strconv.Itoa(partnercenter.TransferTypeNewCommerce)},
		Rule:    "3 (new commerce, the create API's documented value) or 5 (NewCommerce on the resource page)",
		check:   oneOf(strconv.Itoa(partnercenter.TransferTypeNewCommerce), strconv.Itoa(partnercenter.TransferTypeNewCommerceAlt)),
		put: func(r *partnercenter.CreateTransferRequest, v Value) {
			r.TransferType, _ = strconv.Atoi(v.text())
		},
		echoed: func(t *partnercenter.Transfer) string { return "" }, // 3 and 5 both mean new commerce
	},
	{
		Attribute: "target_product_types", Wire: "targetProductTypes",
		Rule:  "product types among " + strings.Join(partnercenter.ProductTypes, ", "),
		check: oneOf(partnercenter.ProductTypes...),
		put: func(r *partnercenter.CreateTransferRequest, v Value) {
			r.TargetProductTypes = slices.Clone([]string(v))
		},
		echoed: func(t *partnercenter.Transfer) string { return "" },
	},
	{
		Attribute: "partner_of_record", Wire: "partnerOnRecord",
		Rule:   "a PartnerID (MPN ID): 1 to 64 characters of text without control characters",
		check:  freeText(64),
		put:    func(r *partnercenter.CreateTransferRequest, v Value) { r.PartnerOnRecord = v.text() },
		echoed: func(t *partnercenter.Transfer) string { return t.PartnerOnRecord },
	},
	{
		Attribute: "transaction_reseller_id", Wire: "participants",
		Rule:  "a PartnerID (MPN ID): 1 to 64 characters of text without control characters",
		check: freeText(64),
		put: func(r *partnercenter.CreateTransferRequest, v Value) {
			if s := v.text(); s != "" {
				r.Participants = []partnercenter.Participant{{Key: partnercenter.ParticipantTransactionReseller, Value: s}}
			}
		},
		echoed: func(t *partnercenter.Transfer) string { return TransactionReseller(t.Participants) },
	},
}

// InputNamed is the input with attribute name, and whether there is one.
func InputNamed(name string) (Input, bool) {
	i := slices.IndexFunc(CreateInputs, func(in Input) bool { return in.Attribute == name })
	if i < 0 {
		return Input{}, false
	}
	return CreateInputs[i], true
}

// Check reports what is wrong with one value of the input (one member of
// a set), or "" when nothing is: the text says what a valid value is.
func (in Input) Check(v string) string {
	if in.check == nil {
		return ""
	}
	return in.check(v)
}

// CheckCreate checks a create's inputs together, by attribute name, once
// the calling partner's tenant is known ("" when not): the values each
// input holds, and the rules that involve more than one input. Unknown
// inputs (absent from values) are not checked.
func CheckCreate(values map[string]Value, callerTenant string) []Problem {
	var out []Problem
	for _, in := range CreateInputs {
		for _, v := range values[in.Attribute] {
			if msg := in.Check(v); msg != "" {
				out = append(out, Problem{Attribute: in.Attribute, Summary: "Invalid " + in.Attribute, Detail: fmt.Sprintf("%s: %s", in.Attribute, msg)})
			}
		}
	}
	source, target := values["source_partner_tenant_id"].text(), values["target_partner_tenant_id"].text()
	switch {
	case source == "":
	case target != "" && strings.EqualFold(source, target):
		out = append(out, Problem{Attribute: "target_partner_tenant_id", Summary: "Source and target partner are the same",
			Detail: "target_partner_tenant_id equals source_partner_tenant_id. A transfer moves items from the source partner to a different " +
				"target partner (Partner Center error 900148); set source_partner_tenant_id to the partner that currently owns the subscriptions."})
	case target == "" && callerTenant != "" && strings.EqualFold(source, callerTenant):
		out = append(out, Problem{Attribute: "source_partner_tenant_id", Summary: "Source partner is the calling partner",
			Detail: fmt.Sprintf("source_partner_tenant_id is %s, the tenant this provider signs in to, which creates the request as the target "+
				"partner (target_partner_tenant_id is unset, so it defaults to that tenant). A partner cannot transfer to itself (Partner Center "+
				"error 900148): set source_partner_tenant_id to the partner that currently owns the subscriptions, or configure the provider "+
				"with the target partner's tenant.", source)})
	}
	return out
}

// CreateRequest builds the create body from the inputs' values, by
// attribute name; an unset UnsetDefault input takes its default.
func CreateRequest(values map[string]Value) partnercenter.CreateTransferRequest {
	var r partnercenter.CreateTransferRequest
	for _, in := range CreateInputs {
		v := values[in.Attribute]
		if v == nil && in.Unset == UnsetDefault {
			v = in.Default
		}
		if v != nil {
			in.put(&r, v)
		}
	}
	return r
}

// Echoes reports whether echoed may be Partner Center's rendering of the
// input's sent value: see matches.
func (in Input) Echoes(sent, echoed string, t *partnercenter.Transfer) bool {
	switch {
	case in.Unset != UnsetNull && strings.TrimSpace(sent) == "":
		return true // the service fills it in
	case in.same != nil:
		return in.same(sent, echoed, t)
	}
	return echoes(sent, echoed)
}

// TransactionReseller is the TransactionReseller participant's value.
func TransactionReseller(ps []partnercenter.Participant) string {
	for _, p := range ps {
		if strings.EqualFold(p.Key, partnercenter.ParticipantTransactionReseller) {
			return p.Value
		}
	}
	return ""
}

// matches reports whether t is a request made from req: every input the
// service echoes must be equal (without case or surrounding space) or
// echoed emptier (Microsoft's documented answers echo `"customerEmailId":
// ""`), or be one the service fills in where nothing was sent; the source
// partner's tenant must be equal.
func matches(t *partnercenter.Transfer, req partnercenter.CreateTransferRequest) bool {
	for _, in := range CreateInputs {
		if !in.Echoes(in.sent(req), in.echoed(t), t) {
			return false
		}
	}
	return true
}

// sent is the input's value in req, as text ("" for inputs the service
// does not echo).
func (in Input) sent(req partnercenter.CreateTransferRequest) string {
	echo := partnercenter.Transfer{
		SourcePartnerTenantID: req.SourcePartnerTenantID, SourcePartnerName: req.SourcePartnerName,
		CustomerEmailID: req.CustomerEmailID, CustomerName: req.CustomerName,
		TargetPartnerTenantID: req.TargetPartnerTenantID, TargetPartnerEmailID: req.TargetPartnerEmailID,
		PartnerOnRecord: req.PartnerOnRecord, Participants: req.Participants,
	}
	return in.echoed(&echo)
}

// echoes reports whether echoed is what the service may answer for sent:
// the same text without case or surrounding space, or nothing.
func echoes(sent, echoed string) bool {
	echoed = strings.TrimSpace(echoed)
	return echoed == "" || strings.EqualFold(strings.TrimSpace(sent), echoed)
}

func (v Value) text() string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// partnerTenant checks a partner's tenant ID.
func partnerTenant(v string) string {
	switch {
	case !IsGUID(v):
		return fmt.Sprintf("%q is not a GUID. Use the 36-character form 11111111-2222-3333-4444-555555555555 "+
			"(Partner Center shows tenant IDs in this form).", v)
	case v == nilGUID:
		return "the nil GUID (all zeros) is no partner's tenant. Use the partner's Microsoft Entra tenant ID, " +
			"which Partner Center shows under Account settings."
	}
	return ""
}

// email checks one plain e-mail address.
func email(v string) string {
	if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v || addr.Name != "" {
		return fmt.Sprintf("%q is not a single plain e-mail address. Write it as user@example.com, without a display name or angle brackets.", v)
	}
	return ""
}

// freeText checks text Partner Center stores and shows: not empty, not
// only white space, at most limit characters, no control characters (a NUL
// is stored as sent and breaks every page that shows it).
func freeText(limit int) func(string) string {
	return func(v string) string {
		switch n := len([]rune(v)); {
		case strings.TrimSpace(v) == "":
			return fmt.Sprintf("%q is empty or only white space (Partner Center refuses it with error 800002). "+
				"Write the text, or leave the argument out.", v)
		case n > limit:
			return fmt.Sprintf("it is %d characters long; at most %d are accepted. Shorten it.", n, limit)
		}
		if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 {
			return fmt.Sprintf("%q contains the control character %U at byte %d. Remove it: Partner Center stores it as sent "+
				"and shows it to the customer.", v, []rune(v[i:])[0], i)
		}
		return ""
	}
}

// oneOf checks a value is one of values, exactly.
func oneOf(values ...string) func(string) string {
	return func(v string) string {
		if slices.Contains(values, v) {
			return ""
		}
		return fmt.Sprintf("%q is not accepted; use one of %s.", v, strings.Join(values, ", "))
	}
}
