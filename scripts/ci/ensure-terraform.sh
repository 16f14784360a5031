#!/usr/bin/env bash
# Prints the path of a Terraform 1.11.x CLI for acceptance tests (one line on
# stdout). It is always Terraform, never OpenTofu: the steps that call it say
# "Terraform", and OpenTofu has its own step (ensure-tofu.sh).
#
# Order:
#   1. $TERRAFORM if set (a path or a name on PATH), used as is;
#   2. `terraform` on PATH, then /usr/local/bin/terraform, if it reports
#      Terraform v1.11.x;
#   3. a Terraform v1.11.4 built earlier by this script (cached);
#   4. otherwise build Terraform v1.11.4, with every backend, from the Go
#      module proxy (about 3 minutes on 2 cores) and cache it.
# If the build fails it stops with an error; it never substitutes another CLI.
# It never downloads a release: CI cannot reach releases.hashicorp.com.
#
# Environment:
#   TERRAFORM          use this binary instead (any version, any vendor)
#   TERRAFORM_VERSION  the 1.11.x release to build (default below)
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pc_exit_with_named_binary ensure-terraform TERRAFORM

# reports_terraform_1_11 BINARY: true when BINARY is Terraform (not OpenTofu)
# at version 1.11.x.
reports_terraform_1_11() {
  local first
  first="$(CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -n 1p)" || return 1
  case "$first" in
    "Terraform v1.11."*) return 0 ;;
  esac
  pc_log "ensure-terraform: skipping $1: it reports '$first', not Terraform v1.11.x"
  return 1
}

for candidate in "$(command -v terraform 2>/dev/null || true)" /usr/local/bin/terraform; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && reports_terraform_1_11 "$candidate"; then
    printf '%s\n' "$candidate"
    exit 0
  fi
done

pc_setup_go

version="$(pc_v_version "${TERRAFORM_VERSION:-v1.11.4}")"
case "$version" in
  v1.11.*) ;;
  *) pc_die "ensure-terraform: TERRAFORM_VERSION=$version: this script builds Terraform 1.11.x only (use ensure-terraform-next.sh for 1.14+)" ;;
esac

# "-r1" is the build recipe revision: bump it when the recipe changes.
out_dir="$PC_CACHE_DIR/terraform/$version-$(go env GOOS)-$(go env GOARCH)-r1"
pc_exit_with_cached_binary "$out_dir/terraform"

pc_log "ensure-terraform: no Terraform v1.11.x found; building Terraform $version (every backend) from the Go module proxy (first run on this machine; cached afterwards)"
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/terraform-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() {
  pc_die "ensure-terraform: cannot build Terraform $version: $*. Install Terraform 1.11.x on PATH or set TERRAFORM=/path/to/terraform."
}

pc_copy_go_module "$work" "github.com/hashicorp/terraform@$version" "$work/src" ||
  fail "github.com/hashicorp/terraform@$version is not on the Go module proxy"
cd "$work/src"

# The module replaces its nested modules (remote-state backends, legacy) with
# ./paths the module zip leaves out. The proxy serves them as pseudo-versions
# of the release commit; put each one where the replace points.
pseudo="${TERRAFORM_NESTED_PSEUDO_VERSION:-}"
if [ -z "$pseudo" ]; then
  case "$version" in
    v1.11.4) pseudo=v0.0.0-20250409131005-35645b8fca68 ;;
    *) fail "no pseudo-version known for the nested modules of $version (set TERRAFORM_NESTED_PSEUDO_VERSION)" ;;
  esac
fi
go mod edit -json | sed -n 's/.*"Path": "\(github.com\/hashicorp\/terraform\/internal\/[^"]*\)".*/\1/p' | sort -u >"$work/nested"
while read -r module; do
  local_path="./${module#github.com/hashicorp/terraform/}"
  grep -q "=> $local_path\$" go.mod || continue
  dir="$(pc_go_module_dir "$work" "$module@$pseudo")"
  [ -n "$dir" ] && [ -d "$dir" ] || fail "nested module $module@$pseudo is not on the Go module proxy"
  rm -rf "$local_path"
  mkdir -p "$(dirname "$local_path")"
  cp -R "$dir" "$local_path"
  chmod -R u+w "$local_path"
done <"$work/nested"

# Go 1.26 rejects this setting, which 1.11.4's go.mod still carries.
go mod edit -dropgodebug=tlskyber

CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
  -o "$work/terraform" . || fail "go build failed (see above)"

reported="$("$work/terraform" version | sed -n 1p)"
[ "$reported" = "Terraform $version" ] || fail "the build reports '$reported'"

mkdir -p "$out_dir"
mv -f "$work/terraform" "$out_dir/terraform.tmp.$$"
mv -f "$out_dir/terraform.tmp.$$" "$out_dir/terraform"
pc_log "ensure-terraform: built Terraform $version in $((SECONDS - start))s"
printf '%s\n' "$out_dir/terraform"
