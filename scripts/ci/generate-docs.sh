#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs, offline.
#
# Usage: scripts/ci/generate-docs.sh [--check]
#   --check  also validate the docs and fail if docs/ or examples/ differ from
#            what is committed (used by `make docs-check` and CI)
#
# tfplugindocs downloads Terraform unless a binary named `terraform` is first
# on PATH, and `--tf-version` always downloads, so this puts the CLI chosen by
# ensure-terraform.sh (Terraform or OpenTofu) on PATH under that name. With
# OpenTofu it also exports the schema itself (see below).
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pc_setup_go

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) pc_die "generate-docs: unknown argument '$1' (want --check or nothing)" ;;
esac

scripts="$(dirname "${BASH_SOURCE[0]}")"
tools_bin="$(bash "$scripts/ensure-tools.sh" tfplugindocs)"
cli="$(bash "$scripts/ensure-terraform.sh")"

work="$(mktemp -d "${TMPDIR:-/tmp}/partnercenter-docs.XXXXXX")"
TF_CLI_CONFIG_FILE="$(pc_empty_cli_config)"
export TF_CLI_CONFIG_FILE
trap 'rm -rf "$work" "$TF_CLI_CONFIG_FILE"' EXIT
mkdir "$work/bin"
ln -s "$cli" "$work/bin/terraform"
export PATH="$work/bin:$tools_bin:$PATH"
export CHECKPOINT_DISABLE=1

cd "$PC_REPO_ROOT"
cli_version="$(terraform version | sed -n 1p)"
pc_log "generate-docs: using $cli_version at $cli"

if [ -d examples ]; then
  terraform fmt -recursive examples
fi

# Extra tfplugindocs flags for generate and validate.
schema_args=()
case "$cli_version" in
  OpenTofu*)
    # tfplugindocs declares the provider without a source address, which
    # OpenTofu resolves against registry.opentofu.org and so cannot find in
    # tfplugindocs' plugin directory. Export the schema here with an explicit
    # registry.terraform.io source (the key tfplugindocs looks up) instead.
    pc_log "generate-docs: exporting the provider schema with OpenTofu"
    plugin_dir="$work/schema/plugins/registry.terraform.io/hashicorp/partnercenter/0.0.1/$(go env GOOS)_$(go env GOARCH)"
    go build -o "$plugin_dir/terraform-provider-partnercenter" .
    cat >"$work/schema/main.tf" <<'HCL'
terraform {
  required_providers {
    partnercenter = {
      source = "registry.terraform.io/hashicorp/partnercenter"
    }
  }
}
HCL
    (cd "$work/schema" && terraform init -input=false -no-color -plugin-dir=./plugins >/dev/null &&
      terraform providers schema -json >"$work/schema.json")
    schema_args=(--providers-schema "$work/schema.json")
    ;;
esac
tfplugindocs generate --provider-dir . --provider-name partnercenter "${schema_args[@]}"

if [ "$check" = true ]; then
  # validate logs every file it checks at DEBUG; show that only on failure.
  validate_log="$(mktemp "${TMPDIR:-/tmp}/partnercenter-validate.XXXXXX")"
  if ! tfplugindocs validate --provider-dir . --provider-name partnercenter "${schema_args[@]}" >"$validate_log" 2>&1; then
    cat "$validate_log" >&2
    rm -f "$validate_log"
    pc_die "generate-docs: tfplugindocs validate failed"
  fi
  rm -f "$validate_log"
  pc_log "generate-docs: tfplugindocs validate passed"
  # Untracked files count too: a new resource whose page was never committed.
  changes="$(git status --porcelain --untracked-files=all -- docs examples)"
  if [ -n "$changes" ]; then
    pc_log "generate-docs: docs/ or examples/ are out of date. Run 'make generate' and commit the result:"
    pc_log "$changes"
    git --no-pager diff --stat -- docs examples >&2
    exit 1
  fi
  pc_log "generate-docs: docs/ and examples/ are up to date"
fi
