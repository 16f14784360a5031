// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Provider start-up benchmarks: `go test -run '^$' -bench BenchmarkProviderSchema -benchmem ./internal/provider`.
// `make bench` reports the same figure and the whole process start-up
// through the CLI (`terraform providers schema -json`).

// BenchmarkProviderSchema measures what Terraform waits for after starting
// the provider's process: a new protocol 6 server answering
// GetProviderSchema, which builds every schema for the first time.
func BenchmarkProviderSchema(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		server, err := providerserver.NewProtocol6WithError(New("bench")())()
		if err != nil {
			b.Fatal(err)
		}
		checkSchema(b, server)
	}
}

// BenchmarkProviderSchemaServed measures GetProviderSchema on a server that
// has already answered once: Terraform asks every provider process for it.
func BenchmarkProviderSchemaServed(b *testing.B) {
	server, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	checkSchema(b, server)
	b.ReportAllocs()
	for b.Loop() {
		checkSchema(b, server)
	}
}

// checkSchema fails the benchmark unless the schema comes back complete, so
// a broken schema is never timed as a fast one.
func checkSchema(b *testing.B, server tfprotov6.ProviderServer) {
	b.Helper()
	resp, err := server.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		b.Fatalf("schema diagnostics: %v", resp.Diagnostics[0].Summary)
	}
	if resp.ResourceSchemas["partnercenter_transfer"] == nil || resp.DataSourceSchemas["partnercenter_transfers"] == nil {
		b.Fatal("the schema lacks the transfer resource or the transfers data source")
	}
}
