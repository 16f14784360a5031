// SPDX-License-Identifier: MPL-2.0

// Command democtl is the part of scripts/demo.sh that needs more than a
// shell: it turns the emulator's seed into the demo's Terraform variables and
// prints the emulator's request counts. It only needs Go, like the demo.
//
//	democtl env SEED_FILE              prints KEY='value' lines for the shell
//	democtl stats ADMIN_URL            prints GET ADMIN_URL/stats as a table
//	democtl status ADMIN_URL TRANSFER  prints the transfer's status as the emulator holds it
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/emulator"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/loopback"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/partnercenter"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "democtl:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage: democtl env SEED_FILE | democtl stats ADMIN_URL | democtl status ADMIN_URL TRANSFER_ID")

// run executes one command and writes its whole output to out at once.
func run(args []string, out io.Writer) error {
	if len(args) < 2 {
		return errUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var b strings.Builder
	command, target, rest := args[0], args[1], args[2:]
	switch {
	case command == "env" && len(rest) == 0:
		seed, err := emulator.LoadSeed(target)
		if err != nil {
			return err
		}
		vars, err := demoVars(seed)
		if err != nil {
			return err
		}
		for _, kv := range vars {
			fmt.Fprintf(&b, "%s=%s\n", kv[0], shellQuote(kv[1]))
		}
	case command == "stats" && len(rest) == 0:
		var stats emulator.Stats
		if err := getAdmin(ctx, target, "stats", &stats); err != nil {
			return err
		}
		writeStats(&b, stats)
	case command == "status" && len(rest) == 1:
		var state emulator.State
		if err := getAdmin(ctx, target, "state", &state); err != nil {
			return err
		}
		status, err := transferStatus(state, rest[0])
		if err != nil {
			return err
		}
		b.WriteString(status + "\n")
	default:
		return errUsage
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// transferStatus finds a transfer in the emulator's state.
func transferStatus(state emulator.State, id string) (string, error) {
	for _, t := range state.Transfers {
		if strings.EqualFold(t.ID, id) {
			return t.Status, nil
		}
	}
	return "", fmt.Errorf("the emulator holds no transfer %s", id)
}

// demoVars picks the demo's roles from a seed: the first customer with
// subscriptions, the partner that owns them (source) and another partner
// related to the customer (target). The subscriptions submitted are the
// source's license and Azure subscriptions.
func demoVars(seed emulator.Seed) ([][2]string, error) {
	partners := map[string]emulator.Partner{}
	for _, p := range seed.Partners {
		partners[strings.ToLower(p.TenantID)] = p
	}
	for _, c := range seed.Customers {
		if len(c.Subscriptions) == 0 {
			continue
		}
		sourceID := strings.ToLower(c.Subscriptions[0].OwnerPartnerTenantID)
		source, ok := partners[sourceID]
		if !ok || len(source.Apps) == 0 {
			continue
		}
		var target emulator.Partner
		for _, id := range c.PartnerTenantIDs {
			if p, ok := partners[strings.ToLower(id)]; ok && strings.ToLower(id) != sourceID && len(p.Apps) > 0 {
				target = p
				break
			}
		}
		if target.TenantID == "" {
			continue
		}
		var subs []string
		for _, s := range c.Subscriptions {
			if strings.EqualFold(s.OwnerPartnerTenantID, sourceID) &&
				(s.ProductType == partnercenter.ProductOnlineServicesNCE || s.ProductType == partnercenter.ProductAzureSubscription) {
				subs = append(subs, fmt.Sprintf("%q = %q", strings.ToLower(s.ID), s.ProductType))
			}
		}
		if len(subs) == 0 {
			continue
		}
		slices.Sort(subs)
		return [][2]string{
			{"DEMO_CUSTOMER_ID", c.ID},
			{"DEMO_CUSTOMER_NAME", c.Name},
			{"DEMO_CUSTOMER_EMAIL", c.Email},
			{"DEMO_SUBSCRIPTIONS", "{ " + strings.Join(subs, ", ") + " }"},
			{"DEMO_SOURCE_NAME", source.Name},
			{"DEMO_SOURCE_TENANT_ID", source.TenantID},
			{"DEMO_SOURCE_CLIENT_ID", source.Apps[0].ClientID},
			{"DEMO_SOURCE_CLIENT_SECRET", source.Apps[0].ClientSecret},
			{"DEMO_TARGET_NAME", target.Name},
			{"DEMO_TARGET_TENANT_ID", target.TenantID},
			{"DEMO_TARGET_CLIENT_ID", target.Apps[0].ClientID},
			{"DEMO_TARGET_CLIENT_SECRET", target.Apps[0].ClientSecret},
		}, nil
	}
	return nil, errors.New("the seed has no customer with subscriptions owned by one partner with an app and related to another partner with an app")
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// getAdmin decodes GET ADMIN_URL/name of the emulator's admin API into v.
// Only a loopback emulator is accepted. Its CA is trusted through
// SSL_CERT_FILE, which the demo exports.
func getAdmin(ctx context.Context, adminURL, name string, v any) error {
	u, err := url.Parse(strings.TrimSuffix(adminURL, "/") + "/" + name)
	if err != nil {
		return fmt.Errorf("admin URL: %w", err)
	}
	if !loopback.Host(u.Hostname()) {
		return fmt.Errorf("admin URL %s is not a local emulator", adminURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil) //nolint:gosec // G704: checked above to be a loopback address.
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // G704: checked above to be a loopback address.
	if err != nil {
		return fmt.Errorf("reading the emulator's %s: %w", name, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reading the emulator's %s: HTTP %d", name, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(v); err != nil {
		return fmt.Errorf("decoding the emulator's %s: %w", name, err)
	}
	return nil
}

// writeStats renders the request counts as an indented table.
func writeStats(b *strings.Builder, s emulator.Stats) {
	b.WriteString("  requests by operation:\n")
	for _, route := range s.Routes() {
		fmt.Fprintf(b, "    %-24s %5d\n", route, s.Requests[route])
	}
	fmt.Fprintf(b, "  total %d, tokens issued %d, throttled %d, unauthorized %d, replayed %d\n",
		s.Total, s.TokensIssued, s.Throttled, s.Unauthorized, s.Replayed)
}
