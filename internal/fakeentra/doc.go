// SPDX-License-Identifier: MPL-2.0

// Package fakeentra is an in-process fake of the parts of Microsoft Entra ID
// (Azure AD) that app-only Partner Center clients use: OpenID discovery, the v1
// and v2 token endpoints for the client-credentials grant (client secret,
// certificate-signed client assertion, or federated workload-identity token),
// and validation of the access tokens it issues.
//
// It is wire-compatible enough for azidentity/MSAL configured with a custom
// authority host and DisableInstanceDiscovery, so provider tests and the
// Partner Center emulator exercise the real credential code paths.
package fakeentra
