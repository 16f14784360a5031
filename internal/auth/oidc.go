// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// FederatedTokenAudience is the audience Entra ID requires on federated
// (workload identity) tokens.
const FederatedTokenAudience = "api://AzureADTokenExchange" //nolint:gosec // G101: a public audience URI, not a credential.

const (
	oidcRequestTimeout  = 30 * time.Second
	maxOIDCResponseSize = 1 << 20
)

// oidcSource yields the federated token presented as client assertion. It is
// consulted on every token request because federated tokens are short-lived
// (GitHub's expire after minutes; Kubernetes rotates the projected file).
type oidcSource struct {
	token        string
	filePath     string
	requestURL   string
	requestToken string
	// serviceConnectionID makes the request an Azure DevOps one.
	serviceConnectionID string
	client              *http.Client
}

func (c Config) oidcSource(transport *http.Client) oidcSource {
	client := transport
	if client == nil {
		client = &http.Client{Timeout: oidcRequestTimeout}
	}
	return oidcSource{
		token:        c.OIDCToken,
		filePath:     c.OIDCTokenFilePath,
		requestURL:   c.OIDCRequestURL,
		requestToken: c.OIDCRequestToken,
		client:       client,

		serviceConnectionID: c.ADOPipelineServiceConnectionID,
	}
}

func (s oidcSource) assertion(ctx context.Context) (string, error) {
	switch {
	case s.token != "":
		return s.token, nil
	case s.filePath != "":
		return s.readFile()
	case s.requestURL != "" && s.requestToken != "" && s.serviceConnectionID != "":
		return s.requestAzureDevOps(ctx)
	case s.requestURL != "" && s.requestToken != "":
		return s.request(ctx)
	default:
		return "", errors.New("no OIDC token source configured")
	}
}

func (s oidcSource) readFile() (string, error) {
	data, err := os.ReadFile(filepath.Clean(s.filePath))
	if err != nil {
		return "", fmt.Errorf("reading OIDC token file %s: %w", s.filePath, errorWithoutPath(err))
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("OIDC token file %s is empty", s.filePath)
	}
	return token, nil
}

// request asks the GitHub Actions OIDC provider for an ID token.
func (s oidcSource) request(ctx context.Context) (string, error) {
	u, err := url.Parse(s.requestURL)
	if err != nil {
		return "", fmt.Errorf("parsing %s: %w", AttrOIDCRequestURL, err)
	}
	q := u.Query()
	q.Set("audience", FederatedTokenAudience)
	u.RawQuery = q.Encode()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("building OIDC token request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.requestToken)
	req.Header.Set("Accept", "application/json")
	return s.fetchToken(req, "value", func(status int) error {
		// The body is not shown: it is not needed to act on the status and
		// could reflect request data.
		return fmt.Errorf("OIDC token request to %s failed with HTTP %d; check that the job has `permissions: id-token: write` and that %s is current",
			u.Host, status, AttrOIDCRequestToken)
	})
}

// requestAzureDevOps asks Azure Pipelines for the service connection's ID
// token, as azurerm's ADO pipeline authorizer and azidentity's
// AzurePipelinesCredential do: POST <SYSTEM_OIDCREQUESTURI>?api-version=7.1
// &serviceConnectionId=<id>, bearer System.AccessToken, answer {"oidcToken"}.
func (s oidcSource) requestAzureDevOps(ctx context.Context) (string, error) {
	u, err := url.Parse(s.requestURL)
	if err != nil {
		return "", fmt.Errorf("parsing %s: %w", AttrOIDCRequestURL, err)
	}
	q := u.Query()
	q.Set("api-version", "7.1")
	q.Set("serviceConnectionId", s.serviceConnectionID)
	u.RawQuery = q.Encode()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("building Azure DevOps OIDC token request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.requestToken)
	req.Header.Set("Content-Type", "application/json")
	// Answer 401 rather than redirect to a sign-in page when the token is bad.
	req.Header.Set("X-TFS-FedAuthRedirect", "Suppress")
	return s.fetchToken(req, "oidcToken", func(status int) error {
		return fmt.Errorf("OIDC token request to Azure DevOps (%s) failed with HTTP %d; check %s (the service connection's ID) "+
			"and that the step maps SYSTEM_ACCESSTOKEN: $(System.AccessToken)", u.Host, status, AttrADOServiceConnectionID)
	})
}

// fetchToken sends req and returns the string member field (matched in any
// letter case) of a 200 JSON answer; failed explains any other status. The
// answer's body never appears in an error.
func (s oidcSource) fetchToken(req *http.Request, field string, failed func(status int) error) (string, error) {
	host := req.URL.Host
	resp, err := s.client.Do(req) //nolint:gosec // G704: req goes to the CI system's OIDC endpoint the user configured; that is the protocol.
	if err != nil {
		return "", fmt.Errorf("requesting OIDC token from %s: %w", host, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxOIDCResponseSize))
	if err != nil {
		return "", fmt.Errorf("reading OIDC token response from %s: %w", host, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", failed(resp.StatusCode)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return "", fmt.Errorf("OIDC token response from %s is not JSON: %w", host, err)
	}
	var token string
	for name, raw := range members {
		if strings.EqualFold(name, field) {
			if err := json.Unmarshal(raw, &token); err != nil {
				return "", fmt.Errorf("OIDC token response from %s: %s is not a string", host, field)
			}
		}
	}
	if token == "" {
		return "", fmt.Errorf("OIDC token response from %s has no %s", host, field)
	}
	return token, nil
}
