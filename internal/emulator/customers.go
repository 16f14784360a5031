// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Route names (stats and faults) of the customers and subscriptions API.
const (
	RouteListCustomers     = "listCustomers"
	RouteGetCustomer       = "getCustomer"
	RouteListSubscriptions = "listSubscriptions"
	RouteGetSubscription   = "getSubscription"
)

// Customers list behaviours REFERENCE-CUSTOMERS-AUDIT.md marks [UNK], and their defaults.
const (
	// DefaultCustomerPageSize is the page size for size=0 or no size, and
	// the most one page holds ("500 per call" per Microsoft's PowerShell).
	DefaultCustomerPageSize = 500
	// OversizeClamp serves at most MaxPageSize items for a larger size.
	OversizeClamp = "clamp"
	// OversizeReject answers 400 for a size above MaxPageSize.
	OversizeReject = "reject"
	// TotalCountPage makes totalCount the number of items in the page.
	TotalCountPage = "page"
	// TotalCountAll makes totalCount the number of matching customers.
	TotalCountAll = "all"
	// SubscriptionIDsNew gives a transferred subscription a new id at the
	// target; the source's subscription leaves its list.
	SubscriptionIDsNew = "new"
	// SubscriptionIDsSame keeps the id and only changes the owner.
	SubscriptionIDsSame = "same"
	// DepartedHidden drops a transferred-out subscription from the source's list.
	DepartedHidden = "hidden"
	// DepartedDeleted keeps it in the source's list with status "deleted".
	DepartedDeleted = "deleted"
)

// CustomerAPIOptions configures GET /v1/customers and
// GET /v1/customers/{c}/subscriptions. Zero values mean the defaults in
// README.md "Customers and subscriptions".
type CustomerAPIOptions struct {
	// MaxPageSize caps a customers page (default 500).
	MaxPageSize int `json:"maxPageSize,omitempty"`
	// Oversize is OversizeClamp (default) or OversizeReject.
	Oversize string `json:"oversize,omitempty"`
	// NextLinkWithoutV1 writes links.next.uri as "/customers?..." instead
	// of the live service's "/v1/customers?...".
	NextLinkWithoutV1 bool `json:"nextLinkWithoutV1,omitempty"`
	// BodyContinuationToken also sends the token as a top-level
	// continuationToken, as the .NET SDK can read.
	BodyContinuationToken bool `json:"bodyContinuationToken,omitempty"`
	// TotalCount is TotalCountPage (default) or TotalCountAll.
	TotalCount string `json:"totalCount,omitempty"`
	// SubscriptionPageSize pages subscription lists (0, the default: one
	// unpaged collection, as documented).
	SubscriptionPageSize int `json:"subscriptionPageSize,omitempty"`
	// TransferredIDs is SubscriptionIDsNew (default) or SubscriptionIDsSame.
	TransferredIDs string `json:"transferredIds,omitempty"`
	// Departed is DepartedHidden (default) or DepartedDeleted.
	Departed string `json:"departed,omitempty"`
}

