// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"fmt"
	"net/url"
	"strings"
)

// apiVersionSegment is the version prefix of the transfer API paths.
const apiVersionSegment = "v1"

// endpointURL builds base + "/" + segments, escaping every segment so that
// an id can never add path levels or a query.
func (c *Client) endpointURL(segments ...string) *url.URL {
	u := *c.base
	rawBase := u.EscapedPath()
	plain := make([]string, 0, len(segments))
	escaped := make([]string, 0, len(segments))
	for _, s := range segments {
		plain = append(plain, s)
		escaped = append(escaped, url.PathEscape(s))
	}
	u.Path = u.Path + "/" + strings.Join(plain, "/")
	u.RawPath = rawBase + "/" + strings.Join(escaped, "/")
	return &u
}

// checkPathID rejects ids that would change the meaning of the path even
// after escaping ("." and ".." are not escaped by url.PathEscape).
func checkPathID(kind, id string) error {
	switch strings.TrimSpace(id) {
	case "":
		return fmt.Errorf("partnercenter: %s is required", kind)
	case ".", "..":
		return fmt.Errorf("partnercenter: invalid %s %q", kind, id)
	}
	return nil
}

func transfersURL(c *Client, customerID string) (*url.URL, error) {
	if err := checkPathID("customer ID", customerID); err != nil {
		return nil, err
	}
	return c.endpointURL(apiVersionSegment, "customers", customerID, "transfers"), nil
}

func transferURL(c *Client, customerID, transferID string) (*url.URL, error) {
	if err := checkPathID("customer ID", customerID); err != nil {
		return nil, err
	}
	if err := checkPathID("transfer ID", transferID); err != nil {
		return nil, err
	}
	return c.endpointURL(apiVersionSegment, "customers", customerID, "transfers", transferID), nil
}

// nextPageURL resolves a collection's links.next uri against the endpoint.
// Partner Center writes these uris without the /v1 prefix
// ("/customers/{id}/transfers?..."), so the prefix is added to absolute
// paths that lack it; relative paths resolve against the current page.
// Absolute uris must use the endpoint's own scheme and host: the bearer
// token is never sent anywhere else. An empty path keeps the current one
// (only the query and the continuation token change).
func (c *Client) nextPageURL(current *url.URL, uri string) (*url.URL, error) {
	invalid := func(reason string) error {
		return fmt.Errorf("partnercenter: next-page link %q %s", uri, reason)
	}
	ref, err := url.Parse(strings.TrimSpace(uri))
	if err != nil {
		return nil, invalid("is not a URL")
	}
	if ref.Scheme != "" || ref.Host != "" {
		if !strings.EqualFold(ref.Scheme, c.base.Scheme) || !strings.EqualFold(ref.Host, c.base.Host) {
			return nil, invalid("points at a different host; refusing to send credentials there")
		}
	}
	for _, seg := range strings.Split(ref.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, invalid("contains dot segments")
		}
	}

	next := *current
	next.RawQuery = ref.RawQuery
	next.Fragment = ""
	switch p := ref.EscapedPath(); {
	case p == "":
		return &next, nil
	case !strings.HasPrefix(p, "/"):
		resolved := current.ResolveReference(&url.URL{Path: ref.Path, RawPath: ref.RawPath})
		next.Path, next.RawPath = resolved.Path, resolved.RawPath
		return &next, nil
	default:
		basePath := c.base.EscapedPath()
		if basePath != "" && (p == basePath || strings.HasPrefix(p, basePath+"/")) {
			p = strings.TrimPrefix(p, basePath)
		}
		if !strings.HasPrefix(p, "/"+apiVersionSegment+"/") {
			p = "/" + apiVersionSegment + p
		}
		full := basePath + p
		plain, err := url.PathUnescape(full)
		if err != nil {
			return nil, invalid("has a bad escape")
		}
		next.Path, next.RawPath = plain, full
		return &next, nil
	}
}
