// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewServer returns the provider's protocol 6 server: the framework's,
// except that the read of partnercenter_transfers is answered directly.
//
// The framework copies a data source's whole state after Read to compare it
// for semantic equality (fwserver.ReadDataSource), which this data source,
// with no custom types, never needs. For 10,000 transfers that copy is a
// second tree of about 30 MB, and with the collector's pacing (the heap
// grows to twice the live data) it alone decided whether the read fit in
// 150 MB. Everything else (schema, validation, configuration, every other
// call) stays the framework's.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		p := &partnerCenterProvider{version: version}
		fw, err := providerserver.NewProtocol6WithError(p)()
		if err != nil {
			return nil, err
		}
		list, ok := fw.(tfprotov6.ListResourceServer)
		if !ok {
			return nil, errors.New("the framework's provider server does not serve list resources")
		}
		return &server{ProviderServer: fw, list: list, provider: p}, nil
	}
}

type server struct {
	tfprotov6.ProviderServer
	// list is the framework's list resource server: tf6server finds list
	// support (terraform query) by type assertion, so the wrapper forwards
	// it explicitly.
	list     tfprotov6.ListResourceServer
	provider *partnerCenterProvider
}

var _ tfprotov6.ListResourceServer = (*server)(nil)

// ValidateListResourceConfig is the framework's.
func (s *server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.list.ValidateListResourceConfig(ctx, req)
}

// ListResource is the framework's.
func (s *server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.list.ListResource(ctx, req)
}

// ReadDataSource serves partnercenter_transfers with its own Read, once
// the provider is configured; every other read goes to the framework.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	data := s.provider.configured()
	if req.TypeName != "partnercenter_transfers" || data == nil || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	ds := &transfersDataSource{data: data}
	var sch datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(ctx)
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		resp := &tfprotov6.ReadDataSourceResponse{}
		addProtoError(resp, "Cannot read the configuration of partnercenter_transfers", err)
		return resp, nil
	}
	readResp := datasource.ReadResponse{State: tfsdk.State{Schema: sch.Schema, Raw: config}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sch.Schema, Raw: config}, ClientCapabilities: datasource.ReadClientCapabilities{
		DeferralAllowed: req.ClientCapabilities != nil && req.ClientCapabilities.DeferralAllowed,
	}}, &readResp)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(readResp.Diagnostics)}
	if readResp.Diagnostics.HasError() {
		return resp, nil
	}
	state, err := tfprotov6.NewDynamicValue(typ, readResp.State.Raw)
	if err != nil {
		addProtoError(resp, "Cannot encode the state of partnercenter_transfers", err)
		return resp, nil
	}
	resp.State = &state
	return resp, nil
}

// addProtoError reports an error of the provider itself.
func addProtoError(resp *tfprotov6.ReadDataSourceResponse, summary string, err error) {
	resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
		Severity: tfprotov6.DiagnosticSeverityError, Summary: summary, Detail: err.Error() + "\n\nPlease report this issue.",
	})
}

// protoDiagnostics converts diagnostics for the protocol, with their
// attribute paths.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = protoPath(dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// protoPath is p as a protocol attribute path; nil for the root or a step
// no diagnostic of this provider uses.
func protoPath(p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(string(s)))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(int64(s)))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(string(s)))
		default:
			return nil
		}
	}
	if len(steps) == 0 {
		return nil
	}
	return tftypes.NewAttributePathWithSteps(steps)
}

// configured is the provider's data once Configure succeeded, else nil.
func (p *partnerCenterProvider) configured() *providerData {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.data
}
