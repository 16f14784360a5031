// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// MaxCustomerPageSize is the most customers Partner Center returns per call
// (Microsoft's PowerShell module: "the maximum number of customers returned
// in a single call is 500").
const MaxCustomerPageSize = 500

// Customer is one item of GET /v1/customers. List items carry only these
// fields; GET-by-id adds billing profile and delegated-access data the
// provider does not need.
type Customer struct {
	ID                    string                  `json:"id"`
	CommerceID            string                  `json:"commerceId,omitempty"`
	CompanyProfile        *CustomerCompanyProfile `json:"companyProfile,omitempty"`
	RelationshipToPartner string                  `json:"relationshipToPartner,omitempty"`
	AssociatedPartnerID   string                  `json:"associatedPartnerId,omitempty"`
	Attributes            *Attributes             `json:"attributes,omitempty"`
}

// CustomerCompanyProfile is a customer's company profile.
type CustomerCompanyProfile struct {
	TenantID    string `json:"tenantId,omitempty"`
	Domain      string `json:"domain,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
}

// CompanyName returns the profile's company name, or "".
func (c Customer) CompanyName() string {
	if c.CompanyProfile == nil {
		return ""
	}
	return c.CompanyProfile.CompanyName
}

// Domain returns the profile's domain, or "".
func (c Customer) Domain() string {
	if c.CompanyProfile == nil {
		return ""
	}
	return c.CompanyProfile.Domain
}

// TenantID is the customer's tenant: the id, which equals
// companyProfile.tenantId in every documented example.
func (c Customer) TenantID() string {
	if c.ID != "" || c.CompanyProfile == nil {
		return c.ID
	}
	return c.CompanyProfile.TenantID
}

// ListCustomers streams every customer of the calling partner,
// GET /v1/customers?size=pageSize, following continuation links. pageSize
// 0 or above MaxCustomerPageSize means MaxCustomerPageSize, so a scan costs
// as few requests as the service allows.
func (c *Client) ListCustomers(ctx context.Context, pageSize int, each func(Customer) error) error {
	if pageSize <= 0 || pageSize > MaxCustomerPageSize {
		pageSize = MaxCustomerPageSize
	}
	u := c.endpointURL(apiVersionSegment, "customers")
	u.RawQuery = url.Values{"size": {strconv.Itoa(pageSize)}}.Encode()
	return streamCollection(ctx, c, u, "customer list", each)
}

// GetCustomer reads one customer of the calling partner:
// GET /v1/customers/{customerID}. Partner Center documents the call but not
// its answer for a customer the partner has no relationship with (404 or
// 403 are both plausible); callers treat both alike.
func (c *Client) GetCustomer(ctx context.Context, customerID string) (*Customer, error) {
	if err := checkPathID("customer ID", customerID); err != nil {
		return nil, err
	}
	u := c.endpointURL(apiVersionSegment, "customers", customerID)
	var out Customer
	err := c.call(ctx, http.MethodGet, u, nil, nil, func(resp *http.Response) error {
		if err := decodeEntity(resp.Body, &out); err != nil {
			return fmt.Errorf("partnercenter: GET %s: %w", u.EscapedPath(), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
