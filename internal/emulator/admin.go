// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxAdminBodyBytes bounds admin bodies (a customer may carry many subscriptions).
const maxAdminBodyBytes = 16 << 20

// adminRoute is one endpoint of the unauthenticated admin API used by the
// CLI, demo and benchmark from another process.
type adminRoute struct {
	method string
	path   string
	handle func(r *http.Request, body []byte) (int, any)
}

// adminError is the admin API's error body.
type adminError struct {
	Error string `json:"error"`
}

func adminBad(err error) (int, any) { return http.StatusBadRequest, adminError{Error: err.Error()} }

// addAdminRoute registers an admin endpoint under /_emulator/.
func (e *Emulator) addAdminRoute(method, path string, handle func(r *http.Request, body []byte) (int, any)) {
	e.adminRoutes = append(e.adminRoutes, adminRoute{method: method, path: "/_emulator/" + strings.TrimPrefix(path, "/"), handle: handle})
}

// State is the admin view of the emulator.
type State struct {
	Now             time.Time     `json:"now"`
	Speed           float64       `json:"speed"`
	CompletionDelay string        `json:"completionDelay"`
	Partners        []PartnerInfo `json:"partners"`
	Customers       []Customer    `json:"customers"`
	Transfers       []Transfer    `json:"transfers"`
}

// PartnerInfo is a partner without its apps' credentials.
type PartnerInfo struct {
	TenantID  string   `json:"tenantId"`
	Name      string   `json:"name"`
	MpnID     string   `json:"mpnId,omitempty"`
	ClientIDs []string `json:"clientIds,omitempty"`
}

// State returns partners (without credentials), customers with current
// subscription owners and transfers; customerID "" means all customers.
func (e *Emulator) State(customerID string) State {
	if customerID != "" {
		customerID, _ = canonicalGUID(customerID)
	}
	now := e.lock()
	st := State{Now: now, Speed: e.clock.Speed(), CompletionDelay: e.completionDelay.String(),
		Partners: []PartnerInfo{}, Customers: []Customer{}, Transfers: []Transfer{}}
	for _, id := range e.w.partnerOrder {
		p := e.w.partners[id]
		info := PartnerInfo{TenantID: p.TenantID, Name: p.Name, MpnID: p.MpnID}
		for _, a := range p.Apps {
			info.ClientIDs = append(info.ClientIDs, a.ClientID)
		}
		st.Partners = append(st.Partners, info)
	}
	for _, id := range e.w.customerOrder {
		if customerID != "" && id != customerID {
			continue
		}
		c := e.w.customers[id]
		out := c.Customer
		out.Subscriptions = e.w.customerSubscriptions(c)
		st.Customers = append(st.Customers, out)
	}
	for _, rec := range e.w.transfers {
		if customerID == "" || rec.CustomerTenantID == customerID {
			st.Transfers = append(st.Transfers, rec.view())
		}
	}
	e.unlock()
	return st
}

