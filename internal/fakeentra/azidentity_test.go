// SPDX-License-Identifier: MPL-2.0

package fakeentra_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/fakeentra"
)

// TestAzidentityCompatibility proves the real SDK credentials work against the
// fake with a custom authority host, which is how the provider is tested.
func TestAzidentityCompatibility(t *testing.T) {
	cert := newTestCert(t)
	e := startEntra(t, fakeentra.Options{Apps: []fakeentra.App{
		{TenantID: tenantA, ClientID: clientA, ClientSecret: secretA, CertificatePEM: string(cert.certPEM)},
	}})
	clientOptions := azcore.ClientOptions{
		Cloud:     cloudFor(e.http.URL + "/"),
		Transport: e.http.Client(),
	}
	tokenOptions := policy.TokenRequestOptions{Scopes: []string{pcScope}}

	secretCred, err := azidentity.NewClientSecretCredential(tenantA, clientA, secretA, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: clientOptions, DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := secretCred.GetToken(t.Context(), tokenOptions)
	if err != nil {
		t.Fatalf("client secret: %v", err)
	}
	if _, err := e.server.Authenticate(bearerRequest(t, tok.Token)); err != nil {
		t.Errorf("secret token rejected: %v", err)
	}

	certs, key, err := azidentity.ParseCertificates(append(cert.certPEM, cert.keyPEM...), nil)
	if err != nil {
		t.Fatal(err)
	}
	certCred, err := azidentity.NewClientCertificateCredential(tenantA, clientA, certs, key, &azidentity.ClientCertificateCredentialOptions{
		ClientOptions: clientOptions, DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err = certCred.GetToken(t.Context(), tokenOptions)
	if err != nil {
		t.Fatalf("client certificate: %v", err)
	}
	if _, err := e.server.Authenticate(bearerRequest(t, tok.Token)); err != nil {
		t.Errorf("certificate token rejected: %v", err)
	}

	badCred, err := azidentity.NewClientSecretCredential(tenantA, clientA, "wrong-secret-value", &azidentity.ClientSecretCredentialOptions{
		ClientOptions: clientOptions, DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = badCred.GetToken(t.Context(), tokenOptions)
	var authErr *azidentity.AuthenticationFailedError
	if !errors.As(err, &authErr) || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Error("SDK error contains the secret")
	}
}
