// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Route names of the transfer API, as counted in Stats and matched by Fault.Route.
const (
	RouteCreate = "create"
	RouteGet    = "get"
	RouteList   = "list"
	RouteSubmit = "submit"
	RouteCancel = "cancel"
	RouteToken  = "token"
)

// Limits on free-text fields; generous, but a client bug that sends a
// megabyte of text into a name is caught.
const (
	maxNameLength = 256
	maxTextLength = 1024
)

func (e *Emulator) addTransferRoutes() {
	const collection = "/v1/customers/{customerId}/transfers"
	const item = collection + "/{transferId}"
	e.addRoute(http.MethodPost, collection, RouteCreate, e.handleCreate)
	e.addRoute(http.MethodGet, collection, RouteList, e.handleList)
	e.addRoute(http.MethodGet, item, RouteGet, e.handleGet)
	patch := e.addRoute(http.MethodPatch, item, RouteSubmit, e.handlePatch)
	patch.nameFor = patchRouteName
}

// createInput is a validated create request.
type createInput struct {
	customerID string
	body       createBody
	source     string
	target     string
	email      string
	types      []string
	partners   []Participant
}

// validateCreate checks everything that needs no state and reports every
// problem at once, so a user fixes a request in one round.
func validateCreate(customerID string, b createBody) (createInput, []string) {
	in := createInput{customerID: customerID, body: b}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	in.email = strings.TrimSpace(deref(b.CustomerEmailID))
	switch {
	case in.email == "":
		bad("customerEmailId is required")
	case len(in.email) > maxNameLength || !plausibleEmail(in.email):
		bad("customerEmailId %q is not a valid e-mail address", truncate(in.email))
	}
	src := strings.TrimSpace(deref(b.SourcePartnerTenantID))
	if src == "" {
		bad("sourcePartnerTenantId is required")
	} else if id, ok := canonicalGUID(src); ok {
		in.source = id
	} else {
		bad("sourcePartnerTenantId %q is not a GUID", truncate(src))
	}
	if tgt := strings.TrimSpace(deref(b.TargetPartnerTenantID)); tgt != "" {
		if id, ok := canonicalGUID(tgt); ok {
			in.target = id
		} else {
			bad("targetPartnerTenantId %q is not a GUID", truncate(tgt))
		}
	}
	switch {
	case !b.TransferType.set:
		bad("transferType is required (3 or 5 for new commerce)")
	case b.TransferType.value != transferTypeNewCommerce && b.TransferType.value != transferTypeNewCommerceAlt:
		bad("transferType %d is not supported; use 3 or 5 for new commerce", b.TransferType.value)
	}
	for _, t := range b.TargetProductTypes {
		pt, ok := canonicalProductType(t)
		if !ok {
			bad("targetProductTypes value %q is not one of %s", truncate(t), strings.Join(productTypes, ", "))
			continue
		}
		if !slices.Contains(in.types, pt) {
			in.types = append(in.types, pt)
		}
	}
	for i, p := range b.Participants {
		key, value := strings.TrimSpace(deref(p.Key)), deref(p.Value)
		if key == "" {
			bad("participants[%d].key is required", i)
			continue
		}
		if len(key) > maxNameLength || len(value) > maxTextLength {
			bad("participants[%d] is too long", i)
			continue
		}
		in.partners = append(in.partners, Participant{Key: key, Value: value})
	}
	for _, f := range []struct {
		name  string
		value *string
	}{
		{"customerName", b.CustomerName}, {"sourcePartnerName", b.SourcePartnerName},
		{"targetPartnerName", b.TargetPartnerName}, {"sourcePartnerEmailId", b.SourcePartnerEmailID},
		{"partnerOnRecord", b.PartnerOnRecord},
	} {
		if len(deref(f.value)) > maxNameLength {
			bad("%s is longer than %d characters", f.name, maxNameLength)
		}
	}
	if len(deref(b.TargetPartnerEmailID)) > maxTextLength {
		bad("targetPartnerEmailId is longer than %d characters", maxTextLength)
	}
	return in, problems
}

// handleCreate is POST /v1/customers/{c}/transfers, called by the target.
func (e *Emulator) handleCreate(req *apiRequest) apiResponse {
	customerID, ok := canonicalGUID(req.params["customerId"])
	if !ok {
		return errInvalidInput("The customer id %q in the path is not a GUID.", truncate(req.params["customerId"]))
	}
	var b createBody
	if err := decodeBody(req.body, &b); err != nil {
		return errInvalidInput("%s.", err)
	}
	if refused := e.refuseUnknownProperties(req.body); refused != nil {
		return *refused
	}
	in, problems := validateCreate(customerID, b)
	if len(problems) > 0 {
		return errInvalidInput("Invalid transfer request: %s.", strings.Join(problems, "; "))
	}

	now := e.lock()
	defer e.unlock()
	customer := e.w.customers[customerID]
	if customer == nil || !customer.related[req.partner] {
		return errNoRelationship(customerID)
	}
	target := req.partner
	if in.target != "" && in.target != target {
		return errInvalidInput("targetPartnerTenantId %s must be the calling partner's tenant %s: the target partner creates the transfer.", in.target, target)
	}
	if in.source == target {
		return errorResponse(http.StatusBadRequest, codeSourceIsRequester,
			"The source partner can't be the same as the partner requesting the transfer.")
	}
	source := e.w.partners[in.source]
	if source == nil {
		return errorResponse(http.StatusBadRequest, codeUnknownSourcePartner,
			fmt.Sprintf("sourcePartnerTenantId %s is not a known partner; provide the current partner's tenant.", in.source))
	}
	orDefault := func(v *string, def string) string {
		if s := strings.TrimSpace(deref(v)); s != "" {
			return s
		}
		return def
	}
	e.w.seq++
	rec := &transferRecord{
		Seq:                   e.w.seq,
		ID:                    uuid.NewString(),
		CustomerTenantID:      customerID,
		Status:                statusPending,
		TransferType:          b.TransferType.value,
		CustomerEmailID:       in.email,
		CustomerName:          orDefault(b.CustomerName, customer.Name),
		SourcePartnerTenantID: source.TenantID,
		SourcePartnerName:     orDefault(b.SourcePartnerName, source.Name),
		SourcePartnerEmailID:  orDefault(b.SourcePartnerEmailID, source.EmailID),
		TargetPartnerTenantID: target,
		TargetPartnerName:     orDefault(b.TargetPartnerName, e.w.partners[target].Name),
		// Stored verbatim: real clients keep their own free text here.
		TargetPartnerEmailID:   deref(b.TargetPartnerEmailID),
		TargetProductTypes:     in.types,
		PartnerOnRecord:        strings.TrimSpace(deref(b.PartnerOnRecord)),
		Participants:           in.partners,
		IgnoreEligibilityCheck: b.IgnoreEligibilityCheck != nil && *b.IgnoreEligibilityCheck,
		CreatedTime:            now,
		LastModifiedTime:       now,
		ExpirationTime:         now.Add(e.opts.PendingExpiry),
		LastModifiedUser:       req.objectID,
		LineItems:              []LineItem{},
	}
	e.w.indexTransfer(rec)
	e.scheduleLocked(rec)
	e.emitLocked(CauseCreate, rec, now)
	return jsonResponse(http.StatusCreated, e.createBody(rec, req.partner))
}

// truncate keeps echoed client input short in error descriptions.
func truncate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
