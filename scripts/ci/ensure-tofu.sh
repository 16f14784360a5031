#!/usr/bin/env bash
# Prints the path of an OpenTofu binary (one line on stdout), building the
# pinned release from the Go module proxy on first use and caching it.
#
# Environment:
#   TOFU              use this binary instead (path or name on PATH)
#   OPENTOFU_VERSION  release to build (default below); must exist on the proxy
#
# OpenTofu publishes no Go-installable binary and CI can reach only the Go
# module proxy, so this downloads the module source, copies it somewhere
# writable and runs `go build ./cmd/tofu` (about 3 minutes on 2 cores).
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pc_exit_with_named_binary ensure-tofu TOFU

pc_setup_go

version="$(pc_v_version "${OPENTOFU_VERSION:-v1.12.6}")"

# "-r1" is the build recipe revision: bump it when the go build line changes.
out_dir="$PC_CACHE_DIR/opentofu/$version-$(go env GOOS)-$(go env GOARCH)-r1"
pc_exit_with_cached_binary "$out_dir/tofu"

pc_log "ensure-tofu: building OpenTofu $version from the Go module proxy (first run on this machine; cached afterwards)"
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/opentofu-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

pc_copy_go_module "$work" "github.com/opentofu/opentofu@$version" "$work/src" ||
  pc_die "ensure-tofu: could not download github.com/opentofu/opentofu@$version"

# The version flag makes `tofu version` report the release instead of a
# "-dev" build, which terraform-plugin-testing would otherwise parse.
(cd "$work/src" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
  -o "$work/tofu" ./cmd/tofu)

mkdir -p "$out_dir"
mv -f "$work/tofu" "$out_dir/tofu.tmp.$$"
mv -f "$out_dir/tofu.tmp.$$" "$out_dir/tofu"
pc_log "ensure-tofu: built OpenTofu $version in $((SECONDS - start))s"
printf '%s\n' "$out_dir/tofu"
