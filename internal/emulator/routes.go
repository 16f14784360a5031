// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"strings"
)

// apiRequest is an authenticated, routed API call.
type apiRequest struct {
	r *http.Request
	// body is the whole request body, read once before routing decisions.
	body []byte
	// route is the route's stats/fault name.
	route  string
	params map[string]string
	// partner is the caller's partner tenant (canonical), from the token.
	partner string
	// objectID is the caller's service principal, for lastModifiedUser.
	objectID string
}

// route is one API operation. Other files of the package add routes (the
// webhook API) through addRoute.
type route struct {
	method   string
	segments []string
	name     string
	// nameFor, when set, picks the name from the body: one PATCH route is
	// either "submit" or "cancel" depending on what the client sends.
	nameFor func(body []byte) string
	handle  func(req *apiRequest) apiResponse
}

// addRoute registers an authenticated API route. pattern is a path with
// {name} segments, e.g. "/v1/customers/{customerId}/transfers".
func (e *Emulator) addRoute(method, pattern, name string, handle func(req *apiRequest) apiResponse) *route {
	rt := &route{method: method, segments: splitPath(pattern), name: name, handle: handle}
	e.routes = append(e.routes, rt)
	return rt
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

// match finds the route for method and path. pathMatched reports whether
// some route serves the path with another method (405 rather than 404).
func (e *Emulator) match(method, path string) (rt *route, params map[string]string, allowed []string) {
	segs := splitPath(path)
	for _, candidate := range e.routes {
		p, ok := matchSegments(candidate.segments, segs)
		if !ok {
			continue
		}
		if candidate.method != method {
			allowed = append(allowed, candidate.method)
			continue
		}
		return candidate, p, nil
	}
	return nil, nil, allowed
}

func matchSegments(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// routeName is the name a request is counted and matched against faults by.
func (rt *route) routeName(body []byte) string {
	if rt.nameFor != nil {
		return rt.nameFor(body)
	}
	return rt.name
}
