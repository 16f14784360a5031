#!/usr/bin/env bash
# Builds the pinned developer tools from tools/ into a per-machine cache and
# prints the directory that holds them (one line on stdout).
#
# Usage: scripts/ci/ensure-tools.sh [golangci-lint] [tfplugindocs] [goreleaser]
# With no arguments it builds golangci-lint and tfplugindocs; goreleaser takes
# a few minutes to build, so it is built only when asked for.
#
# Versions come from tools/go.mod (golangci-lint, tfplugindocs) and
# tools/goreleaser/go.mod (goreleaser). The cache key covers those files and
# the Go version, so bumping a pin rebuilds exactly that tool.
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pc_setup_go

tools_dir="$PC_REPO_ROOT/tools"

# Bump when the build recipe below changes (flags, ldflags) so cached
# binaries built the old way are rebuilt.
recipe=2

# build_tool NAME MODULE_DIR PACKAGE MODULE_PATH
# MODULE_PATH is the module whose version is stamped into the binary so that
# `NAME --version` reports the pinned release rather than "(devel)".
build_tool() {
  local name="$1" module_dir="$2" package="$3" module_path="$4"
  local key bin_dir version
  key="$(cd "$module_dir" && { echo "recipe=$recipe"; cat go.mod go.sum; } | pc_cache_key)"
  bin_dir="$PC_CACHE_DIR/tools/$name-$key"
  if [ -x "$bin_dir/$name" ]; then
    printf '%s\n' "$bin_dir"
    return
  fi

  version="$(cd "$module_dir" && go list -m -f '{{.Version}}' "$module_path")"
  pc_log "ensure-tools: building $name $version (first run on this machine; cached afterwards)"
  mkdir -p "$bin_dir"
  local start=$SECONDS
  local ldflags="-s -w"
  case "$name" in
    golangci-lint) ldflags+=" -X main.version=${version#v}" ;;
    tfplugindocs) ldflags+=" -X github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs/build.version=${version#v}" ;;
    goreleaser) ldflags+=" -X main.version=${version#v} -X main.builtBy=tools/goreleaser" ;;
  esac
  # Build to a temporary name and rename, so an interrupted build never leaves
  # a truncated binary that later runs would trust.
  (cd "$module_dir" && GOFLAGS=-mod=readonly go build -trimpath -buildvcs=false \
    -ldflags "$ldflags" -o "$bin_dir/$name.tmp.$$" "$package")
  mv -f "$bin_dir/$name.tmp.$$" "$bin_dir/$name"
  pc_log "ensure-tools: built $name in $((SECONDS - start))s"
  printf '%s\n' "$bin_dir"
}

if [ "$#" -eq 0 ]; then
  set -- golangci-lint tfplugindocs
fi

# All tools go into one directory so callers can put a single entry on PATH.
# It is keyed by every pin, so checkouts with different pins on one machine do
# not overwrite each other's links.
out_dir="$PC_CACHE_DIR/bin-$(cd "$tools_dir" && { echo "recipe=$recipe"; cat go.mod go.sum goreleaser/go.mod goreleaser/go.sum; } | pc_cache_key)"
mkdir -p "$out_dir"
for tool in "$@"; do
  case "$tool" in
    golangci-lint)
      dir="$(build_tool golangci-lint "$tools_dir" \
        github.com/golangci/golangci-lint/v2/cmd/golangci-lint github.com/golangci/golangci-lint/v2)"
      ;;
    tfplugindocs)
      dir="$(build_tool tfplugindocs "$tools_dir" \
        github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs github.com/hashicorp/terraform-plugin-docs)"
      ;;
    goreleaser)
      dir="$(build_tool goreleaser "$tools_dir/goreleaser" \
        github.com/goreleaser/goreleaser/v2 github.com/goreleaser/goreleaser/v2)"
      ;;
    *)
      pc_die "ensure-tools: unknown tool '$tool' (want golangci-lint, tfplugindocs or goreleaser)"
      ;;
  esac
  # Replace the link atomically; another run may be using it right now.
  ln -sfn "$dir/$tool" "$out_dir/.$tool.$$"
  mv -Tf "$out_dir/.$tool.$$" "$out_dir/$tool"
done

printf '%s\n' "$out_dir"
