// Command terraform-provider-partnercenter is the Terraform provider for
// Microsoft Partner Center partner-to-partner transfers.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/provider"
)

// version is set by the release build (goreleaser -ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/partnercenter-terraform/partnercenter",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
