// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// newCredential builds the azidentity credential for the configured method.
func (c Config) newCredential(transport *http.Client) (azcore.TokenCredential, error) {
	clientOptions := azcore.ClientOptions{
		Cloud: cloud.Configuration{
			ActiveDirectoryAuthorityHost: c.ResolvedAuthorityHost(),
			Services:                     map[cloud.ServiceName]cloud.ServiceConfiguration{},
		},
	}
	if transport != nil {
		clientOptions.Transport = transport
	}
	// MSAL's instance discovery would ask the public cloud about a custom host.
	disableDiscovery := c.authorityOverridden()
	clientID, err := c.resolvedClientID()
	if err != nil {
		return nil, err
	}
	c.ClientID = clientID

	switch c.Method() {
	case MethodClientSecret:
		return azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: clientOptions, DisableInstanceDiscovery: disableDiscovery,
		})
	case MethodClientCertificate:
		data, err := os.ReadFile(filepath.Clean(c.ClientCertificatePath))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", AttrClientCertificatePath, errorWithoutPath(err))
		}
		certs, key, err := parseCertificateFile(data, c.ClientCertificatePassword)
		if err != nil {
			return nil, fmt.Errorf("loading client certificate %s: %w", c.ClientCertificatePath, err)
		}
		return azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: clientOptions, DisableInstanceDiscovery: disableDiscovery,
		})
	case MethodOIDC:
		source := c.oidcSource(transport)
		return azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, source.assertion, &azidentity.ClientAssertionCredentialOptions{
			ClientOptions: clientOptions, DisableInstanceDiscovery: disableDiscovery,
		})
	case MethodCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID})
	case MethodMSI:
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: clientOptions}
		if c.ClientID != "" {
			// A client id selects a user-assigned identity; without one the
			// system-assigned identity is used.
			opts.ID = azidentity.ClientID(c.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(opts)
	default:
		return nil, errors.New("no credential method configured")
	}
}

// parseCertificateFile loads PEM or PKCS#12. The password may come from an
// unrelated ARM_CLIENT_CERTIFICATE_PASSWORD, so a PEM file is also tried
// without it. azidentity only reads legacy (3DES/RC2, SHA-1 MAC) PKCS#12, so
// AES/SHA-256 files, the OpenSSL 3 and Windows default, go through go-pkcs12.
func parseCertificateFile(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return azidentity.ParseCertificates(data, nil)
	}
	certs, key, err := azidentity.ParseCertificates(data, []byte(password))
	if err == nil {
		return certs, key, nil
	}
	key, leaf, chain, modernErr := pkcs12.DecodeChain(data, password)
	if modernErr != nil {
		if errors.Is(modernErr, pkcs12.ErrIncorrectPassword) {
			return nil, nil, errors.New("PKCS#12 password is incorrect")
		}
		return nil, nil, fmt.Errorf("not a PEM file, and not readable as PKCS#12: %w", modernErr)
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}
