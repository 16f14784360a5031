// SPDX-License-Identifier: MPL-2.0

// Command floorprovider is the benchmark's floor: the smallest
// terraform-plugin-framework provider that manages transfer requests with
// the same client, authentication and HTTP stack as the real provider
// (internal/partnercenter, internal/auth), and no rules: a create is one
// POST (after one list of the customer's transfers with
// list_before_create, so it sends what the real provider's create sends),
// a read one GET, a delete one cancel PATCH. What it costs per resource is
// what any framework provider pays; the bench measures the real provider
// against it. It is built by cmd/partnercenter-bench, never released.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/cpuprofile"
)

func main() {
	// As the real provider's main does: the SDK's own trace logs off
	// unless asked for, so both pay the same for logging.
	if os.Getenv("TF_LOG") == "" && os.Getenv("TF_LOG_PROVIDER") == "" {
		for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
			if os.Getenv(name) == "" {
				_ = os.Setenv(name, "OFF")
			}
		}
	}
	stopProfile := cpuprofile.Start("floor")
	err := providerserver.Serve(context.Background(), newProvider, providerserver.ServeOpts{
		Address: "registry.terraform.io/partnercenter-terraform/floor",
	})
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}
