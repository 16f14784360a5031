// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"net/http"
)

// OrganizationProfile is the signed-in partner's organization profile,
// GET /v1/profiles/organization (Microsoft Learn, "Get an organization
// profile"; fields from the REST reference "Manage account profiles - Get
// organization profile"). Only the fields the provider uses are decoded.
type OrganizationProfile struct {
	ID          string      `json:"id,omitempty"`
	TenantID    string      `json:"tenantId,omitempty"`
	CompanyName string      `json:"companyName,omitempty"`
	Domain      string      `json:"domain,omitempty"`
	Attributes  *Attributes `json:"attributes,omitempty"`
}

// MpnProfile is the signed-in partner's Partner Network profile,
// GET /v1/profiles/mpn (Microsoft Learn, "Get partner profile").
type MpnProfile struct {
	PartnerName string      `json:"partnerName,omitempty"`
	MpnID       string      `json:"mpnId,omitempty"`
	Attributes  *Attributes `json:"attributes,omitempty"`
}

// CodeAppOnlyNotSupported is the code of Partner Center's 403 for a
// resource that refuses app-only tokens; Microsoft documents both profile
// reads for App+User credentials only.
const CodeAppOnlyNotSupported = "900329"

// GetOrganizationProfile reads the organization profile of the partner the
// token belongs to. It is one small entity, outside the throttled transfer
// and customer lists, which makes it the provider's connection check.
func (c *Client) GetOrganizationProfile(ctx context.Context) (*OrganizationProfile, error) {
	var p OrganizationProfile
	if err := c.getEntity(ctx, &p, "profiles", "organization"); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetMpnProfile reads the Partner Network profile (partner name and MPN
// id, the PartnerID) of the partner the token belongs to.
func (c *Client) GetMpnProfile(ctx context.Context) (*MpnProfile, error) {
	var p MpnProfile
	if err := c.getEntity(ctx, &p, "profiles", "mpn"); err != nil {
		return nil, err
	}
	return &p, nil
}

// getEntity GETs /v1/<segments...> and decodes one entity into v.
func (c *Client) getEntity(ctx context.Context, v any, segments ...string) error {
	u := c.endpointURL(append([]string{apiVersionSegment}, segments...)...)
	return c.call(ctx, http.MethodGet, u, nil, nil, func(resp *http.Response) error {
		return decodeEntity(resp.Body, v)
	})
}
