// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

// secretKinds are the kinds of secret RELIABILITY.md says never leak, and
// secretArtifacts where the test looks for them.
var (
	secretKinds = []string{
		"client secret",
		"PKCS#12 certificate password",
		"certificate private key",
		"OIDC (federated) token",
		"access token (one issued to the same app, and any JWT-shaped string)",
	}
	secretArtifacts = []string{
		"the TF_LOG=TRACE log of Terraform and every provider process (HTTP bodies included)",
		"the state files (current and backup) and `terraform show -json`",
		"the output and diagnostics of every command, failed authentications included",
	}
)

// jwtShape matches any compact JWS/JWT, such as an access token.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.`)

// A full job (create, adopt and submit, wait, destroy) with TRACE logging,
// run by a target partner with a client secret, a source partner with a
// password-protected PKCS#12 certificate and a second target app with an
// OIDC token, leaves no secret in the logs, the state or any diagnostic.
func TestAccReliabilitySecrets(t *testing.T) {
	cert := newPKCS12Credential(t)
	oidcToken := federatedToken(t)
	certApp := fakeentra.App{ClientID: uuid.NewString(), CertificatePEM: string(cert.certPEM)}
	oidcApp := fakeentra.App{ClientID: uuid.NewString(), FederatedTokens: []string{oidcToken}}
	f := newFleet(t, 2, func(o *emulator.Options) {
		o.Seed.Partners[0].Apps = append(o.Seed.Partners[0].Apps, oidcApp)
		o.Seed.Partners[1].Apps = append(o.Seed.Partners[1].Apps, certApp)
	})
	issued := issueToken(t, f.accWorld, f.target)

	logFile := filepath.Join(t.TempDir(), "terraform.log")
	providers := f.providerBlock("target", f.target) +
		f.credentialBlock("source", f.source.TenantID, certApp.ClientID, fmt.Sprintf(`
  client_certificate_path     = %q
  client_certificate_password = %q`, cert.path, cert.password)) +
		f.credentialBlock("target_oidc", f.target.TenantID, oidcApp.ClientID, fmt.Sprintf(`
  use_oidc   = true
  oidc_token = %q`, oidcToken))
	spare := fmt.Sprintf(`
resource "partnercenter_transfer" "spare" {
  provider                 = partnercenter.target_oidc
  customer_id              = local.customer_id
  source_partner_tenant_id = %q
  source_partner_name      = %q
  customer_email           = "it@northwind.example"
}
`, f.source.TenantID, f.source.Name)
	created := providers + f.requests(1, "") + spare
	cli := newTFCLI(t, created, "TF_LOG=TRACE", "TF_LOG_PATH="+logFile, "TF_LOG_PROVIDER_PARTNERCENTER_HTTP=TRACE")
	cli.init()
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	cli.setConfig(created + f.adoptions(1, ""))
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	state := cli.mustRun("show", "-json", "-no-color")
	stateFile, err := os.ReadFile(filepath.Join(cli.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	cli.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")

	// The job really ran, through every credential.
	if got := statusCounts(f.transfers()); got[partnercenter.StatusComplete] != 1 || got[partnercenter.StatusCanceled] != 1 {
		t.Fatalf("server statuses %v, want one Complete and one Canceled\n%s", got, cli.outputs())
	}

	// Failed authentications must not echo what they were given.
	wrongSecret := "wrong-secret-" + uuid.NewString()
	wrongPassword := "wrong-password-" + uuid.NewString()
	failing := []struct{ name, block, want string }{
		{"wrong client secret", f.credentialBlock("target", f.target.TenantID, f.target.ClientID,
			fmt.Sprintf("\n  client_secret = %q", wrongSecret)), "AADSTS7000215"},
		{"wrong certificate password", f.credentialBlock("target", f.source.TenantID, certApp.ClientID, fmt.Sprintf(`
  client_certificate_path     = %q
  client_certificate_password = %q`, cert.path, wrongPassword)), "PKCS#12 password is incorrect"},
	}
	for _, fc := range failing {
		cli.setConfig(fc.block + f.requests(1, ""))
		out, err := cli.apply()
		if err == nil || !strings.Contains(out, fc.want) {
			t.Errorf("%s: want an error saying %q, got %v:\n%s", fc.name, fc.want, err, out)
		}
	}

	logs, err := os.ReadFile(logFile) // #nosec G304 -- the test's own temporary file.
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Partner Center response body", f.customerID} {
		if !strings.Contains(string(logs), want) {
			t.Fatalf("the TRACE log has no %q: it does not show what the providers did", want)
		}
	}
	secrets := map[string]string{
		"target client secret":            f.target.ClientSecret,
		"source client secret":            f.source.ClientSecret,
		"certificate password":            cert.password,
		"private key":                     cert.keyBase64,
		"OIDC token":                      oidcToken,
		"issued access token":             issued,
		"wrong client secret":             wrongSecret,
		"wrong certificate password":      wrongPassword,
		"OIDC token signature (fragment)": oidcToken[strings.LastIndex(oidcToken, ".")+1:],
	}
	artifacts := map[string]string{
		"TF_LOG file":                string(logs),
		"state file":                 string(stateFile),
		"terraform show -json":       state,
		"command output/diagnostics": cli.outputs(),
	}
	backups, _ := filepath.Glob(filepath.Join(cli.dir, "terraform.tfstate*"))
	for _, name := range backups {
		b, err := os.ReadFile(name) // #nosec G304 -- the test's own working directory.
		if err != nil {
			t.Fatal(err)
		}
		artifacts[filepath.Base(name)] = string(b)
	}
	for where, text := range artifacts {
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the %s", where, what)
			}
		}
		if m := jwtShape.FindString(text); m != "" {
			t.Errorf("%s contains a JWT-shaped string %.24s...", where, m)
		}
		if strings.Contains(text, "PRIVATE KEY") {
			t.Errorf("%s contains a PEM private key", where)
		}
	}
	t.Logf("scanned %d bytes of TRACE log, %d of state, %d of command output for %d secrets",
		len(logs), len(stateFile), len(cli.outputs()), len(secrets))
}

