// SPDX-License-Identifier: MPL-2.0

// Package provider implements the partnercenter Terraform provider on the
// terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/transfers"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/wait"
)

var (
	_ provider.Provider                  = (*partnerCenterProvider)(nil)
	_ provider.ProviderWithListResources = (*partnerCenterProvider)(nil)
)

// New returns a constructor of the provider for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &partnerCenterProvider{version: version}
	}
}

type partnerCenterProvider struct {
	version string

	// mu guards data: what Configure gave resources and data sources, for
	// the reads NewServer serves itself.
	mu   sync.Mutex
	data *providerData
}

// providerModel is the provider block.
type providerModel struct {
	TenantID                  types.String  `tfsdk:"tenant_id"`
	ClientID                  types.String  `tfsdk:"client_id"`
	ClientIDFilePath          types.String  `tfsdk:"client_id_file_path"`
	ClientSecret              types.String  `tfsdk:"client_secret"`
	ClientCertificatePath     types.String  `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String  `tfsdk:"client_certificate_password"`
	UseOIDC                   types.Bool    `tfsdk:"use_oidc"`
	OIDCToken                 types.String  `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String  `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL            types.String  `tfsdk:"oidc_request_url"`
	OIDCRequestToken          types.String  `tfsdk:"oidc_request_token"`
	ADOServiceConnectionID    types.String  `tfsdk:"ado_pipeline_service_connection_id"`
	UseCLI                    types.Bool    `tfsdk:"use_cli"`
	UseMSI                    types.Bool    `tfsdk:"use_msi"`
	AccessToken               types.String  `tfsdk:"access_token"`
	Environment               types.String  `tfsdk:"environment"`
	Endpoint                  types.String  `tfsdk:"endpoint"`
	AuthorityHost             types.String  `tfsdk:"authority_host"`
	PollInitialInterval       types.String  `tfsdk:"poll_initial_interval"`
	PollMaxInterval           types.String  `tfsdk:"poll_max_interval"`
	MaxRequestsPerSecond      types.Float64 `tfsdk:"max_requests_per_second"`
	CallTimeout               types.String  `tfsdk:"call_timeout"`
	RefreshFinalTransfers     types.Bool    `tfsdk:"refresh_final_transfers"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client   *partnercenter.Client
	tenantID string
	poller   wait.Poller
	// transfers runs the transfer lifecycle; its claims belong to this
	// provider instance.
	transfers *transfers.Service
	// subscriptions lists each customer's subscriptions once per process,
	// for the checks of a submit plan.
	subscriptions subscriptionLists
	// callTimeout bounds each data source read and webhook operation.
	callTimeout time.Duration
	// refreshFinal makes a refresh read transfers in a final state.
	refreshFinal bool
	// profile is the signed-in partner's organization profile, read by
	// Configure's connection check; nil when Partner Center keeps it from
	// app-only tokens.
	profile *partnercenter.OrganizationProfile
	// auth is the resolved authentication configuration (secrets included:
	// never rendered).
	auth auth.Config
}

// lifecycle is the provider instance's transfer lifecycle.
func (d *providerData) lifecycle() *transfers.Service { return d.transfers }

func (p *partnerCenterProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "partnercenter"
	resp.Version = p.version
}

