#!/usr/bin/env bash
# Runs the provider's Go tests. Used by the make test targets.
#
# Usage: scripts/ci/go-test.sh all|unit|acc|acc-tofu|acc-next [extra go test args...]
#   all       every test, acceptance tests included (TF_ACC=1), Terraform 1.11.x
#   unit      every test without TF_ACC, so acceptance tests skip themselves
#   acc       acceptance tests only (names starting with TestAcc), Terraform 1.11.x
#   acc-tofu  acceptance tests only, on OpenTofu instead of Terraform
#   acc-next  acceptance tests only, on a test-only Terraform >= 1.14 build
#             (ensure-terraform-next.sh); fails unless every identity and
#             query test (TestAcc*Identity*, TestAcc*Query*) ran and passed,
#             so a version gate that skips them cannot go unnoticed
#   acc-tofu and acc-next run a representative part of the CLI-independent
#   matrices (wire variants, fault profiles); all runs them whole
#   (internal/provider/acc_matrix_test.go).
#
# Environment: TERRAFORM picks the CLI for all/acc, TOFU for acc-tofu,
# TERRAFORM_NEXT for acc-next (see ensure-terraform.sh, ensure-tofu.sh and
# ensure-terraform-next.sh); TESTARGS adds go test flags (for example
# TESTARGS='-run TestAccTransfer -v'); TEST_TIMEOUT overrides 20m.
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
  acc-tofu | acc-next)
    export TF_ACC=1
    run_filter=(-run '^TestAcc')
    # The CLI-independent matrices (wire variants, fault profiles) run
    # whole on the main leg (mode all); the other CLIs run a few cases of
    # each (internal/provider/acc_matrix_test.go).
    export PARTNERCENTER_ACC_MATRIX=representative
    ;;
  *)
    pc_die "go-test: unknown mode '$mode' (want all, unit, acc, acc-tofu or acc-next)"
    ;;
esac

if [ -n "${TF_ACC:-}" ]; then
  if [ "$mode" = acc-tofu ]; then
    cli="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-tofu.sh")"
  elif [ "$mode" = acc-next ]; then
    cli="$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-terraform-next.sh")"
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
if [ "$mode" != acc-next ]; then
  set +e
  go test ./... -count=1 -timeout "${TEST_TIMEOUT:-20m}" "${run_filter[@]}" "${extra[@]}" "$@"
  status=$?
  set -e
  exit "$status"
fi

# acc-next: the tests that need Terraform >= 1.12/1.14 are gated with
# tfversion.SkipBelow, which skips silently on an older CLI. Their names say
# what they need; every one of them must PASS here, not SKIP.
required="$(grep -rhoE '^func TestAcc[A-Za-z0-9_]*(Identity|Query)[A-Za-z0-9_]*\(' --include='*_test.go' internal |
  sed -e 's/^func //' -e 's/($//' | sort -u)"
[ -n "$required" ] || pc_die "go-test: acc-next found no TestAcc*Identity*/TestAcc*Query* tests to require"
log="$(mktemp "${TMPDIR:-/tmp}/go-test-acc-next.XXXXXX")"
set +e
go test ./... -count=1 -v -timeout "${TEST_TIMEOUT:-20m}" "${run_filter[@]}" "${extra[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
missing=()
while read -r name; do
  grep -qE "^[[:space:]]*--- PASS: ${name} " "$log" || missing+=("$name")
done <<<"$required"
pc_log ""
if [ "${#missing[@]}" -gt 0 ]; then
  pc_log "go-test: acc-next: these Terraform >= 1.12/1.14 tests did not PASS on $("$cli" version | sed -n 1p) (skipped, filtered out or failed):"
  printf '  %s\n' "${missing[@]}" >&2
  rm -f "$log"
  exit 1
fi
pc_log "go-test: acc-next: all $(wc -l <<<"$required") identity/query tests passed on $("$cli" version | sed -n 1p): $(tr '\n' ' ' <<<"$required")"
rm -f "$log"
exit "$status"