func (e *Emulator) addAdminRoutes() {
	e.addAdminRoute(http.MethodGet, "state", func(r *http.Request, _ []byte) (int, any) {
		return http.StatusOK, e.State(r.URL.Query().Get("customer"))
	})
	e.addAdminRoute(http.MethodGet, "stats", func(*http.Request, []byte) (int, any) { return http.StatusOK, e.Stats() })
	e.addAdminRoute(http.MethodPost, "stats/reset", func(*http.Request, []byte) (int, any) {
		e.ResetStats()
		return http.StatusOK, e.Stats()
	})
	e.addAdminRoute(http.MethodPost, "reset", func(*http.Request, []byte) (int, any) {
		e.Reset()
		return http.StatusOK, map[string]any{"reset": true, "now": e.Now()}
	})
	e.addAdminRoute(http.MethodGet, "clock", func(*http.Request, []byte) (int, any) { return http.StatusOK, e.clockView() })
	e.addAdminRoute(http.MethodPost, "clock/advance", func(_ *http.Request, body []byte) (int, any) {
		var v struct {
			Duration *jsonDuration `json:"duration"`
		}
		if err := decodeAdmin(body, &v); err != nil {
			return adminBad(err)
		}
		if v.Duration == nil || *v.Duration < 0 {
			return adminBad(errors.New(`"duration" is required and must not be negative, e.g. {"duration":"2h"}`))
		}
		e.Advance(time.Duration(*v.Duration))
		return http.StatusOK, e.clockView()
	})
	e.addAdminRoute(http.MethodPost, "clock/speed", func(_ *http.Request, body []byte) (int, any) {
		var v struct {
			Speed *float64 `json:"speed"`
		}
		if err := decodeAdmin(body, &v); err != nil {
			return adminBad(err)
		}
		if v.Speed == nil || *v.Speed < 0 {
			return adminBad(errors.New(`"speed" is required and must not be negative, e.g. {"speed":600}`))
		}
		e.SetSpeed(*v.Speed)
		return http.StatusOK, e.clockView()
	})
	e.addAdminRoute(http.MethodGet, "faults", func(*http.Request, []byte) (int, any) { return http.StatusOK, e.Faults() })
	e.addAdminRoute(http.MethodPost, "faults", func(_ *http.Request, body []byte) (int, any) {
		var faults []Fault
		if err := decodeAdmin(body, &faults); err != nil {
			return adminBad(err)
		}
		for i, f := range faults {
			if err := f.validate(); err != nil {
				return adminBad(fmt.Errorf("fault %d: %w", i, err))
			}
		}
		e.SetFaults(faults...)
		return http.StatusOK, e.Faults()
	})
	e.addAdminRoute(http.MethodGet, "ratelimit", func(*http.Request, []byte) (int, any) { return http.StatusOK, e.limiter.get() })
	e.addAdminRoute(http.MethodPost, "ratelimit", func(_ *http.Request, body []byte) (int, any) {
		var rl RateLimit
		if err := decodeAdmin(body, &rl); err != nil {
			return adminBad(err)
		}
		if err := rl.validate(); err != nil {
			return adminBad(err)
		}
		e.SetRateLimit(rl)
		return http.StatusOK, e.limiter.get()
	})
	e.addAdminRoute(http.MethodPost, "customers", func(_ *http.Request, body []byte) (int, any) {
		var c Customer
		if err := decodeAdmin(body, &c); err != nil {
			return adminBad(err)
		}
		if err := e.AddCustomer(c); err != nil {
			return adminBad(err)
		}
		added, _ := e.Customer(c.ID)
		return http.StatusCreated, added
	})
	e.addAdminRoute(http.MethodPost, "partners", func(_ *http.Request, body []byte) (int, any) {
		var p Partner
		if err := decodeAdmin(body, &p); err != nil {
			return adminBad(err)
		}
		if err := e.AddPartner(p); err != nil {
			return adminBad(err)
		}
		tenant, _ := canonicalGUID(p.TenantID)
		return http.StatusCreated, PartnerInfo{TenantID: tenant, Name: p.Name, MpnID: p.MpnID}
	})
	e.addAdminRoute(http.MethodPost, "outcomes", func(_ *http.Request, body []byte) (int, any) {
		type outcomeBody struct {
			SubscriptionID string `json:"subscriptionId"`
			Outcome
		}
		var list []outcomeBody
		if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
			var one outcomeBody
			if err := decodeAdmin(body, &one); err != nil {
				return adminBad(err)
			}
			list = []outcomeBody{one}
		} else if err := decodeAdmin(body, &list); err != nil {
			return adminBad(err)
		}
		for i, o := range list {
			if _, ok := canonicalGUID(o.SubscriptionID); !ok {
				return adminBad(fmt.Errorf("outcome %d: subscriptionId %q is not a GUID", i, o.SubscriptionID))
			}
		}
		for _, o := range list {
			e.SetSubscriptionOutcome(o.SubscriptionID, o.Outcome)
		}
		return http.StatusOK, map[string]int{"set": len(list)}
	})
	e.addAdminRoute(http.MethodGet, "completion-delay", func(*http.Request, []byte) (int, any) {
		return http.StatusOK, map[string]string{"duration": e.CompletionDelay().String()}
	})
	e.addAdminRoute(http.MethodPost, "completion-delay", func(_ *http.Request, body []byte) (int, any) {
		var v struct {
			Duration   *jsonDuration `json:"duration"`
			TransferID string        `json:"transferId"`
		}
		if err := decodeAdmin(body, &v); err != nil {
			return adminBad(err)
		}
		if v.Duration == nil || *v.Duration < 0 {
			return adminBad(errors.New(`"duration" is required and must not be negative, e.g. {"duration":"10m"}`))
		}
		d := time.Duration(*v.Duration)
		if v.TransferID != "" {
			if err := e.SetTransferCompletionDelay(v.TransferID, d); err != nil {
				return adminBad(err)
			}
			return http.StatusOK, map[string]string{"transferId": v.TransferID, "duration": d.String()}
		}
		e.SetCompletionDelay(d)
		return http.StatusOK, map[string]string{"duration": d.String()}
	})
}

func (e *Emulator) clockView() map[string]any {
	return map[string]any{"now": e.Now(), "speed": e.Speed()}
}

// decodeAdmin decodes strictly: an admin typo should fail loudly.
func decodeAdmin(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("a JSON body is required")
		}
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

// serveAdmin dispatches /_emulator/ requests. Admin calls need no token and
// are not counted, throttled or faulted.
func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, rt := range e.adminRoutes {
		if rt.path != r.URL.Path {
			continue
		}
		if rt.method != r.Method {
			allowed = append(allowed, rt.method)
			continue
		}
		var body []byte
		if r.Method != http.MethodGet {
			b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBodyBytes))
			if err != nil {
				writeAdmin(w, http.StatusRequestEntityTooLarge, adminError{Error: "request body too large or unreadable"})
				return
			}
			body = b
		}
		status, v := rt.handle(r, body)
		writeAdmin(w, status, v)
		return
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeAdmin(w, http.StatusMethodNotAllowed, adminError{Error: "method not allowed"})
		return
	}
	writeAdmin(w, http.StatusNotFound, adminError{Error: "unknown admin endpoint " + r.URL.Path})
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	res := jsonResponse(status, v)
	writeResponse(w, res)
}
