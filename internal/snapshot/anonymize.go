// SPDX-License-Identifier: MPL-2.0

package snapshot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
)

// Anonymizer replaces names, domains, e-mail addresses and free text by
// pseudonyms derived from a keyed hash (HMAC-SHA-256): the same text gives
// the same pseudonym under the same key, so a configuration written against
// an anonymized snapshot stays consistent across runs, and without the key
// nobody can test a guess of the original. Ids, offers, quantities, terms,
// statuses and dates are kept (see Customer, Transfer and Partner for the
// exact fields).
type Anonymizer struct {
	key []byte
}

// NewAnonymizer returns an Anonymizer with the given secret key.
func NewAnonymizer(key []byte) *Anonymizer {
	return &Anonymizer{key: append([]byte(nil), key...)}
}

// hash is the first n hex digits of HMAC(key, kind NUL text).
func (a *Anonymizer) hash(kind, text string, n int) string {
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(text))
	return hex.EncodeToString(m.Sum(nil))[:n]
}

// normalName is the text a name is hashed by: case and runs of white space
// do not make two names different (a request's customerName is typed by a
// person; the company profile's is not).
func normalName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// CompanyName is "Customer <10 hex digits>".
func (a *Anonymizer) CompanyName(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return "Customer " + a.hash("name", normalName(s), 10)
}

// PartnerName is "Partner <10 hex digits>".
func (a *Anonymizer) PartnerName(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return "Partner " + a.hash("name", normalName(s), 10)
}

// Domain keeps Microsoft's ".onmicrosoft.com" suffix (it says nothing
// about the customer) and replaces the rest: "d<12 hex>.onmicrosoft.com",
// else "d<12 hex>.example".
func (a *Anonymizer) Domain(s string) string {
	d := strings.ToLower(strings.TrimSpace(s))
	if d == "" {
		return s
	}
	suffix := ".example"
	if strings.HasSuffix(d, ".onmicrosoft.com") {
		suffix = ".onmicrosoft.com"
	}
	return "d" + a.hash("domain", d, 12) + suffix
}

// Email is "u<10 hex>@<anonymized domain>"; text that is not an address is
// replaced as free text.
func (a *Anonymizer) Email(s string) string {
	v := strings.ToLower(strings.TrimSpace(s))
	local, domain, ok := strings.Cut(v, "@")
	if v == "" {
		return s
	}
	if !ok || local == "" || domain == "" {
		return a.Text(s)
	}
	return "u" + a.hash("email", v, 10) + "@" + a.Domain(domain)
}

// Text replaces free text (friendly names, error messages, user names):
// "Text <10 hex>".
func (a *Anonymizer) Text(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	return "Text " + a.hash("text", s, 10)
}

// userOrEmail is lastModifiedUser: an e-mail address or a user name.
func (a *Anonymizer) userOrEmail(s string) string {
	if strings.Contains(s, "@") {
		return a.Email(s)
	}
	return a.Text(s)
}

// Customer replaces name, domain and e-mail, and each subscription's
// friendlyName (and its offerName when it equals the friendlyName); keeps
// ids, relationships and every other subscription field (offer id, a
// distinct offer name, product type, quantity, billing cycle, term, status,
// commitment end date, auto-renew, trial, add-ons).
func (a *Anonymizer) Customer(c emulator.Customer) emulator.Customer {
	c.Name = a.CompanyName(c.Name)
	c.Domain = a.Domain(c.Domain)
	c.Email = a.Email(c.Email)
	c.Subscriptions = a.subscriptions(c.Subscriptions)
	return c
}

func (a *Anonymizer) subscriptions(subs []emulator.Subscription) []emulator.Subscription {
	if subs == nil {
		return nil
	}
	out := make([]emulator.Subscription, len(subs))
	for i, s := range subs {
		// An offer name equal to the friendly name may be the partner's
		// text rather than the catalog's (Partner Center's friendly name
		// defaults to the offer name, and the reverse happens in copies):
		// it is replaced like the friendly name. The offer id stays.
		if strings.EqualFold(strings.TrimSpace(s.OfferName), strings.TrimSpace(s.FriendlyName)) {
			s.OfferName = a.Text(s.FriendlyName)
		}
		s.FriendlyName = a.Text(s.FriendlyName)
		s.AddOns = a.subscriptions(s.AddOns)
		out[i] = s
	}
	return out
}

// Transfer replaces customerName, the partners' names and e-mail
// addresses, lastModifiedUser, and in line items friendlyName and
// transferError; keeps ids, status, type, dates, product types,
// participants, partnerOnRecord (an id), offers, quantities, billing
// cycles, order ids and error codes.
func (a *Anonymizer) Transfer(t emulator.Transfer) emulator.Transfer {
	t.CustomerName = a.CompanyName(t.CustomerName)
	t.CustomerEmailID = a.Email(t.CustomerEmailID)
	t.SourcePartnerName = a.PartnerName(t.SourcePartnerName)
	t.SourcePartnerEmailID = a.Email(t.SourcePartnerEmailID)
	t.TargetPartnerName = a.PartnerName(t.TargetPartnerName)
	t.TargetPartnerEmailID = a.Email(t.TargetPartnerEmailID)
	t.LastModifiedUser = a.userOrEmail(t.LastModifiedUser)
	t.LineItems = a.lineItems(t.LineItems)
	return t
}

func (a *Anonymizer) lineItems(items []emulator.LineItem) []emulator.LineItem {
	if items == nil {
		return nil
	}
	out := make([]emulator.LineItem, len(items))
	for i, li := range items {
		li.FriendlyName = a.Text(li.FriendlyName)
		li.TransferError = a.Text(li.TransferError)
		li.AddonItems = a.lineItems(li.AddonItems)
		out[i] = li
	}
	return out
}
