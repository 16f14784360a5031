// SPDX-License-Identifier: MPL-2.0

package partnercenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Audit records (activity log): GET /v1/auditrecords, see the reference
// "customers, subscriptions, audit" section 4.

// AuditLookback is how far back Partner Center keeps activity records; an
// older startDate is refused with 400.
const AuditLookback = 90 * 24 * time.Hour

// auditMaxWindow is the span of one request. Microsoft's PowerShell module
// queries in 30-day chunks; longer spans are split the same way.
const auditMaxWindow = 30 * 24 * time.Hour

// Audit record vocabulary (snake_case on the wire).
const (
	AuditResourceTransfer = "transfer"
	AuditOpCreateTransfer = "create_transfer"
	AuditOpUpdateTransfer = "update_transfer"
)

// AuditRecord is one activity-log entry. ResourceOldValue and
// ResourceNewValue are the resource serialized as JSON strings.
type AuditRecord struct {
	ID                    string          `json:"id"`
	PartnerID             string          `json:"partnerId"`
	Participants          []string        `json:"participants,omitempty"`
	CustomerID            string          `json:"customerId"`
	CustomerName          string          `json:"customerName"`
	UserPrincipalName     string          `json:"userPrincipalName"`
	ApplicationID         string          `json:"applicationId"`
	ResourceType          string          `json:"resourceType"`
	ResourceOldValue      string          `json:"resourceOldValue"`
	ResourceNewValue      string          `json:"resourceNewValue"`
	OperationType         string          `json:"operationType"`
	OriginalCorrelationID string          `json:"originalCorrelationId"`
	OperationDate         *time.Time      `json:"operationDate"`
	OperationStatus       string          `json:"operationStatus"`
	CustomizedData        []AuditKeyValue `json:"customizedData,omitempty"`
}

// AuditKeyValue is one customizedData entry; values may be null.
type AuditKeyValue struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

// AuditFilter is the documented single filter: CompanyName/substring,
// CustomerId/equals or ResourceType/equals.
type AuditFilter struct {
	Field    string `json:"Field"`
	Value    string `json:"Value"`
	Operator string `json:"Operator"`
}

// AuditRecordQuery selects records. StartDate and EndDate are days (UTC);
// EndDate is inclusive. A zero EndDate leaves the end to the server (now):
// the last request then sends no endDate, so a client clock behind the
// server's never hides the newest records. PageSize 0 leaves the page size
// to the server.
type AuditRecordQuery struct {
	StartDate time.Time
	EndDate   time.Time
	Filter    *AuditFilter
	PageSize  int
}

// ListAuditRecords streams the records of the query, calling each per
// record in the server's order. Spans longer than 30 days are read as
// consecutive 30-day windows, and every window is paged through links.next
// with its MS-ContinuationToken header.
func (c *Client) ListAuditRecords(ctx context.Context, q AuditRecordQuery, each func(AuditRecord) error) error {
	if each == nil {
		return errors.New("partnercenter: ListAuditRecords needs a callback")
	}
	openEnd := q.EndDate.IsZero()
	end := q.EndDate.UTC().Truncate(24 * time.Hour)
	if openEnd {
		end = time.Now().UTC().Truncate(24 * time.Hour)
	}
	start := q.StartDate.UTC().Truncate(24 * time.Hour)
	if end.Before(start) && !openEnd {
		return fmt.Errorf("partnercenter: audit end date %s is before the start date %s", end.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	for from := start; ; from = from.Add(auditMaxWindow) {
		to := from.Add(auditMaxWindow - 24*time.Hour)
		last := !to.Before(end)
		if last {
			to = end
		}
		if err := c.listAuditWindow(ctx, from, to, last && openEnd, q, each); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}

func (c *Client) listAuditWindow(ctx context.Context, from, to time.Time, openEnd bool, q AuditRecordQuery, each func(AuditRecord) error) error {
	u := c.endpointURL(apiVersionSegment, "auditrecords")
	v := url.Values{"startDate": {from.Format(time.DateOnly)}}
	if !openEnd {
		v.Set("endDate", to.Format(time.DateOnly))
	}
	if q.PageSize > 0 {
		v.Set("size", strconv.Itoa(q.PageSize))
	}
	if q.Filter != nil {
		b, err := json.Marshal(q.Filter)
		if err != nil {
			return fmt.Errorf("partnercenter: encode audit filter: %w", err)
		}
		v.Set("filter", string(b))
	}
	u.RawQuery = v.Encode()

	return streamCollection(ctx, c, u, "audit records", each)
}

// AuditTransferState is what a transfer record's resource value says about
// the transfer; the value's property names are PascalCase in Microsoft's
// examples, so they are matched case-insensitively.
type AuditTransferState struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// DecodeAuditTransfer reads the transfer id and status from a record's
// resource value; ok is false when the value is empty or not a transfer.
func DecodeAuditTransfer(value string) (AuditTransferState, bool) {
	var s AuditTransferState
	if strings.TrimSpace(value) == "" || json.Unmarshal([]byte(value), &s) != nil || s.ID == "" {
		return AuditTransferState{}, false
	}
	return s, true
}
