// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Scope is the Entra ID scope for Partner Center app-only tokens.
const Scope = "https://api.partnercenter.microsoft.com/.default"

// Environment names accepted in Config.Environment.
const (
	EnvironmentPublic = "public"
	EnvironmentChina  = "china"
)

// Credential methods reported by Config.Method.
const (
	MethodClientSecret      = "client_secret"
	MethodClientCertificate = "client_certificate"
	MethodOIDC              = "oidc"
	MethodCLI               = "cli"
	MethodMSI               = "msi"
	MethodAccessToken       = "access_token"
)

// Config is the authentication part of the provider configuration.
type Config struct {
	TenantID, ClientID, ClientSecret                 string
	ClientCertificatePath, ClientCertificatePassword string
	// ClientIDFilePath names a file holding the client ID, as HCP Terraform
	// dynamic credentials write it (azurerm 4.x: client_id_file_path).
	ClientIDFilePath             string
	UseOIDC                      bool
	OIDCToken, OIDCTokenFilePath string
	OIDCRequestURL               string
	OIDCRequestToken             string
	// ADOPipelineServiceConnectionID selects the Azure DevOps OIDC request
	// for OIDCRequestURL (azurerm 4.x: ado_pipeline_service_connection_id).
	ADOPipelineServiceConnectionID string
	UseCLI, UseMSI                 bool
	AccessToken                    string
	// Environment is "public" (default) or "china".
	Environment string
	// AuthorityHost overrides the Entra ID login host, e.g. an emulator's https://127.0.0.1:PORT/.
	AuthorityHost string
	// Endpoint overrides the Partner Center API base URL.
	Endpoint string
}

type cloudEndpoints struct {
	api, authority string
}

var clouds = map[string]cloudEndpoints{
	EnvironmentPublic: {api: "https://api.partnercenter.microsoft.com", authority: "https://login.microsoftonline.com/"},
	EnvironmentChina:  {api: "https://partner.partnercenterapi.microsoftonline.cn", authority: "https://login.chinacloudapi.cn/"},
}

// environmentAliases accepts the names azurerm and the Azure SDKs use for the
// same clouds, so ARM_ENVIRONMENT values carry over.
var environmentAliases = map[string]string{
	"":                 EnvironmentPublic,
	"public":           EnvironmentPublic,
	"azurepubliccloud": EnvironmentPublic,
	"global":           EnvironmentPublic,
	"china":            EnvironmentChina,
	"azurechinacloud":  EnvironmentChina,
}

// normalizedEnvironment returns the canonical environment name, or false if unknown.
func (c Config) normalizedEnvironment() (string, bool) {
	env, ok := environmentAliases[strings.ToLower(strings.TrimSpace(c.Environment))]
	return env, ok
}

func (c Config) cloud() cloudEndpoints {
	env, ok := c.normalizedEnvironment()
	if !ok {
		env = EnvironmentPublic
	}
	return clouds[env]
}

// ResolvedEndpoint is the Partner Center API base URL (no trailing slash, no /v1).
func (c Config) ResolvedEndpoint() string {
	if e := strings.TrimSpace(c.Endpoint); e != "" {
		return strings.TrimRight(e, "/")
	}
	return c.cloud().api
}

// ResolvedAuthorityHost is the Entra ID authority host URL, with a trailing slash
// as azcore's cloud configuration expects.
func (c Config) ResolvedAuthorityHost() string {
	if h := strings.TrimSpace(c.AuthorityHost); h != "" {
		return strings.TrimRight(h, "/") + "/"
	}
	return c.cloud().authority
}

// authorityOverridden reports a custom authority host, for which MSAL must not
// try instance discovery against the public cloud.
func (c Config) authorityOverridden() bool {
	return strings.TrimSpace(c.AuthorityHost) != ""
}

// Method is the credential method that will be used, for logs; it is empty when
// nothing is configured. With conflicting settings (which Validate reports) the
// highest-precedence method is returned.
func (c Config) Method() string {
	if methods := c.methods(); len(methods) > 0 {
		return methods[0]
	}
	return ""
}

// methods lists every configured credential method in precedence order.
func (c Config) methods() []string {
	var m []string
	if c.AccessToken != "" {
		m = append(m, MethodAccessToken)
	}
	if c.UseOIDC {
		m = append(m, MethodOIDC)
	}
	if c.ClientCertificatePath != "" {
		m = append(m, MethodClientCertificate)
	}
	if c.ClientSecret != "" {
		m = append(m, MethodClientSecret)
	}
	if c.UseMSI {
		m = append(m, MethodMSI)
	}
	if c.UseCLI {
		m = append(m, MethodCLI)
	}
	return m
}

// resolvedClientID is client_id, or the contents of client_id_file_path. A
// client_id that differs from the file is an error, as in azurerm.
func (c Config) resolvedClientID() (string, error) {
	if c.ClientIDFilePath == "" {
		return c.ClientID, nil
	}
	data, err := os.ReadFile(filepath.Clean(c.ClientIDFilePath))
	if err != nil {
		return "", fmt.Errorf("cannot read %s %s: %w", AttrClientIDFilePath, c.ClientIDFilePath, errorWithoutPath(err))
	}
	fromFile := strings.TrimSpace(string(data))
	if fromFile == "" {
		return "", fmt.Errorf("%s %s is empty", AttrClientIDFilePath, c.ClientIDFilePath)
	}
	if c.ClientID != "" && !strings.EqualFold(c.ClientID, fromFile) {
		return "", fmt.Errorf("client_id %s differs from the client ID in %s %s; remove one of them or make them match",
			c.ClientID, AttrClientIDFilePath, c.ClientIDFilePath)
	}
	return fromFile, nil
}

// AppClientID is the app's client ID: client_id, or the contents of
// client_id_file_path; "" when neither gives one (CLI, managed identity
// without client_id, access_token).
func (c Config) AppClientID() string {
	id, err := c.resolvedClientID()
	if err != nil {
		return ""
	}
	return id
}
