// SPDX-License-Identifier: MPL-2.0

//go:build tools

// Package tools pins the versions of the command-line tools used to lint,
// and document the provider. It is a separate module so that tool
// dependencies never change the provider's own go.mod. GoReleaser is pinned
// in its own module, tools/goreleaser, for the reason given there.
package tools

import (
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
