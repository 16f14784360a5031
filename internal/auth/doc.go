// SPDX-License-Identifier: MPL-2.0

// Package auth turns provider configuration (attributes plus ARM_*/PARTNERCENTER_*
// environment variables) into a refreshing bearer-token source for the Partner
// Center API, validating the configuration first so users get actionable
// diagnostics instead of opaque token errors.
package auth
