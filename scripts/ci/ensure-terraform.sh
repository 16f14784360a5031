#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI for acceptance tests (one line
# on stdout).
#
# Order: $TERRAFORM if set (a path or a name on PATH), `terraform` on PATH,
# /usr/local/bin/terraform, `tofu` on PATH, and finally an OpenTofu build from
# scripts/ci/ensure-tofu.sh. It never downloads a Terraform release: CI cannot
# reach releases.hashicorp.com.
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -n "${TERRAFORM:-}" ]; then
  path="$(command -v "$TERRAFORM")" || pc_die "ensure-terraform: TERRAFORM=$TERRAFORM is not an executable"
  printf '%s\n' "$path"
  exit 0
fi

if path="$(command -v terraform)"; then
  printf '%s\n' "$path"
  exit 0
fi

if [ -x /usr/local/bin/terraform ]; then
  printf '%s\n' /usr/local/bin/terraform
  exit 0
fi

if path="$(command -v tofu)"; then
  printf '%s\n' "$path"
  exit 0
fi

pc_log "ensure-terraform: no terraform found; falling back to OpenTofu"
exec bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tofu.sh"
