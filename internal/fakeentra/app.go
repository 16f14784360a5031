// SPDX-License-Identifier: MPL-2.0

package fakeentra

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// App is an app registration (service principal) the fake tenant knows.
type App struct {
	TenantID     string `json:"tenantId"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret,omitempty"`
	// CertificatePEM holds the public certificate(s); client assertions signed
	// by the matching private key are accepted.
	CertificatePEM string `json:"certificatePem,omitempty"`
	// FederatedTokens are OIDC tokens accepted verbatim as client_assertion
	// (workload identity federation).
	FederatedTokens []string `json:"federatedTokens,omitempty"`
}

// objectIDNamespace makes service principal object ids deterministic: the same
// tenant and client always map to the same oid, across server restarts.
var objectIDNamespace = uuid.MustParse("5b0a4f4e-3c1d-4c55-9a43-6f1e2f0c9d11")

// registeredApp is an App plus everything derived from it once at registration.
type registeredApp struct {
	App
	objectID     string
	certificates []*x509.Certificate
	// certificateErr records why CertificatePEM could not be used, so a token
	// request can fail with a useful message instead of AddApp panicking.
	certificateErr error
}

func newRegisteredApp(a App) *registeredApp {
	ra := &registeredApp{
		App:      a,
		objectID: ObjectID(a.TenantID, a.ClientID),
	}
	if strings.TrimSpace(a.CertificatePEM) != "" {
		ra.certificates, ra.certificateErr = parseCertificates([]byte(a.CertificatePEM))
	}
	return ra
}

// ObjectID is the service principal object id (the oid claim) the fake
// issues for an app; the emulator maps it back to the app in audit records.
func ObjectID(tenantID, clientID string) string {
	return uuid.NewSHA1(objectIDNamespace, []byte(appKey(tenantID, clientID))).String()
}

// appKey identifies an app; tenant ids and client ids are case-insensitive in Entra.
func appKey(tenantID, clientID string) string {
	return strings.ToLower(tenantID) + "/" + strings.ToLower(clientID)
}

func validateApp(a App) error {
	if strings.TrimSpace(a.TenantID) == "" {
		return errors.New("tenantId is required")
	}
	if strings.TrimSpace(a.ClientID) == "" {
		return errors.New("clientId is required")
	}
	if strings.TrimSpace(a.CertificatePEM) != "" {
		if _, err := parseCertificates([]byte(a.CertificatePEM)); err != nil {
			return err
		}
	}
	return nil
}

// parseCertificates reads every CERTIFICATE block and ignores others (a PEM
// bundle that also carries the private key is common and harmless here).
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing certificatePem: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("certificatePem contains no CERTIFICATE block")
	}
	return certs, nil
}