func (o CustomerAPIOptions) withDefaults() (CustomerAPIOptions, error) {
	if o.MaxPageSize == 0 {
		o.MaxPageSize = DefaultCustomerPageSize
	}
	if o.MaxPageSize < 1 || o.SubscriptionPageSize < 0 {
		return o, errors.New("maxPageSize must be positive and subscriptionPageSize not negative")
	}
	pick := func(v *string, def string, allowed ...string) error {
		if *v == "" {
			*v = def
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(*v, a) {
				*v = a
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", *v, strings.Join(allowed, ", "))
	}
	for _, err := range []error{
		pick(&o.Oversize, OversizeClamp, OversizeClamp, OversizeReject),
		pick(&o.TotalCount, TotalCountPage, TotalCountPage, TotalCountAll),
		pick(&o.TransferredIDs, SubscriptionIDsNew, SubscriptionIDsNew, SubscriptionIDsSame),
		pick(&o.Departed, DepartedHidden, DepartedHidden, DepartedDeleted),
	} {
		if err != nil {
			return o, err
		}
	}
	return o, nil
}

// addCustomerRoutes registers the customers and subscriptions API and its
// admin routes; New calls it.
func (e *Emulator) addCustomerRoutes() {
	e.addRoute(http.MethodGet, "/v1/customers", RouteListCustomers, e.handleListCustomers)
	e.addRoute(http.MethodGet, "/v1/customers/{customerId}", RouteGetCustomer, e.handleGetCustomer)
	e.addRoute(http.MethodGet, "/v1/customers/{customerId}/subscriptions", RouteListSubscriptions, e.handleListSubscriptions)
	e.addRoute(http.MethodGet, "/v1/customers/{customerId}/subscriptions/{subscriptionId}", RouteGetSubscription, e.handleGetSubscription)
	e.addAdminRoute(http.MethodGet, "customers/options", func(*http.Request, []byte) (int, any) {
		e.mu.Lock()
		defer e.mu.Unlock()
		o, _ := e.opts.Customers.withDefaults()
		return http.StatusOK, o
	})
	e.addAdminRoute(http.MethodPost, "customers/options", func(_ *http.Request, body []byte) (int, any) {
		var o CustomerAPIOptions
		if err := decodeAdmin(body, &o); err != nil {
			return adminBad(err)
		}
		if err := e.SetCustomerAPIOptions(o); err != nil {
			return adminBad(err)
		}
		return http.StatusOK, o
	})
	e.addAdminRoute(http.MethodPost, "customers/generate", func(_ *http.Request, body []byte) (int, any) {
		var g GenerateCustomers
		if err := decodeAdmin(body, &g); err != nil {
			return adminBad(err)
		}
		ids, err := e.GenerateCustomers(g)
		if err != nil {
			return adminBad(err)
		}
		return http.StatusOK, map[string]any{"generated": len(ids), "first": first(ids), "last": last(ids)}
	})
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func last(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[len(ids)-1]
}

// SetCustomerAPIOptions replaces the customers/subscriptions options.
func (e *Emulator) SetCustomerAPIOptions(o CustomerAPIOptions) error {
	if _, err := o.withDefaults(); err != nil {
		return fmt.Errorf("customer API options: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.opts.Customers = o
	return nil
}

// customerOptsLocked returns the options with defaults (validated on set).
func (e *Emulator) customerOptsLocked() CustomerAPIOptions {
	o, _ := e.opts.Customers.withDefaults()
	return o
}

// wireCustomer is a customers-list item: only the fields the list carries.
type wireCustomer struct {
	ID                    string             `json:"id"`
	CompanyProfile        wireCompanyProfile `json:"companyProfile"`
	RelationshipToPartner string             `json:"relationshipToPartner"`
	Links                 map[string]wireRef `json:"links"`
	Attributes            wireAttributes     `json:"attributes"`
}

type wireCompanyProfile struct {
	TenantID    string             `json:"tenantId"`
	Domain      string             `json:"domain"`
	CompanyName string             `json:"companyName"`
	Links       map[string]wireRef `json:"links"`
	Attributes  wireAttributes     `json:"attributes"`
}

// wireRef is a link: {uri, method, headers[{key, value}]}.
type wireRef struct {
	URI     string         `json:"uri"`
	Method  string         `json:"method"`
	Headers []wireKeyValue `json:"headers"`
}

type wireKeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type wireAttributes struct {
	ObjectType string `json:"objectType"`
}

// wireCustomerCollection is a customers page.
type wireCustomerCollection struct {
	TotalCount        int                `json:"totalCount"`
	Items             []wireCustomer     `json:"items"`
	Links             map[string]wireRef `json:"links"`
	ContinuationToken string             `json:"continuationToken,omitempty"`
	Attributes        wireAttributes     `json:"attributes"`
}

// customerSeek is the opaque customers continuation token: the position
// in creation order after which the next page starts.
type customerSeek struct {
	Epoch   int64  `json:"e"`
	Partner string `json:"p"`
	After   int    `json:"a"`
	Size    int    `json:"n"`
	Filter  string `json:"f,omitempty"`
}

// customerFilter is the documented search filter: one field, starts_with.
type customerFilter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

func parseCustomerFilter(raw string) (*customerFilter, *apiResponse) {
	if raw == "" {
		return nil, nil
	}
	var f customerFilter
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		res := errInvalidInput("The filter query parameter must be a JSON object {\"Field\",\"Value\",\"Operator\"}.")
		return nil, &res
	}
	switch {
	case !strings.EqualFold(f.Operator, "starts_with"):
		res := errInvalidInput("The only supported filter operator for customers is starts_with, not %q.", truncate(f.Operator))
		return nil, &res
	case !strings.EqualFold(f.Field, "CompanyName") && !strings.EqualFold(f.Field, "Domain"):
		res := errInvalidInput("Customers can be filtered by CompanyName or Domain, not %q.", truncate(f.Field))
		return nil, &res
	}
	return &f, nil
}

func (f *customerFilter) matches(c *customerState) bool {
	if f == nil {
		return true
	}
	v := c.Name
	if strings.EqualFold(f.Field, "Domain") {
		v = customerDomain(c.Customer)
	}
	return strings.HasPrefix(strings.ToLower(v), strings.ToLower(f.Value))
}

// customerDomain is the seed's domain or one derived from the name.
func customerDomain(c Customer) string {
	if c.Domain != "" {
		return c.Domain
	}
	var b strings.Builder
	for _, r := range strings.ToLower(c.Name) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		b.WriteString(c.ID[:8])
	}
	return b.String() + ".onmicrosoft.com"
}

func customerWire(c *customerState) wireCustomer {
	self := "/customers/" + c.ID
	return wireCustomer{
		ID: c.ID,
		CompanyProfile: wireCompanyProfile{
			TenantID: c.ID, Domain: customerDomain(c.Customer), CompanyName: c.Name,
			Links:      map[string]wireRef{"self": {URI: self + "/profiles/company", Method: http.MethodGet, Headers: []wireKeyValue{}}},
			Attributes: wireAttributes{ObjectType: "CustomerCompanyProfile"},
		},
		RelationshipToPartner: "reseller",
		Links:                 map[string]wireRef{"self": {URI: self, Method: http.MethodGet, Headers: []wireKeyValue{}}},
		Attributes:            wireAttributes{ObjectType: "Customer"},
	}
}

// handleGetCustomer is GET /v1/customers/{id}: the customer as the list
// shows it. Microsoft does not document the answer for a customer the
// caller has no relationship with; the emulator answers like its other
// customer routes, 403 with code 20002.
func (e *Emulator) handleGetCustomer(req *apiRequest) apiResponse {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		return errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
	}
	e.lock()
	defer e.unlock()
	c := e.w.customers[customerID]
	if c == nil || !c.related[req.partner] {
		return errNoRelationship(customerID)
	}
	return jsonResponse(http.StatusOK, customerWire(c))
}

// handleListCustomers is GET /v1/customers: the caller's customers in the
// order they were added, seek-paged with MS-ContinuationToken.
func (e *Emulator) handleListCustomers(req *apiRequest) apiResponse {
	q := req.r.URL.Query()
	rawFilter := q.Get("filter")
	filter, bad := parseCustomerFilter(rawFilter)
	if bad != nil {
		return *bad
	}
	tokenText := req.r.Header.Get(continuationHeader)
	seekNext := strings.EqualFold(q.Get("seekOperation"), "Next")
	if seekNext && tokenText == "" {
		return errInvalidInput("seekOperation=Next needs the %s header from the previous page's links.next.", continuationHeader)
	}

	e.lock()
	defer e.unlock()
	o := e.customerOptsLocked()
	size := o.MaxPageSize
	if s := q.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 0:
			return errInvalidInput("The size query parameter must be a non-negative integer.")
		case n > o.MaxPageSize && o.Oversize == OversizeReject:
			return errInvalidInput("The size query parameter must not exceed %d.", o.MaxPageSize)
		case n > 0:
			size = min(n, o.MaxPageSize)
		}
	}
	seek := customerSeek{Epoch: e.listEpoch, Partner: req.partner, After: -1, Size: size, Filter: rawFilter}
	if tokenText != "" {
		var t customerSeek
		if !decodePageToken(tokenText, &t) || t.Epoch != e.listEpoch || t.Partner != req.partner || t.Filter != rawFilter {
			return errInvalidInput("The %s header is not a valid continuation token for this list.", continuationHeader)
		}
		seek.After = t.After
		if q.Get("size") == "" && t.Size > 0 {
			seek.Size = t.Size
		}
	}
	coll := wireCustomerCollection{Items: []wireCustomer{}, Attributes: wireAttributes{ObjectType: "Collection"}}
	matching := 0
	next, lastIndex := -1, -1
	for i, id := range e.w.customerOrder {
		c := e.w.customers[id]
		if !c.related[req.partner] || !filter.matches(c) {
			continue
		}
		matching++
		if i <= seek.After {
			continue
		}
		if len(coll.Items) == seek.Size {
			next = lastIndex
			if o.TotalCount != TotalCountAll {
				break
			}
			continue
		}
		coll.Items = append(coll.Items, customerWire(c))
		lastIndex = i
	}
	coll.TotalCount = len(coll.Items)
	if o.TotalCount == TotalCountAll {
		coll.TotalCount = matching
	}
	selfQuery := url.Values{"size": {strconv.Itoa(seek.Size)}}
	if rawFilter != "" {
		selfQuery.Set("filter", rawFilter)
	}
	coll.Links = map[string]wireRef{"self": {URI: "/customers?" + selfQuery.Encode(), Method: http.MethodGet, Headers: []wireKeyValue{}}}
	if next >= 0 {
		t := seek
		t.After = next
		token := encodePageToken(t)
		nextQuery := url.Values{"size": {strconv.Itoa(seek.Size)}, "seekOperation": {"Next"}}
		if rawFilter != "" {
			nextQuery.Set("filter", rawFilter)
		}
		prefix := "/v1"
		if o.NextLinkWithoutV1 {
			prefix = ""
		}
		coll.Links["next"] = wireRef{URI: prefix + "/customers?" + nextQuery.Encode(), Method: http.MethodGet,
			Headers: []wireKeyValue{{Key: continuationHeader, Value: token}}}
		if o.BodyContinuationToken {
			coll.ContinuationToken = token
		}
	}
	return jsonResponse(http.StatusOK, coll)
}
