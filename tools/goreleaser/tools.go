// SPDX-License-Identifier: MPL-2.0

//go:build tools

// Package goreleaser pins the GoReleaser version used by `make release-check`.
//
// GoReleaser lives in its own module, apart from ../go.mod, because its large
// dependency graph would otherwise raise versions that golangci-lint pins on
// purpose (for example spf13/viper), changing how the linter behaves.
package goreleaser

import (
	_ "github.com/goreleaser/goreleaser/v2"
)
