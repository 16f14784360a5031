// SPDX-License-Identifier: MPL-2.0

package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/provider"
)

func init() {
	register(scenario{name: "startup", order: 50, title: "Provider start-up (schema served)", usesCLI: true, run: startupScenario})
}

const sectionStartup = "6. Provider start-up (schema served)"

// schemaRuns is how many times each `providers schema` command runs; the
// median is reported.
const schemaRuns = 5

func startupScenario(b *benchEnv) []Result {
	var rows []Result
	b.logf("startup: GetProviderSchema in process")
	perOp, allocs, err := benchmarkSchema()
	if err != nil {
		rows = append(rows, failed(sectionStartup, "GetProviderSchema in process", err))
	} else {
		rows = append(rows, info(sectionStartup, "GetProviderSchema on a new provider server, in process",
			fmt.Sprintf("%s/op, %d allocs/op", shortDuration(perOp), allocs)))
	}
	b.logf("startup: terraform providers schema -json")
	withProvider, base, err := b.measureSchemaCommand()
	if err != nil {
		return append(rows, failed(sectionStartup, "terraform providers schema -json", err))
	}
	return append(rows,
		info(sectionStartup, fmt.Sprintf("terraform providers schema -json, median of %d", schemaRuns),
			fmt.Sprintf("%s with the provider, %s without (built-in provider only)", seconds(withProvider), seconds(base))),
		info(sectionStartup, "provider process start-up + schema (difference)", seconds(withProvider-base)),
	)
}

// benchmarkSchema times what Terraform waits for when it starts the
// provider: a new protocol 6 server answering GetProviderSchema.
func benchmarkSchema() (perOp time.Duration, allocs int64, err error) {
	var failure error
	r := testing.Benchmark(func(b *testing.B) { //nolint:thelper // A benchmark body for testing.Benchmark, not a test helper.
		b.ReportAllocs()
		for b.Loop() {
			server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
			if err != nil {
				failure = err
				return
			}
			resp, err := server.GetProviderSchema(b.Context(), &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				failure = err
				return
			}
			if len(resp.Diagnostics) > 0 || len(resp.ResourceSchemas) == 0 {
				failure = errors.New("the schema came back empty or with diagnostics")
				return
			}
		}
	})
	if failure != nil {
		return 0, 0, failure
	}
	return time.Duration(r.NsPerOp()), r.AllocsPerOp(), nil
}

// measureSchemaCommand times `terraform providers schema -json` with the
// provider and with the built-in provider only; the difference is starting
// the provider's process and reading its schema.
func (b *benchEnv) measureSchemaCommand() (withProvider, base time.Duration, err error) {
	dir := filepath.Join(b.workDir, "startup")
	provDir, baseDir := filepath.Join(dir, "provider"), filepath.Join(dir, "baseline")
	if err := writeFiles(provDir, map[string]string{"main.tf": schemaOnlyConfig()}); err != nil {
		return 0, 0, err
	}
	if err := writeFiles(baseDir, map[string]string{"main.tf": `resource "terraform_data" "x" {}` + "\n"}); err != nil {
		return 0, 0, err
	}
	median := func(dir string) (time.Duration, error) {
		var times []time.Duration
		for range schemaRuns {
			res, err := b.cli.run(b.ctx, dir, nil, "providers", "schema", "-json")
			if err != nil {
				return 0, err
			}
			times = append(times, res.Wall)
		}
		slices.Sort(times)
		return times[len(times)/2], nil
	}
	if withProvider, err = median(provDir); err != nil {
		return 0, 0, err
	}
	if base, err = median(baseDir); err != nil {
		return 0, 0, err
	}
	return withProvider, base, nil
}
