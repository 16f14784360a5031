// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"reflect"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
)

// The create inputs are transfers.CreateInputs; this file only translates
// between that table and Terraform values: a model's input by attribute
// name, expand, the echo rule applied to state, validators and the plan
// modifier of an input.

// inputRuleNote is appended to the description of every create input.
const inputRuleNote = " Partner Center cannot change it once the request exists, so the state keeps the value you configured " +
	"whatever Partner Center echoes (nothing, `\"\"`, another letter case, or a value it filled in; its documented create response " +
	"returns `customerEmailId` as `\"\"` and fills `targetPartnerEmailId` in), and an argument you leave unset stays unset; " +
	"a source partner that adopts the request by import sees Partner Center's values. " +
	"When the state only holds such an echo (a request adopted by import), configuring the value updates the state in place instead of replacing the request."

// inputFields maps each create input's attribute to its field in
// transferModel (by its tfsdk tag).
var inputFields = func() map[string]int {
	out := map[string]int{}
	typ := reflect.TypeOf(transferModel{})
	for i := range typ.NumField() {
		if name := typ.Field(i).Tag.Get("tfsdk"); name != "" {
			if _, ok := transfers.InputNamed(name); ok {
				out[name] = i
			}
		}
	}
	if len(out) != len(transfers.CreateInputs) {
		panic(fmt.Sprintf("transferModel has %d of the %d create inputs", len(out), len(transfers.CreateInputs)))
	}
	return out
}()

// inputField is m's field for the input attribute, settable.
func inputField(m *transferModel, attribute string) reflect.Value {
	return reflect.ValueOf(m).Elem().Field(inputFields[attribute])
}

// inputOf is m's value of the input attribute.
func inputOf(m *transferModel, attribute string) attr.Value {
	v, _ := inputField(m, attribute).Interface().(attr.Value) // every field of transferModel is one
	return v
}

// setInput sets m's value of the input attribute.
func setInput(m *transferModel, attribute string, v attr.Value) {
	inputField(m, attribute).Set(reflect.ValueOf(v))
}

// domainValue is v as the domain's value: nil when null; known is false
// when v is unknown.
func domainValue(ctx context.Context, v attr.Value) (value transfers.Value, known bool, diags diag.Diagnostics) {
	if v.IsUnknown() {
		return nil, false, nil
	}
	if v.IsNull() {
		return nil, true, nil
	}
	switch v := v.(type) {
	case types.String:
		return transfers.Value{v.ValueString()}, true, nil
	case types.Int64:
		return transfers.Value{strconv.FormatInt(v.ValueInt64(), 10)}, true, nil
	case types.Set:
		var out []string
		diags = v.ElementsAs(ctx, &out, false)
		if out == nil {
			out = []string{}
		}
		return out, true, diags
	}
	diags.AddError("Unsupported input type", fmt.Sprintf("%T", v))
	return nil, false, diags
}

// terraformValue is v in the Terraform type of like.
func terraformValue(ctx context.Context, like attr.Value, v transfers.Value) (attr.Value, diag.Diagnostics) {
	switch like.(type) {
	case types.Int64:
		if v == nil {
			return types.Int64Null(), nil
		}
		n, err := strconv.ParseInt(v[0], 10, 64)
		if err != nil {
			return types.Int64Null(), diag.Diagnostics{diag.NewErrorDiagnostic("Invalid number", err.Error())}
		}
		return types.Int64Value(n), nil
	case types.Set:
		if v == nil {
			return types.SetNull(types.StringType), nil
		}
		return types.SetValueFrom(ctx, types.StringType, []string(v))
	default:
		if v == nil {
			return types.StringNull(), nil
		}
		return types.StringValue(v[0]), nil
	}
}

// knownInputs is every create input of m whose value is known, by
// attribute (null inputs as nil).
func knownInputs(ctx context.Context, m transferModel) (map[string]transfers.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := map[string]transfers.Value{}
	for _, in := range transfers.CreateInputs {
		v, known, d := domainValue(ctx, inputOf(&m, in.Attribute))
		diags.Append(d...)
		if known && v != nil {
			out[in.Attribute] = v
		}
	}
	return out, diags
}

// expandCreateRequest builds the target partner's create body from the plan.
func expandCreateRequest(ctx context.Context, m transferModel) (partnercenter.CreateTransferRequest, diag.Diagnostics) {
	values, diags := knownInputs(ctx, m)
	return transfers.CreateRequest(values), diags
}