func (p *partnerCenterProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	envs := func(names ...string) string {
		return " Environment variable: `" + strings.Join(names, "` or `") + "`."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Microsoft Partner Center partner-to-partner transfers of customer subscriptions. " +
			"Configure one provider per partner: the target (gaining) partner creates transfer requests, the source (losing) partner submits them. " +
			"Authentication uses Microsoft Entra ID; exactly one credential method is chosen from the arguments below.",
		Attributes: map[string]schema.Attribute{
			"tenant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The partner's Microsoft Entra tenant ID (GUID)." + envs("PARTNERCENTER_TENANT_ID", "ARM_TENANT_ID"),
				Validators:          []validator.String{guidValidator()},
			},
			"client_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Application (client) ID of the Entra app registration used to call Partner Center." + envs("PARTNERCENTER_CLIENT_ID", "ARM_CLIENT_ID"),
				Validators:          []validator.String{guidValidator()},
			},
			"client_id_file_path": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path to a file holding the client ID, instead of `client_id`; HCP Terraform dynamic credentials write one " +
					"(`var.tfc_azure_dynamic_credentials.aliases[\"<TAG>\"].client_id_file_path`). A `client_id` set as well must match it." +
					envs("PARTNERCENTER_CLIENT_ID_FILE_PATH", "ARM_CLIENT_ID_FILE_PATH"),
			},
			"client_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Client secret of the app registration (client-credentials flow)." + envs("PARTNERCENTER_CLIENT_SECRET", "ARM_CLIENT_SECRET"),
			},
			"client_certificate_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path to a PEM or PKCS#12 (.pfx) file holding the app's certificate and private key." + envs("PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PATH"),
			},
			"client_certificate_password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of the PKCS#12 file in `client_certificate_path`, if it has one." + envs("PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD", "ARM_CLIENT_CERTIFICATE_PASSWORD"),
			},
			"use_oidc": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Authenticate with workload identity federation (OpenID Connect): GitHub Actions, Azure DevOps, GitLab CI `id_tokens`, " +
					"HCP Terraform / Terraform Enterprise dynamic credentials. Needs `oidc_token`, `oidc_token_file_path`, or `oidc_request_url` with `oidc_request_token`." +
					envs("PARTNERCENTER_USE_OIDC", "ARM_USE_OIDC"),
			},
			"oidc_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "An OIDC ID token to exchange for a Partner Center token." + envs("PARTNERCENTER_OIDC_TOKEN", "ARM_OIDC_TOKEN"),
			},
			"oidc_token_file_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path to a file holding an OIDC ID token; re-read on every token request so rotated tokens are picked up." + envs("PARTNERCENTER_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_TOKEN_FILE_PATH"),
			},
			"oidc_request_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "ID-token request URL: GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_URL`, or Azure DevOps' `System.OidcRequestUri` " +
					"together with `ado_pipeline_service_connection_id`." +
					envs("PARTNERCENTER_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "SYSTEM_OIDCREQUESTURI"),
			},
			"oidc_request_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "Bearer token for `oidc_request_url`: GitHub's `ACTIONS_ID_TOKEN_REQUEST_TOKEN` or Azure DevOps' `System.AccessToken`." +
					envs("PARTNERCENTER_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN"),
			},
			"ado_pipeline_service_connection_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "ID of the Azure DevOps service connection (workload identity federation) whose token to request from " +
					"`oidc_request_url`; without it that URL is treated as GitHub Actions'. Same name as in azurerm 4.x." +
					envs("PARTNERCENTER_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"),
			},
			"use_cli": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Use the signed-in Azure CLI account (app+user)." + envs("PARTNERCENTER_USE_CLI", "ARM_USE_CLI"),
			},
			"use_msi": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Use a managed identity of the machine running Terraform; `client_id` selects a user-assigned identity." + envs("PARTNERCENTER_USE_MSI", "ARM_USE_MSI"),
			},
			"access_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "A Partner Center access token obtained elsewhere. It is not refreshed, so long waits may outlive it; prefer a credential method." + envs("PARTNERCENTER_ACCESS_TOKEN"),
			},
			"environment": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Cloud: `public` (default, also used for US Government) or `china` (21Vianet)." + envs("PARTNERCENTER_ENVIRONMENT", "ARM_ENVIRONMENT"),
				Validators:          []validator.String{stringvalidator.OneOf("public", "china")},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Partner Center API base URL override, e.g. the local emulator's. `http://` is accepted only for loopback hosts." +
					envs("PARTNERCENTER_ENDPOINT"),
			},
			"authority_host": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Microsoft Entra authority override, e.g. the local emulator's `https://127.0.0.1:PORT/`." + envs("PARTNERCENTER_AUTHORITY_HOST"),
			},
			"poll_initial_interval": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "First interval between status polls while waiting for a transfer (Go duration, default `10s`). " +
					"Intervals then grow with the time already waited (15% of it) up to `poll_max_interval`." + envs("PARTNERCENTER_POLL_INITIAL_INTERVAL"),
				Validators: []validator.String{durationValidator(100*time.Millisecond, time.Hour)},
			},
			"poll_max_interval": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Longest interval between status polls (Go duration, default `10m`): the latest a completion is noticed. " +
					"Raise it to spend fewer requests of a throttled budget on long transfers." + envs("PARTNERCENTER_POLL_MAX_INTERVAL"),
				Validators: []validator.String{durationValidator(100*time.Millisecond, 6*time.Hour)},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Upper bound on this provider's Partner Center requests per second, retries included, shared by all of Terraform's workers. " +
					"Not needed to stay within Partner Center's limits: without it the provider learns the partner's budget from the first `429` answer, " +
					"pauses every worker for its `Retry-After`, then paces itself just under the budget. Set it to leave room for other tools using the same partner." +
					envs("PARTNERCENTER_MAX_REQUESTS_PER_SECOND"),
				Validators: []validator.Float64{float64validator.AtLeast(0.01)},
			},
			"call_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long one data source read or webhook registration operation may take, retries and throttling " +
					"waits included (Go duration, 1s to 24h, default `5m`). A scan of thousands of customers under a tight request budget " +
					"may need more. The `partnercenter_transfer` resource has its own `timeouts`." + envs(envCallTimeout),
				Validators: []validator.String{durationValidator(time.Second, 24*time.Hour)},
			},
			"refresh_final_transfers": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether a refresh reads transfers in a final state (`Complete`, `Expired`, `Canceled`) again " +
					"(default `false`: Partner Center never changes them, so a plan over a finished migration sends no request). " +
					"Set `true` once to check state against the service." + envs(envRefreshFinal),
			},
		},
	}
}

