#!/usr/bin/env bash
# Validates .goreleaser.yml, builds an unsigned snapshot release into dist/,
# and checks that the artifacts have the shape the Terraform Registry expects.
#
# Usage: scripts/ci/release-check.sh [--host-only]
#   --host-only  build only the current GOOS/GOARCH (CI: a full snapshot is
#                13 cross-compiles, several minutes on 2 cores). The real
#                config is still validated with `goreleaser check`.
#
# Checks: one <project>_<version>_SHA256SUMS; it lists every zip and the
# registry manifest as <project>_<version>_manifest.json with the hash of
# terraform-registry-manifest.json; zips are named
# <project>_<version>_<os>_<arch>.zip and hold only <project>_v<version>[.exe];
# every binary carries the version injected with -X main.version.
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pc_setup_go

host_only=false
case "${1:-}" in
  "") ;;
  --host-only) host_only=true ;;
  *) pc_die "release-check: unknown argument '$1' (want --host-only or nothing)" ;;
esac

project=terraform-provider-partnercenter
tools_bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh" goreleaser)"
goreleaser="$tools_bin/goreleaser"

cd "$PC_REPO_ROOT"
"$goreleaser" check

config=.goreleaser.yml
if [ "$host_only" = true ]; then
  goos="$(go env GOOS)"
  goarch="$(go env GOARCH)"
  config="$(mktemp "${TMPDIR:-/tmp}/goreleaser-host.XXXXXX.yml")"
  trap 'rm -f "$config"' EXIT
  # Replace the goos and goarch lists of the single build with the host's.
  awk -v os="$goos" -v arch="$goarch" '
    /^    goos:$/ { print; print "      - " os; skip = 1; next }
    /^    goarch:$/ { print; print "      - \"" arch "\""; skip = 1; next }
    skip && /^      - / { next }
    { skip = 0; print }
  ' .goreleaser.yml >"$config"
  if [ "$(grep -c '^    goos:$' "$config")" -ne 1 ] || [ "$(grep -c '^    goarch:$' "$config")" -ne 1 ]; then
    pc_die "release-check: could not narrow .goreleaser.yml to $goos/$goarch (did its layout change?)"
  fi
  pc_log "release-check: snapshot for $goos/$goarch only"
fi

"$goreleaser" release --snapshot --clean --skip=sign --config "$config"

# --- Artifact checks -------------------------------------------------------
fail() {
  pc_die "release-check: $*"
}

shopt -s nullglob
sums=(dist/"${project}"_*_SHA256SUMS)
[ "${#sums[@]}" -eq 1 ] || fail "expected exactly one dist/${project}_<version>_SHA256SUMS, found ${#sums[@]}"
sums_file="${sums[0]}"
version="${sums_file#dist/"${project}"_}"
version="${version%_SHA256SUMS}"

manifest_name="${project}_${version}_manifest.json"
manifest_sum="$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)"
grep -qx "${manifest_sum}  ${manifest_name}" "$sums_file" ||
  fail "$sums_file does not list $manifest_name with the hash of terraform-registry-manifest.json"

zips=(dist/*.zip)
[ "${#zips[@]}" -gt 0 ] || fail "no zip archives in dist/"
for zip in "${zips[@]}"; do
  name="${zip#dist/}"
  [[ "$name" =~ ^${project}_${version//./\\.}_[a-z0-9]+_[a-z0-9]+\.zip$ ]] ||
    fail "archive $name is not named ${project}_${version}_<os>_<arch>.zip"
  grep -q "  ${name}\$" "$sums_file" || fail "$sums_file does not list $name"

  os_arch="${name#"${project}_${version}_"}"
  os="${os_arch%%_*}"
  want="${project}_v${version}"
  [ "$os" = windows ] && want="${want}.exe"
  if command -v unzip >/dev/null 2>&1; then
    entries="$(unzip -Z1 "$zip")"
    [ "$entries" = "$want" ] || fail "$name should contain only $want, has: $entries"
  fi
done
(cd dist && grep '\.zip$' "${sums_file#dist/}" | sha256sum -c --quiet) ||
  fail "zip checksums do not match $sums_file"

if [ "$host_only" = false ]; then
  for platform in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64 windows_arm64 freebsd_amd64 freebsd_arm64; do
    [ -f "dist/${project}_${version}_${platform}.zip" ] || fail "missing archive for $platform"
  done
fi

binaries=(dist/*/"${project}"_v*)
[ "${#binaries[@]}" -eq "${#zips[@]}" ] || fail "expected one binary per archive, found ${#binaries[@]} for ${#zips[@]}"
# -trimpath keeps -ldflags out of the build info, so look for the injected
# string itself; "dev" (the default in main.go) would not contain it.
for bin in "${binaries[@]}"; do
  grep -qaF -- "$version" "$bin" || fail "$bin does not contain its version $version (-X main.version missing?)"
done

pc_log "release-check: ${#zips[@]} archive(s), SHA256SUMS and manifest for version $version look right"