// credentialBlock is a provider block for tenant with the given credential
// arguments.
func (w *accWorld) credentialBlock(alias, tenantID, clientID, credential string) string {
	return fmt.Sprintf(`
provider "partnercenter" {
  alias                 = %q
  tenant_id             = %q
  client_id             = %q
  endpoint              = %q
  authority_host        = %q
  poll_initial_interval = "200ms"
  poll_max_interval     = "1s"
%s
}
`, alias, tenantID, clientID, w.server.URL, w.server.URL+"/", credential)
}

// pkcs12Credential is a password-protected PKCS#12 file of a fresh
// certificate and key.
type pkcs12Credential struct {
	path, password string
	certPEM        []byte
	// keyBase64 is the body of the key's PEM, the text a leak would show.
	keyBase64 string
}

func newPKCS12Credential(t *testing.T) pkcs12Credential {
	t.Helper()
	certPEM, keyPEM, err := fakeentra.GenerateCertificate("reliability-secrets", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	certBlock, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	keyBlock, _ := pem.Decode(keyPEM)
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	password := "pfx-" + uuid.NewString()
	pfx, err := pkcs12.Modern2023.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "client.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(keyPEM)), "\n")
	return pkcs12Credential{path: path, password: password, certPEM: certPEM, keyBase64: lines[len(lines)/2]}
}

// federatedToken is a JWT like the ones GitHub Actions issues.
func federatedToken(t *testing.T) string {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": "https://token.actions.githubusercontent.com",
		"sub": "repo:contoso/infrastructure:ref:refs/heads/main",
		"aud": auth.FederatedTokenAudience,
		"exp": time.Now().Add(time.Hour).Unix(),
		"jti": uuid.NewString(),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// issueToken asks the emulator's Entra ID for an access token with the
// partner's credentials, as the provider does.
func issueToken(t *testing.T, w *accWorld, p testPartner) string {
	t.Helper()
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {p.ClientID},
		"client_secret": {p.ClientSecret},
		"scope":         {auth.Scope},
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, w.server.URL+"/"+p.TenantID+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || !jwtShape.MatchString(body.AccessToken) {
		t.Fatalf("token request: status %d, decode error %v", resp.StatusCode, err)
	}
	return body.AccessToken
}