func (p *partnerCenterProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := unknownAttributes(req.Config); len(unknown) > 0 {
		for _, name := range unknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Provider argument not known until apply",
				fmt.Sprintf("The provider needs %q to authenticate during plan, but its value depends on a resource that is not created yet. "+
					"Set it from a variable, data source or environment variable instead.", name))
		}
		return
	}

	cfg := auth.Config{
		TenantID:                  m.TenantID.ValueString(),
		ClientID:                  m.ClientID.ValueString(),
		ClientIDFilePath:          m.ClientIDFilePath.ValueString(),
		ClientSecret:              m.ClientSecret.ValueString(),
		ClientCertificatePath:     m.ClientCertificatePath.ValueString(),
		ClientCertificatePassword: m.ClientCertificatePassword.ValueString(),
		UseOIDC:                   m.UseOIDC.ValueBool(),
		OIDCToken:                 m.OIDCToken.ValueString(),
		OIDCTokenFilePath:         m.OIDCTokenFilePath.ValueString(),
		OIDCRequestURL:            m.OIDCRequestURL.ValueString(),
		OIDCRequestToken:          m.OIDCRequestToken.ValueString(),
		UseCLI:                    m.UseCLI.ValueBool(),
		UseMSI:                    m.UseMSI.ValueBool(),
		AccessToken:               m.AccessToken.ValueString(),
		Environment:               m.Environment.ValueString(),
		Endpoint:                  m.Endpoint.ValueString(),
		AuthorityHost:             m.AuthorityHost.ValueString(),

		ADOPipelineServiceConnectionID: m.ADOServiceConnectionID.ValueString(),
	}
	fromEnv := auth.ApplyEnv(&cfg, os.Getenv)
	for _, problem := range cfg.Validate() {
		resp.Diagnostics.AddError(problem.Summary, problem.Detail)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	poller, diags := pollerFromConfig(m, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	maxRate, diags := maxRequestRate(m, os.Getenv)
	resp.Diagnostics.Append(diags...)
	callTimeout, diags := callTimeoutFrom(m, os.Getenv)
	resp.Diagnostics.Append(diags...)
	refreshFinal, diags := refreshFinalFrom(m, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	tokens, err := auth.NewTokenProvider(ctx, cfg, nil)
	if err != nil {
		resp.Diagnostics.AddError("Cannot set up Partner Center authentication",
			fmt.Sprintf("Authentication method %q could not be initialised: %s", cfg.Method(), err))
		return
	}
	client, err := partnercenter.New(partnercenter.Options{
		Endpoint:             cfg.ResolvedEndpoint(),
		Token:                tokens,
		UserAgent:            userAgent(p.version, req.TerraformVersion),
		MaxRequestsPerSecond: maxRate,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Partner Center endpoint", err.Error())
		return
	}
	check, diags := checkConnection(ctx, tokens, client, cfg, fromEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Info(ctx, "Partner Center provider configured", map[string]any{
		"auth_method": cfg.Method(), "endpoint": cfg.ResolvedEndpoint(), "settings_from_env": sortedKeys(fromEnv),
	})

	data := &providerData{client: client, tenantID: cfg.PartnerTenantID(), poller: poller, callTimeout: callTimeout, refreshFinal: refreshFinal,
		profile: check.profile, auth: cfg}
	if data.tenantID == "" && check.profile != nil {
		// Only the profile says whose token an access_token without a tid
		// claim (or a managed identity) is.
		data.tenantID = check.profile.TenantID
	}
	// The instance's transfer lifecycle: what it learns of the transfers
	// Terraform state holds lives in its memory, for the life of the
	// provider process.
	data.transfers = transfers.New(client, data.tenantID, poller)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	p.mu.Lock()
	p.data = data
	p.mu.Unlock()
}

func (p *partnerCenterProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewTransferResource,
		NewTransferAcceptanceResource,
		NewWebhookRegistrationResource,
	}
}

// ListResources serves `list` blocks of `terraform query` (Terraform 1.14+).
func (p *partnerCenterProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewTransferListResource,
	}
}

func (p *partnerCenterProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewTransfersDataSource,
		NewTransferDataSource,
		NewWebhookEventsDataSource,
		NewAuditRecordsDataSource,
		NewCustomersDataSource,
		NewCustomerSubscriptionsDataSource,
		NewClientConfigDataSource,
	}
}

// userAgent follows the registry providers' convention: the provider first,
// then the Terraform CLI, then the platform.
func userAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-partnercenter/%s terraform/%s (%s; %s)",
		providerVersion, terraformVersion, runtime.GOOS, runtime.GOARCH)
}

