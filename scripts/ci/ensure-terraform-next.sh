#!/usr/bin/env bash
# Prints the path of a Terraform >= 1.14 CLI (one line on stdout) for the
# acceptance tests of features older Terraform lacks: resource identity
# (1.12), list resources and `terraform query` (1.14).
#
# TEST-ONLY BUILD. CI can reach only the Go module proxy, and the proxy does
# not serve nine nested modules (the remote-state backends azurerm, consul,
# cos, gcs, kubernetes, oci, oss, pg and s3) at the v1.14+ tags. This script
# drops those nine backends from the source and builds the rest. The result is
# an unofficial Terraform binary: the local, remote, http, inmem and cloud
# backends remain, which is all the provider's tests use. Never ship it or use
# it for real infrastructure.
#
# Environment:
#   TERRAFORM_NEXT          use this binary instead (path or name on PATH)
#   TERRAFORM_NEXT_VERSION  tag to build (default below; must be >= v1.14.0 and
#                           resolve on the proxy, e.g. v1.15.x)
#
# The build is cached under $PC_CACHE_DIR/terraform-next, so only the first
# run on a machine pays for it (about 2 minutes on 2 cores).
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pc_exit_with_named_binary ensure-terraform-next TERRAFORM_NEXT

pc_setup_go

version="$(pc_v_version "${TERRAFORM_NEXT_VERSION:-v1.14.9}")"
case "$version" in
  v1.1[4-9].* | v1.[2-9][0-9].* | v[2-9].*) ;;
  *) pc_die "ensure-terraform-next: TERRAFORM_NEXT_VERSION=$version is older than v1.14.0 (list resources and terraform query need 1.14)" ;;
esac

# "-r1" is the build recipe revision: bump it when the patching or the go build
# line changes.
out_dir="$PC_CACHE_DIR/terraform-next/$version-nobackends-$(go env GOOS)-$(go env GOARCH)-r1"
pc_exit_with_cached_binary "$out_dir/terraform"

pc_log "ensure-terraform-next: building a TEST-ONLY Terraform $version from the Go module proxy, without the nine remote-state backends the proxy does not serve (first run on this machine; cached afterwards)"
start=$SECONDS

work="$(mktemp -d "${TMPDIR:-/tmp}/terraform-next-build.XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

pc_copy_go_module "$work" "github.com/hashicorp/terraform@$version" "$work/src" ||
  pc_die "ensure-terraform-next: could not download github.com/hashicorp/terraform@$version from the Go module proxy"
cd "$work/src"

# The backends whose nested modules the proxy lacks at this tag. Their only
# importer is internal/backend/init/init.go.
dropped=(azure consul cos gcs kubernetes oci oss pg s3)
init_go=internal/backend/init/init.go
for name in "${dropped[@]}"; do
  module="github.com/hashicorp/terraform/internal/backend/remote-state/$name"
  go mod edit -dropreplace="$module" -droprequire="$module"
  sed -i "\#\"$module\"#d" "$init_go"
done
sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\.New\(\)/d' "$init_go"
if grep -nE 'remote-state/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"' "$init_go" >&2; then
  pc_die "ensure-terraform-next: $version's $init_go still imports a dropped backend (the recipe needs updating)"
fi

# version.dev=no makes `terraform version` report the release rather than a
# "-dev" build, which terraform-plugin-testing would otherwise parse.
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
  -o "$work/terraform" .

reported="$("$work/terraform" version | sed -n 1p)"
case "$reported" in
  "Terraform ${version}") ;;
  *) pc_die "ensure-terraform-next: the build reports '$reported', expected 'Terraform $version'" ;;
esac

mkdir -p "$out_dir"
mv -f "$work/terraform" "$out_dir/terraform.tmp.$$"
mv -f "$out_dir/terraform.tmp.$$" "$out_dir/terraform"
pc_log "ensure-terraform-next: built test-only Terraform $version in $((SECONDS - start))s"
printf '%s\n' "$out_dir/terraform"
