// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/loopback"
)

// Problem is one misconfiguration, with the attribute names involved, a short
// summary and a detail that names the environment variables and says how to fix it.
type Problem struct {
	Attributes []string
	Summary    string
	Detail     string
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Validate reports every problem it can find, so users fix them in one pass.
// Messages never contain secret values.
func (c Config) Validate() []Problem {
	var problems []Problem
	add := func(p Problem) { problems = append(problems, p) }

	methods := c.methods()
	switch {
	case len(methods) == 0:
		add(c.noCredentialsProblem())
	case len(methods) > 1:
		add(conflictProblem(methods))
	}

	needsApp := false
	for _, m := range methods {
		if m == MethodClientSecret || m == MethodClientCertificate || m == MethodOIDC {
			needsApp = true
		}
	}
	clientID, clientIDErr := c.resolvedClientID()
	if clientIDErr != nil {
		add(Problem{
			Attributes: []string{AttrClientIDFilePath},
			Summary:    "Unusable " + AttrClientIDFilePath,
			Detail: fmt.Sprintf("%s. Set %s to the file holding the app's client ID (HCP Terraform: "+
				"var.tfc_azure_dynamic_credentials.default.client_id_file_path).", clientIDErr, describeAttribute(AttrClientIDFilePath)),
		})
	}
	for _, attr := range []string{AttrTenantID, AttrClientID} {
		value := c.TenantID
		if attr == AttrClientID {
			if clientIDErr != nil {
				continue
			}
			value = clientID
		}
		switch {
		case value == "" && needsApp:
			add(Problem{
				Attributes: []string{attr},
				Summary:    "Missing " + attr,
				Detail: fmt.Sprintf("Authenticating with %s requires %s. Set %s to the GUID of %s.",
					strings.Join(methods, "/"), attr, describeAttribute(attr), guidMeaning(attr)),
			})
		case value != "" && !guidPattern.MatchString(value):
			add(Problem{
				Attributes: []string{attr},
				Summary:    "Invalid " + attr,
				Detail: fmt.Sprintf("%s must be a GUID such as 00000000-0000-0000-0000-000000000000 (%s); got %s. Check %s.",
					attr, guidMeaning(attr), showNonSecret(value), describeAttribute(attr)),
			})
		}
	}

	if _, ok := c.normalizedEnvironment(); !ok {
		add(Problem{
			Attributes: []string{AttrEnvironment},
			Summary:    "Unknown environment",
			Detail: fmt.Sprintf("%q is not a Partner Center cloud. Set %s to %q (default) or %q; Partner Center is not offered in other Azure clouds.",
				c.Environment, describeAttribute(AttrEnvironment), EnvironmentPublic, EnvironmentChina),
		})
	}
	for _, u := range []struct{ attr, value string }{{AttrEndpoint, c.Endpoint}, {AttrAuthorityHost, c.AuthorityHost}} {
		if p, bad := checkServiceURL(u.attr, u.value); bad {
			add(p)
		}
	}

	if c.ClientCertificatePath != "" {
		if p, bad := c.checkCertificate(); bad {
			add(p)
		}
	}
	if c.UseOIDC {
		problems = append(problems, c.oidcProblems()...)
	}
	return problems
}

var idLikePattern = regexp.MustCompile(`^[0-9a-fA-F{}-]{0,40}$`)

// showNonSecret quotes a malformed id only if it looks like a mistyped GUID;
// anything else might be a secret pasted into the wrong attribute.
func showNonSecret(value string) string {
	if idLikePattern.MatchString(value) {
		return fmt.Sprintf("%q", value)
	}
	return fmt.Sprintf("a %d-character value (not shown in case it is a secret)", len(value))
}

func guidMeaning(attr string) string {
	if attr == AttrTenantID {
		return "your partner tenant (Entra ID > Overview > Tenant ID)"
	}
	return "the app registration (Entra ID > App registrations > Application (client) ID)"
}

func (c Config) noCredentialsProblem() Problem {
	detail := "Configure exactly one way to authenticate to Partner Center:\n" +
		"- client secret: " + describeAttribute(AttrClientSecret) + "\n" +
		"- certificate: " + describeAttribute(AttrClientCertificatePath) + ", optionally " + describeAttribute(AttrClientCertificatePassword) + "\n" +
		"- workload identity (OIDC): " + describeAttribute(AttrUseOIDC) + " = true with a token source\n" +
		"- Azure CLI: " + describeAttribute(AttrUseCLI) + " = true\n" +
		"- managed identity: " + describeAttribute(AttrUseMSI) + " = true\n" +
		"- a pre-acquired token: " + describeAttribute(AttrAccessToken) + "\n" +
		"The first three also need tenant_id and client_id."
	if c.OIDCToken != "" || c.OIDCTokenFilePath != "" {
		detail += "\nAn OIDC token source is set but " + AttrUseOIDC + " is false; set " + describeAttribute(AttrUseOIDC) + " = true to use it."
	}
	return Problem{
		Attributes: []string{AttrClientSecret, AttrClientCertificatePath, AttrUseOIDC, AttrUseCLI, AttrUseMSI, AttrAccessToken},
		Summary:    "No Partner Center credentials configured",
		Detail:     detail,
	}
}

var methodAttributes = map[string]string{
	MethodAccessToken:       AttrAccessToken,
	MethodOIDC:              AttrUseOIDC,
	MethodClientCertificate: AttrClientCertificatePath,
	MethodClientSecret:      AttrClientSecret,
	MethodMSI:               AttrUseMSI,
	MethodCLI:               AttrUseCLI,
}

func conflictProblem(methods []string) Problem {
	attrs := make([]string, 0, len(methods))
	described := make([]string, 0, len(methods))
	for _, m := range methods {
		attrs = append(attrs, methodAttributes[m])
		described = append(described, describeAttribute(methodAttributes[m]))
	}
	return Problem{
		Attributes: attrs,
		Summary:    "Conflicting Partner Center credentials",
		Detail: fmt.Sprintf("Only one credential method may be configured, but these are all set: %s. "+
			"Remove all but one from the provider block and unset the other environment variables.",
			strings.Join(described, "; ")),
	}
}

// checkServiceURL refuses plain HTTP except to loopback, because tokens and
// secrets would cross the network in clear text.
func checkServiceURL(attr, value string) (Problem, bool) {
	if strings.TrimSpace(value) == "" {
		return Problem{}, false
	}
	u, err := url.Parse(strings.TrimSpace(value))
	bad := func(reason string) (Problem, bool) {
		shown := "the value"
		if err == nil {
			withoutUser := *u
			withoutUser.User = nil
			shown = withoutUser.String()
		}
		return Problem{
			Attributes: []string{attr},
			Summary:    "Invalid " + attr,
			Detail:     fmt.Sprintf("%s: %s. Set %s to an https:// URL (http:// is allowed only for localhost/127.0.0.1/::1).", shown, reason, describeAttribute(attr)),
		}, true
	}
	if err != nil {
		return bad("not a valid URL")
	}
	if u.Host == "" {
		return bad("the URL has no host")
	}
	if u.User != nil {
		return bad("credentials in the URL are not allowed")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return Problem{}, false
	case "http":
		if loopback.Host(u.Hostname()) {
			return Problem{}, false
		}
		return bad("plain http is refused for non-loopback hosts because bearer tokens would be sent unencrypted")
	default:
		return bad(fmt.Sprintf("unsupported scheme %q", u.Scheme))
	}
}

func (c Config) checkCertificate() (Problem, bool) {
	data, err := os.ReadFile(filepath.Clean(c.ClientCertificatePath))
	if err != nil {
		return Problem{
			Attributes: []string{AttrClientCertificatePath},
			Summary:    "Client certificate file unreadable",
			Detail: fmt.Sprintf("Cannot read %s: %v. Set %s to a readable PEM or PKCS#12 (.pfx) file containing the certificate and its private key.",
				c.ClientCertificatePath, errorWithoutPath(err), describeAttribute(AttrClientCertificatePath)),
		}, true
	}
	if _, _, err := parseCertificateFile(data, c.ClientCertificatePassword); err != nil {
		return Problem{
			Attributes: []string{AttrClientCertificatePath, AttrClientCertificatePassword},
			Summary:    "Client certificate could not be loaded",
			Detail: fmt.Sprintf("%s is not a usable certificate: %v. Provide a PEM file with an unencrypted private key, or a PKCS#12 (.pfx) file "+
				"and its password in %s.", c.ClientCertificatePath, err, describeAttribute(AttrClientCertificatePassword)),
		}, true
	}
	return Problem{}, false
}

// errorWithoutPath drops the path that os errors repeat, keeping the cause.
func errorWithoutPath(err error) error {
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}

func (c Config) oidcProblems() []Problem {
	var problems []Problem
	hasURL, hasRequestToken := c.OIDCRequestURL != "", c.OIDCRequestToken != ""
	if c.OIDCToken == "" && c.OIDCTokenFilePath == "" && (!hasURL || !hasRequestToken) {
		detail := "use_oidc is true but no OIDC token source is configured. Set one of " +
			describeAttribute(AttrOIDCToken) + "; " + describeAttribute(AttrOIDCTokenFilePath) + "; or both " +
			describeAttribute(AttrOIDCRequestURL) + " and " + describeAttribute(AttrOIDCRequestToken) + "."
		if hasURL != hasRequestToken {
			detail += " Only one of oidc_request_url and oidc_request_token is set; in GitHub Actions, grant the job `permissions: id-token: write` so both ACTIONS_ID_TOKEN_REQUEST_* variables exist."
		}
		problems = append(problems, Problem{
			Attributes: []string{AttrUseOIDC, AttrOIDCToken, AttrOIDCTokenFilePath, AttrOIDCRequestURL, AttrOIDCRequestToken},
			Summary:    "No OIDC token source",
			Detail:     detail,
		})
	}
	if c.OIDCToken == "" && c.OIDCTokenFilePath != "" {
		if _, err := os.Stat(filepath.Clean(c.OIDCTokenFilePath)); err != nil {
			problems = append(problems, Problem{
				Attributes: []string{AttrOIDCTokenFilePath},
				Summary:    "OIDC token file unreadable",
				Detail: fmt.Sprintf("Cannot read %s: %v. Set %s to the file your platform writes the federated token to.",
					c.OIDCTokenFilePath, errorWithoutPath(err), describeAttribute(AttrOIDCTokenFilePath)),
			})
		}
	}
	if c.ADOPipelineServiceConnectionID != "" && c.OIDCToken == "" && c.OIDCTokenFilePath == "" && (!hasURL || !hasRequestToken) {
		problems = append(problems, Problem{
			Attributes: []string{AttrADOServiceConnectionID, AttrOIDCRequestURL, AttrOIDCRequestToken},
			Summary:    "Azure DevOps OIDC request incomplete",
			Detail: "ado_pipeline_service_connection_id is set, so the token is requested from Azure DevOps, which needs " +
				describeAttribute(AttrOIDCRequestURL) + " and " + describeAttribute(AttrOIDCRequestToken) +
				". In the pipeline step, map them: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken) and SYSTEM_OIDCREQUESTURI: $(System.OidcRequestUri).",
		})
	}
	if c.OIDCToken == "" && c.OIDCTokenFilePath == "" && hasURL {
		if p, bad := checkServiceURL(AttrOIDCRequestURL, c.OIDCRequestURL); bad {
			problems = append(problems, p)
		}
	}
	return problems
}
