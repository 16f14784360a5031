// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-partnercenter is the Terraform provider for
// Microsoft Partner Center partner-to-partner transfers.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cpuprofile"
	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/provider"
)

// version and commit are set by the release build
// (goreleaser -ldflags "-X main.version=... -X main.commit=...").
var (
	version = "dev"
	commit  = ""
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogs()

	stopProfile := cpuprofile.Start("partnercenter") // only with PARTNERCENTER_CPUPROFILE_DIR (the benchmark)
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	newServer := provider.NewServer(buildVersion())
	err := tf6server.Serve("registry.terraform.io/partnercenter-terraform/partnercenter", func() tfprotov6.ProviderServer {
		server, err := newServer()
		if err != nil {
			log.Fatal(err.Error())
		}
		return server
	}, opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}

// buildVersion is the version the provider reports (and sends in its
// User-Agent), with the commit as semver build metadata when known.
func buildVersion() string {
	if len(commit) >= 7 {
		return version + "+" + commit[:7]
	}
	return version
}

// quietSDKLogs turns off the plugin SDK's own trace logs unless the user
// asked for logs. terraform-plugin-log emits them at TRACE by default, so
// every run paid for encoding lines the CLI then discarded: about a third of
// the provider's CPU when applying hundreds of transfers. The provider's own
// logs are unaffected, and TF_LOG or TF_LOG_PROVIDER brings everything back.
func quietSDKLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(name) == "" {
			_ = os.Setenv(name, "OFF")
		}
	}
}
