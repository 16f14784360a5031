// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"strings"
)

// Provider attribute names, used as keys in ApplyEnv's result and in Problems.
const (
	AttrTenantID                  = "tenant_id"
	AttrClientID                  = "client_id"
	AttrClientIDFilePath          = "client_id_file_path"
	AttrClientSecret              = "client_secret"
	AttrClientCertificatePath     = "client_certificate_path"
	AttrClientCertificatePassword = "client_certificate_password"
	AttrUseOIDC                   = "use_oidc"
	AttrOIDCToken                 = "oidc_token"
	AttrOIDCTokenFilePath         = "oidc_token_file_path" //nolint:gosec // G101: an attribute name, not a credential.
	AttrOIDCRequestURL            = "oidc_request_url"
	AttrOIDCRequestToken          = "oidc_request_token" //nolint:gosec // G101: an attribute name, not a credential.
	AttrADOServiceConnectionID    = "ado_pipeline_service_connection_id"
	AttrUseCLI                    = "use_cli"
	AttrUseMSI                    = "use_msi"
	AttrAccessToken               = "access_token"
	AttrEnvironment               = "environment"
	AttrAuthorityHost             = "authority_host"
	AttrEndpoint                  = "endpoint"
)

// envBinding maps one attribute to its environment variables, in precedence order.
type envBinding struct {
	attribute string
	vars      []string
	// selectsMethod marks attributes that choose a credential method; these are
	// not taken from the environment when the configuration already chose one.
	selectsMethod bool
	str           func(*Config) *string
	boolean       func(*Config) *bool
}

