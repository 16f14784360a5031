// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/loopback"
)

// maxRedirects bounds redirects between loopback receivers.
const maxRedirects = 5

// newWebhookClient builds the delivery client: no proxy (receivers in tests
// and demos listen on loopback) and redirects followed only to loopback
// hosts, so a receiver cannot bounce the emulator to another machine.
func newWebhookClient(opts WebhookDeliveryOptions) *http.Client {
	tr := &http.Transport{}
	if base, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = base.Clone()
	}
	tr.Proxy = nil
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: opts.RootCAs}
	return &http.Client{Transport: tr, CheckRedirect: followLoopbackRedirects}
}

func followLoopbackRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if !loopback.Host(req.URL.Hostname()) {
		return fmt.Errorf("refusing to follow a redirect to non-loopback host %q", req.URL.Hostname())
	}
	return nil
}

// checkWebhookURL enforces https, allowing http only for loopback receivers.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Hostname() == "" {
		return fmt.Errorf("WebhookUrl %q is not an absolute URL", redactURL(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if loopback.Host(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("WebhookUrl %q must use https; http is accepted only for loopback receivers (localhost, 127.0.0.1, ::1)", redactURL(raw))
	default:
		return fmt.Errorf("WebhookUrl %q must use https", redactURL(raw))
	}
}

// redactURL drops a password and the query string, where receivers often
// carry a key, from a URL shown in errors and the delivery history.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	return u.String()
}

// redactError is err's text with the receiver URL's query string hidden.
func redactError(err error, target string) string {
	text := err.Error()
	if u, perr := url.Parse(target); perr == nil && u.RawQuery != "" {
		text = strings.ReplaceAll(text, u.RawQuery, "REDACTED")
	}
	return text
}