// keepInputs applies the echo rule (transfers.CreateInputs) to flat, the
// transfer decoded from Partner Center: each create input keeps prior's
// value when prior has one, a null included (an input left unset stays
// unset, whatever the service fills in). prior is the plan during create
// and update, the state during read. Only an unknown input (customer_name
// left unset, which Partner Center fills in) takes the service's value,
// and so do the null inputs of a state that never knew them: one just
// imported, which has no source_partner_tenant_id yet.
func keepInputs(ctx context.Context, prior, flat transferModel) (transferModel, diag.Diagnostics) {
	imported := prior.SourcePartnerTenantID.IsNull()
	for _, in := range transfers.CreateInputs {
		p := inputOf(&prior, in.Attribute)
		if p.IsUnknown() || (p.IsNull() && imported) {
			continue
		}
		setInput(&flat, in.Attribute, p)
	}
	items, diags := keepSubmittedProductTypes(ctx, prior.LineItems, flat.LineItems)
	flat.LineItems = items
	return flat, diags
}

// keepSubmittedProductTypes keeps the product type the source partner
// submitted for each line item it already knows; Partner Center's answer
// may carry an undocumented number ("5") or another spelling. Line items
// only Partner Center knows (the target's view) show its value as sent.
// Keys already match prior keys (flattenLineItems keeps their letter case).
func keepSubmittedProductTypes(ctx context.Context, prior, flat types.Map) (types.Map, diag.Diagnostics) {
	if prior.IsNull() || prior.IsUnknown() || flat.IsNull() || flat.IsUnknown() || len(prior.Elements()) == 0 {
		return flat, nil
	}
	var before, after map[string]lineItemModel
	diags := prior.ElementsAs(ctx, &before, false)
	diags.Append(flat.ElementsAs(ctx, &after, false)...)
	if diags.HasError() {
		return flat, diags
	}
	changed := false
	for id, li := range after {
		if was, ok := before[id]; ok && !was.ProductType.IsNull() && !was.ProductType.IsUnknown() && was.ProductType != li.ProductType {
			li.ProductType = was.ProductType
			after[id] = li
			changed = true
		}
	}
	if !changed {
		return flat, diags
	}
	out, d := types.MapValueFrom(ctx, lineItemObjectType, after)
	diags.Append(d...)
	return out, diags
}

// addInputProblems reports the domain's problems on their attributes.
func addInputProblems(diags *diag.Diagnostics, problems []transfers.Problem) {
	for _, p := range problems {
		diags.AddAttributeError(path.Root(p.Attribute), p.Summary, p.Detail)
	}
}

// inputValidator checks a create input's value (each member of a set)
// with the domain's rule.
func inputValidator(attribute string) inputRuleValidator {
	in, ok := transfers.InputNamed(attribute)
	if !ok {
		panic("no create input " + attribute)
	}
	return inputRuleValidator{in}
}

type inputRuleValidator struct{ in transfers.Input }

func (v inputRuleValidator) Description(context.Context) string {
	return "value must be " + v.in.Rule
}

func (v inputRuleValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v inputRuleValidator) check(p path.Path, value string, diags *diag.Diagnostics) {
	if msg := v.in.Check(value); msg != "" {
		diags.AddAttributeError(p, "Invalid "+v.in.Attribute, fmt.Sprintf("%s: %s", v.in.Attribute, msg))
	}
}

func (v inputRuleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		v.check(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
	}
}

func (v inputRuleValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() {
		v.check(req.Path, strconv.FormatInt(req.ConfigValue.ValueInt64(), 10), &resp.Diagnostics)
	}
}

// inputPlan is the plan modifier of a text create input: left unset, it
// keeps the state's value (a null included: Partner Center cannot change
// it); configured, it replaces the request when the value differs from the
// state's, unless the state only holds Partner Center's echo of it (a
// request adopted by import), which is the same request.
func inputPlan(attribute string) planmodifier.String {
	in, _ := transfers.InputNamed(attribute)
	return inputPlanModifier{in}
}

type inputPlanModifier struct{ in transfers.Input }

func (inputPlanModifier) Description(context.Context) string {
	return "Unset, keeps the state's value; changing the configured value replaces the request, unless the state only holds " +
		"Partner Center's echo of it."
}

func (m inputPlanModifier) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m inputPlanModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue
		return
	}
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	var target types.String
	if req.State.Schema != nil {
		_ = req.State.GetAttribute(ctx, path.Root("target_partner_tenant_id"), &target)
	}
	echo := &partnercenter.Transfer{TargetPartnerTenantID: target.ValueString()}
	if !m.in.Echoes(req.ConfigValue.ValueString(), req.StateValue.ValueString(), echo) {
		resp.RequiresReplace = true
	}
}