// maxRequestRate reads max_requests_per_second or its environment
// variable; 0 means no cap.
func maxRequestRate(m providerModel, getenv func(string) string) (float64, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !m.MaxRequestsPerSecond.IsNull() {
		return m.MaxRequestsPerSecond.ValueFloat64(), diags
	}
	v := strings.TrimSpace(getenv("PARTNERCENTER_MAX_REQUESTS_PER_SECOND"))
	if v == "" {
		return 0, diags
	}
	rate, err := strconv.ParseFloat(v, 64)
	if err != nil || rate < 0.01 || math.IsInf(rate, 0) {
		diags.AddAttributeError(path.Root("max_requests_per_second"), "Invalid PARTNERCENTER_MAX_REQUESTS_PER_SECOND",
			fmt.Sprintf("%q is not a number of requests per second of at least 0.01, such as \"5\" or \"0.5\". Unset it for no cap.", v))
		return 0, diags
	}
	return rate, diags
}

// pollerFromConfig builds the wait schedule from the provider arguments or
// their environment variables.
func pollerFromConfig(m providerModel, getenv func(string) string) (wait.Poller, diag.Diagnostics) {
	schedule := wait.DefaultSchedule
	var diags diag.Diagnostics
	pick := func(attr types.String, env string) string {
		if v := attr.ValueString(); v != "" {
			return v
		}
		return getenv(env)
	}
	if v := pick(m.PollInitialInterval, "PARTNERCENTER_POLL_INITIAL_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("poll_initial_interval"), "Invalid poll_initial_interval",
				fmt.Sprintf("%q is not a positive Go duration such as \"10s\" or \"1m\".", v))
		} else {
			schedule.Initial = d
		}
	}
	if v := pick(m.PollMaxInterval, "PARTNERCENTER_POLL_MAX_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("poll_max_interval"), "Invalid poll_max_interval",
				fmt.Sprintf("%q is not a positive Go duration such as \"5m\" or \"1h\".", v))
		} else {
			schedule.Max = d
		}
	}
	if schedule.Max < schedule.Initial {
		diags.AddAttributeError(path.Root("poll_max_interval"), "poll_max_interval is shorter than poll_initial_interval",
			fmt.Sprintf("poll_max_interval (%s) must be at least poll_initial_interval (%s).", schedule.Max, schedule.Initial))
	}
	if schedule.Early < schedule.Initial {
		schedule.Early = schedule.Initial
	}
	if schedule.Early > schedule.Max {
		schedule.Early = schedule.Max
	}
	return wait.Poller{Schedule: schedule, Clock: wait.RealClock{}}, diags
}

// unknownAttributes names the provider arguments whose value is not known
// yet, read from the configuration itself so no list can miss one.
func unknownAttributes(config tfsdk.Config) []string {
	var values map[string]tftypes.Value
	if err := config.Raw.As(&values); err != nil {
		return nil
	}
	var names []string
	for name, v := range values {
		if !v.IsKnown() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// providerDataFrom is what every resource and data source does in
// Configure: take the provider's data, or nil before the provider is
// configured (validation runs before Configure).
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue.", raw))
		return nil
	}
	return data
}
