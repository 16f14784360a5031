#!/usr/bin/env bash
# Runs the provider's Go tests. Used by the make test targets.
#
# Usage: scripts/ci/go-test.sh all|unit|acc|acc-tofu [extra go test args...]
#   all       every test, acceptance tests included (TF_ACC=1)
#   unit      every test without TF_ACC, so acceptance tests skip themselves
#   acc       acceptance tests only (names starting with TestAcc)
#   acc-tofu  acceptance tests only, on OpenTofu instead of Terraform
#
# Environment: TERRAFORM picks the CLI for all/acc, TOFU for acc-tofu (see
# ensure-terraform.sh and ensure-tofu.sh); TESTARGS adds go test flags (for
# example TESTARGS='-run TestAccTransfer -v'); TEST_TIMEOUT overrides 20m.
#
# go test's own output is left untouched and comes last: CI reads its summary
# lines.
set -euo pipefail

# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pc_setup_go

mode="${1:-}"
[ "$#" -gt 0 ] && shift

run_filter=()
case "$mode" in
  unit)
    unset TF_ACC
    ;;
  all)
    export TF_ACC=1
    ;;
  acc)
    export TF_ACC=1
    run_filter=(-run '^TestAcc')
    ;;
  acc-tofu)
    export TF_ACC=1
    run_filter=(-run '^TestAcc')
    ;;
  *)
    pc_die "go-test: unknown mode '$mode' (want all, unit, acc or acc-tofu)"
    ;;
esac

if [ -n "${TF_ACC:-}" ]; then
  if [ "$mode" = acc-tofu ]; then
    cli="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tofu.sh")"
  else
    cli="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-terraform.sh")"
  fi
  export TF_ACC_TERRAFORM_PATH="$cli"
  # Setting only a version makes terraform-plugin-testing download a release.
  unset TF_ACC_TERRAFORM_VERSION
  # The same tests must pass on Terraform and OpenTofu; both resolve the
  # test provider under this namespace.
  export TF_ACC_PROVIDER_NAMESPACE=hashicorp
  export CHECKPOINT_DISABLE=1
  TF_CLI_CONFIG_FILE="$(pc_empty_cli_config)"
  export TF_CLI_CONFIG_FILE
  trap 'rm -f "$TF_CLI_CONFIG_FILE"' EXIT
  pc_log "go-test: TF_ACC=1 with $("$cli" version | sed -n 1p) at $cli"
else
  pc_log "go-test: unit tests only (TF_ACC unset; acceptance tests skip)"
fi

# TESTARGS is split on whitespace on purpose, like HashiCorp's Makefiles.
# shellcheck disable=SC2206
extra=(${TESTARGS:-})

cd "$PC_REPO_ROOT"
set +e
go test ./... -count=1 -timeout "${TEST_TIMEOUT:-20m}" "${run_filter[@]}" "${extra[@]}" "$@"
status=$?
set -e
exit "$status"
