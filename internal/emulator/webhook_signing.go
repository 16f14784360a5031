// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Webhook signing headers, as Partner Center sends them: the signature of
// the body in Authorization ("Signature <base64>"), where to download the
// signing certificate, and the algorithm.
const (
	WebhookSignatureScheme      = "Signature"
	WebhookCertificateURLHeader = "X-MS-Certificate-Url"
	WebhookAlgorithmHeader      = "X-MS-Signature-Algorithm"
	WebhookSignatureAlgorithm   = "rsa-sha256"
)

// webhookSigningKeyBits is the RSA key size. 2048 bits is what Partner
// Center-style receivers expect and takes a fraction of a second to create.
const webhookSigningKeyBits = 2048

// webhookSigner holds the RSA key generated at start and its self-signed
// certificate, served at X-MS-Certificate-Url so receivers can verify.
type webhookSigner struct {
	key     *rsa.PrivateKey
	cert    *x509.Certificate
	certPEM []byte
}

func newWebhookSigner() (*webhookSigner, error) {
	key, err := rsa.GenerateKey(rand.Reader, webhookSigningKeyBits)
	if err != nil {
		return nil, fmt.Errorf("generating the webhook signing key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		// Deliberately not "O=Microsoft Corporation": a receiver that checks
		// the issuer as production code should must reject emulator events.
		Subject:               pkix.Name{CommonName: "Partner Center emulator webhook signing", Organization: []string{"terraform-provider-partnercenter emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating the webhook signing certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the webhook signing certificate: %w", err)
	}
	return &webhookSigner{key: key, cert: cert, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// authorization returns the Authorization header value for body.
func (s *webhookSigner) authorization(body []byte) (string, error) {
	digest := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("signing the webhook body: %w", err)
	}
	return WebhookSignatureScheme + " " + base64.StdEncoding.EncodeToString(sig), nil
}

// VerifyWebhookSignature checks a webhook delivery the way a Partner Center
// receiver does: authorization is the Authorization header ("Signature
// <base64>"), body the exact bytes received, cert the certificate
// downloaded from X-MS-Certificate-Url. Only rsa-sha256 is supported.
func VerifyWebhookSignature(body []byte, authorization string, cert *x509.Certificate) error {
	scheme, value, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, WebhookSignatureScheme) {
		return fmt.Errorf("authorization scheme must be %q", WebhookSignatureScheme)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		return fmt.Errorf("signature is not base64: %w", err)
	}
	if cert == nil {
		return errors.New("no certificate to verify with")
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("certificate key is %T, want RSA", cert.PublicKey)
	}
	digest := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return fmt.Errorf("signature does not match the body: %w", err)
	}
	return nil
}

// ParseWebhookCertificate reads what X-MS-Certificate-Url serves: a PEM or
// DER certificate, or the emulator's admin JSON {"certificatePem": "..."}
// (its admin API answers in JSON only).
func ParseWebhookCertificate(b []byte) (*x509.Certificate, error) {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var v webhookCertificateView
		if err := json.Unmarshal(trimmed, &v); err != nil {
			return nil, fmt.Errorf("decoding the certificate JSON: %w", err)
		}
		trimmed = []byte(v.CertificatePEM)
	}
	if block, _ := pem.Decode(trimmed); block != nil {
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("PEM block is %q, want CERTIFICATE", block.Type)
		}
		trimmed = block.Bytes
	}
	cert, err := x509.ParseCertificate(trimmed)
	if err != nil {
		return nil, fmt.Errorf("parsing the certificate: %w", err)
	}
	return cert, nil
}

// webhookCertificateView is the admin answer at /_emulator/webhooks/certificate.
type webhookCertificateView struct {
	CertificatePEM string `json:"certificatePem"`
	Algorithm      string `json:"algorithm"`
}