// The ARM_* names, their fallbacks and their order are azurerm 4.x's
// (internal/provider/framework/config.go: ARM_OIDC_REQUEST_URL,
// ACTIONS_ID_TOKEN_REQUEST_URL, SYSTEM_OIDCREQUESTURI; ARM_OIDC_REQUEST_TOKEN,
// ACTIONS_ID_TOKEN_REQUEST_TOKEN, SYSTEM_ACCESSTOKEN;
// ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID, ARM_OIDC_AZURE_SERVICE_CONNECTION_ID),
// each preceded by this provider's PARTNERCENTER_* name. ARM_CLIENT_ID_FILE_PATH
// is the variable the azurerm-family providers document for client_id_file_path.
var envBindings = []envBinding{
	{attribute: AttrTenantID, vars: []string{"PARTNERCENTER_TENANT_ID", "ARM_TENANT_ID"}, str: func(c *Config) *string { return &c.TenantID }},
	{attribute: AttrClientID, vars: []string{"PARTNERCENTER_CLIENT_ID", "ARM_CLIENT_ID"}, str: func(c *Config) *string { return &c.ClientID }},
	{attribute: AttrClientIDFilePath, vars: []string{"PARTNERCENTER_CLIENT_ID_FILE_PATH", "ARM_CLIENT_ID_FILE_PATH"}, str: func(c *Config) *string { return &c.ClientIDFilePath }},
	{attribute: AttrClientSecret, vars: []string{"PARTNERCENTER_CLIENT_SECRET", "ARM_CLIENT_SECRET"}, selectsMethod: true, str: func(c *Config) *string { return &c.ClientSecret }},
	{attribute: AttrClientCertificatePath, vars: []string{"PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PATH"}, selectsMethod: true, str: func(c *Config) *string { return &c.ClientCertificatePath }},
	{attribute: AttrClientCertificatePassword, vars: []string{"PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD", "ARM_CLIENT_CERTIFICATE_PASSWORD"}, str: func(c *Config) *string { return &c.ClientCertificatePassword }},
	{attribute: AttrUseOIDC, vars: []string{"PARTNERCENTER_USE_OIDC", "ARM_USE_OIDC"}, selectsMethod: true, boolean: func(c *Config) *bool { return &c.UseOIDC }},
	{attribute: AttrOIDCToken, vars: []string{"PARTNERCENTER_OIDC_TOKEN", "ARM_OIDC_TOKEN"}, str: func(c *Config) *string { return &c.OIDCToken }},
	{attribute: AttrOIDCTokenFilePath, vars: []string{"PARTNERCENTER_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_TOKEN_FILE_PATH"}, str: func(c *Config) *string { return &c.OIDCTokenFilePath }},
	{attribute: AttrOIDCRequestURL, vars: []string{"PARTNERCENTER_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "SYSTEM_OIDCREQUESTURI"}, str: func(c *Config) *string { return &c.OIDCRequestURL }},
	{attribute: AttrOIDCRequestToken, vars: []string{"PARTNERCENTER_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN"}, str: func(c *Config) *string { return &c.OIDCRequestToken }},
	{attribute: AttrADOServiceConnectionID, vars: []string{"PARTNERCENTER_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"}, str: func(c *Config) *string { return &c.ADOPipelineServiceConnectionID }},
	{attribute: AttrUseCLI, vars: []string{"PARTNERCENTER_USE_CLI", "ARM_USE_CLI"}, selectsMethod: true, boolean: func(c *Config) *bool { return &c.UseCLI }},
	{attribute: AttrUseMSI, vars: []string{"PARTNERCENTER_USE_MSI", "ARM_USE_MSI"}, selectsMethod: true, boolean: func(c *Config) *bool { return &c.UseMSI }},
	{attribute: AttrAccessToken, vars: []string{"PARTNERCENTER_ACCESS_TOKEN"}, selectsMethod: true, str: func(c *Config) *string { return &c.AccessToken }},
	{attribute: AttrEnvironment, vars: []string{"PARTNERCENTER_ENVIRONMENT", "ARM_ENVIRONMENT"}, str: func(c *Config) *string { return &c.Environment }},
	{attribute: AttrAuthorityHost, vars: []string{"PARTNERCENTER_AUTHORITY_HOST"}, str: func(c *Config) *string { return &c.AuthorityHost }},
	{attribute: AttrEndpoint, vars: []string{"PARTNERCENTER_ENDPOINT"}, str: func(c *Config) *string { return &c.Endpoint }},
}

// EnvVars returns the environment variables that can supply an attribute, in
// precedence order (for schema descriptions and docs).
func EnvVars(attribute string) []string {
	for _, b := range envBindings {
		if b.attribute == attribute {
			return append([]string(nil), b.vars...)
		}
	}
	return nil
}

// ApplyEnv fills empty/false fields of c from the environment: PARTNERCENTER_*
// first, then the azurerm ARM_* name (and GitHub's ACTIONS_ID_TOKEN_REQUEST_*).
// Explicit configuration wins: a set field is never overwritten, and when c
// already selects a credential method, environment variables that would select
// another one (ARM_CLIENT_SECRET, ARM_USE_CLI, ...) are ignored so a stray
// variable cannot create a conflict. It returns, per attribute, the name of the
// variable that supplied it; never the value.
func ApplyEnv(c *Config, getenv func(string) string) map[string]string {
	sources := map[string]string{}
	explicitMethod := len(c.methods()) > 0
	defer preferExplicitFiles(c, *c, sources)
	for _, b := range envBindings {
		if b.selectsMethod && explicitMethod {
			continue
		}
		if b.boolean != nil {
			field := b.boolean(c)
			if *field {
				continue
			}
			for _, name := range b.vars {
				if v := strings.TrimSpace(getenv(name)); v != "" {
					*field = parseEnvBool(v)
					if *field {
						sources[b.attribute] = name
					}
					break
				}
			}
			continue
		}
		field := b.str(c)
		if *field != "" {
			continue
		}
		for _, name := range b.vars {
			if v := strings.TrimSpace(getenv(name)); v != "" {
				*field = v
				sources[b.attribute] = name
				break
			}
		}
	}
	return sources
}

// preferExplicitFiles lets a file path written in the configuration beat the
// environment's direct value, and the other way round: HCP Terraform sets
// ARM_CLIENT_ID and ARM_OIDC_TOKEN for the default provider configuration,
// while an aliased configuration names its own files
// (var.tfc_azure_dynamic_credentials.aliases[...]). explicit is the
// configuration before ApplyEnv.
func preferExplicitFiles(c *Config, explicit Config, sources map[string]string) {
	pairs := []struct {
		value, file string
		valueField  *string
		fileField   *string
		explicitVal string
		explicitFil string
	}{
		{AttrClientID, AttrClientIDFilePath, &c.ClientID, &c.ClientIDFilePath, explicit.ClientID, explicit.ClientIDFilePath},
		{AttrOIDCToken, AttrOIDCTokenFilePath, &c.OIDCToken, &c.OIDCTokenFilePath, explicit.OIDCToken, explicit.OIDCTokenFilePath},
	}
	for _, p := range pairs {
		if p.explicitFil != "" && sources[p.value] != "" {
			*p.valueField = ""
			delete(sources, p.value)
		}
		if p.explicitVal != "" && sources[p.file] != "" {
			*p.fileField = ""
			delete(sources, p.file)
		}
	}
}

// parseEnvBool accepts the spellings people use in CI variables; anything else
// (including "false" and typos) leaves the feature off.
func parseEnvBool(v string) bool {
	switch strings.ToLower(v) {
	case "1", "t", "true", "yes", "y", "on":
		return true
	}
	return false
}

// describeAttribute renders "client_secret (PARTNERCENTER_CLIENT_SECRET or
// ARM_CLIENT_SECRET)" for diagnostics.
func describeAttribute(attribute string) string {
	vars := EnvVars(attribute)
	switch len(vars) {
	case 0:
		return attribute
	case 1:
		return attribute + " (env " + vars[0] + ")"
	default:
		return attribute + " (env " + strings.Join(vars[:len(vars)-1], ", ") + " or " + vars[len(vars)-1] + ")"
	}
}
