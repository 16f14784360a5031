// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// connectionCheckTimeout bounds Configure's check. An endpoint that cannot
// be connected to fails at once (the client does not retry it); this is for
// one that accepts connections and never answers.
const connectionCheckTimeout = 20 * time.Second

// connectionCheck is what Configure learns from its one check.
type connectionCheck struct {
	// profile is the signed-in partner's organization profile; nil when
	// Partner Center refused it to an app-only token (900329) or the check
	// could not conclude.
	profile *partnercenter.OrganizationProfile
}

// settingSource names where a setting came from: "client_secret (from
// PARTNERCENTER_CLIENT_SECRET)" or "client_secret (set in the provider
// block)". Never its value.
func settingSource(attr string, fromEnv map[string]string) string {
	if env := fromEnv[attr]; env != "" {
		return fmt.Sprintf("%s (from %s)", attr, env)
	}
	return attr + " (set in the provider block)"
}

// endpointSource is settingSource for endpoint, which has a default.
func endpointSource(cfg auth.Config, fromEnv map[string]string) string {
	if strings.TrimSpace(cfg.Endpoint) == "" {
		return "endpoint (default for environment " + valueOr(cfg.Environment, auth.EnvironmentPublic) + ")"
	}
	return settingSource(auth.AttrEndpoint, fromEnv)
}

func valueOr(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

// checkConnection proves, once per provider configuration, that the
// credentials get a token and that the endpoint is Partner Center's and
// accepts it, with the cheapest read there is: GET /v1/profiles/organization
// (one small entity; the token is needed by any later request anyway and
// is cached). Each failure is reported on the attribute to fix, naming where
// its value came from.
func checkConnection(ctx context.Context, tokens auth.TokenProvider, client *partnercenter.Client, cfg auth.Config, fromEnv map[string]string) (connectionCheck, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel := context.WithTimeout(ctx, connectionCheckTimeout)
	defer cancel()

	if _, err := tokens.Token(ctx); err != nil {
		addTokenFailure(&diags, cfg, fromEnv, err)
		return connectionCheck{}, diags
	}

	endpoint := cfg.ResolvedEndpoint()
	profile, err := client.GetOrganizationProfile(ctx)
	if err == nil {
		return connectionCheck{profile: profile}, diags
	}
	var terr *partnercenter.TransportError
	apiErr, answered := partnercenter.AsAPIError(err)
	switch {
	case answered && apiErr.StatusCode == http.StatusForbidden && apiErr.Code == partnercenter.CodeAppOnlyNotSupported:
		// Authenticated: Partner Center only keeps the profile from app-only tokens.
		return connectionCheck{}, diags
	case answered && apiErr.StatusCode == http.StatusNotFound:
		diags.AddAttributeError(path.Root(auth.AttrEndpoint), "The endpoint is not Partner Center's API",
			fmt.Sprintf("%s is %s, and GET %s answered 404 Not Found: nothing at that address serves Partner Center's API. "+
				"The endpoint must be the API root, such as https://api.partnercenter.microsoft.com or the emulator's https://127.0.0.1:PORT, "+
				"without a path: the provider adds /v1/... itself (an endpoint ending in /v1 makes every path /v1/v1/...). (MS-RequestId %s)",
				endpointSource(cfg, fromEnv), endpoint, apiErr.Path, apiErr.RequestID))
	case answered && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		what := "rejected the access token (401)"
		check := "that the app is registered for Partner Center API access in that partner's Partner Center account (Account settings > App management), " +
			"and that tenant_id is the partner's tenant"
		if apiErr.StatusCode == http.StatusForbidden {
			what = "accepted the access token but refused the request (403" + codeSuffix(apiErr.Code) + ")"
			check = "that the app or user has the Admin agent role in Partner Center and that the tenant is a CSP partner enabled for transfers"
		}
		diags.AddError("Partner Center refused the credentials", // no attribute path: it would print the secret's line
			fmt.Sprintf("Partner Center at %s %s for tenant %s, app %s, credential %s. Check %s. (MS-RequestId %s)",
				endpoint, what, settingSource(auth.AttrTenantID, fromEnv), settingSource(auth.AttrClientID, fromEnv),
				settingSource(cfg.CredentialAttribute(), fromEnv), check, apiErr.RequestID))
	case !answered && errors.As(err, &terr) && (partnercenter.IsConnectFailure(err) || ctx.Err() != nil):
		diags.AddAttributeError(path.Root(auth.AttrEndpoint), "Cannot reach the Partner Center endpoint",
			fmt.Sprintf("%s is %s, which %s. Check the address and port (the emulator prints its PARTNERCENTER_ENDPOINT when it starts), "+
				"that the server runs, and for TLS errors that its certificate is trusted (SSL_CERT_FILE for the emulator's CA).",
				endpointSource(cfg, fromEnv), endpoint, connectFailure(err, ctx.Err())))
	default:
		// Throttled or failing (429, 5xx) until the check's deadline: the
		// endpoint answers, so the operations themselves retry later.
		tflog.Warn(ctx, "Partner Center connection check was inconclusive", map[string]any{"error": err.Error()})
	}
	return connectionCheck{}, diags
}

// addTokenFailure reports a token that Entra ID (or the OIDC source) did not
// issue, summarised: the AADSTS code and its meaning, on the attribute to fix.
func addTokenFailure(diags *diag.Diagnostics, cfg auth.Config, fromEnv map[string]string, err error) {
	f := cfg.DescribeTokenFailure(err)
	text := err.Error()
	unreachable := partnercenter.IsConnectFailure(err) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(text, "connection refused") || strings.Contains(text, "no such host")
	if f.Code == "" && unreachable {
		diags.AddAttributeError(path.Root(auth.AttrAuthorityHost), "Cannot reach Microsoft Entra ID",
			fmt.Sprintf("No token could be requested from %s (%s): %s. Check authority_host and environment, and the network path to it.",
				cfg.ResolvedAuthorityHost(), settingSource(auth.AttrAuthorityHost, fromEnv), f.Meaning))
		return
	}
	reason := f.Meaning
	if f.Code != "" {
		reason = "AADSTS" + f.Code + ": " + f.Meaning
	}
	// No attribute path: Terraform would print the configuration line,
	// which for client_secret is the secret itself. The text names it.
	diags.AddError("Microsoft Entra ID refused the credentials",
		fmt.Sprintf("No Partner Center token for %s: %s. Check %s; the tenant is %s from %s, the app %s from %s.",
			cfg.Method(), reason, settingSource(f.Attribute, fromEnv),
			valueOr(cfg.PartnerTenantID(), "(none)"), settingSource(auth.AttrTenantID, fromEnv),
			valueOr(cfg.AppClientID(), "(none)"), settingSource(auth.AttrClientID, fromEnv)))
}

func codeSuffix(code string) string {
	if code == "" {
		return ""
	}
	return ", code " + code
}

// connectFailure says in a few words why no connection was made.
func connectFailure(err, ctxErr error) string {
	text := err.Error()
	switch {
	case strings.Contains(text, "no such host"):
		return "does not resolve (unknown host)"
	case strings.Contains(text, "connection refused"):
		return "refused the connection (nothing listens on that port)"
	case strings.Contains(text, "server gave HTTP response to HTTPS client"):
		return "speaks plain HTTP, not HTTPS (use http:// for a loopback emulator started with -tls=false)"
	case strings.Contains(text, "certificate"), strings.Contains(text, "tls:"):
		return "failed the TLS handshake (" + text + ")"
	case ctxErr != nil:
		return fmt.Sprintf("did not answer within %s", connectionCheckTimeout)
	}
	return "could not be connected to (" + text + ")"
}
