#!/usr/bin/env bash
# `make demo`: the provider's whole job, end to end, against the local
# Partner Center emulator. Needs only Go and Terraform (or OpenTofu); no
# cloud account, no network.
#
#   1. the target partner creates a transfer request          (examples/demo/target)
#   2. the source partner discovers it, adopts it with an import block,
#      submits the line items and waits until it is Complete  (examples/adoption)
#   3. a second plan in both configurations is empty
#   4. the target partner's refresh shows the transfer Complete
#   5. destroy both: the completed transfer is left untouched
#   6. the emulator's request counts, then everything is cleaned up
#
# Environment: TERRAFORM=<path or name> picks the CLI (default: terraform,
# then tofu). DEMO_KEEP=1 keeps the temporary directory for inspection.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  PATH="/usr/local/go/bin:$PATH"
fi

if [ -t 1 ]; then
  bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' reset=$'\e[0m'
  color_flag=()
else
  bold="" green="" red="" reset=""
  color_flag=(-no-color)
fi

step_name="preparing"
receiver_pid=""
work=""
emulator_pid=""

say() { printf '%s\n' "$*"; }
step() {
  step_name="$1"
  printf '\n%s==> %s%s\n' "$bold" "$1" "$reset"
}
fail() {
  printf '%sdemo: %s%s\n' "$red" "$*" "$reset" >&2
  exit 1
}

cleanup() {
  local status=$?
  if [ -n "$receiver_pid" ] && kill -0 "$receiver_pid" 2>/dev/null; then
    kill "$receiver_pid" 2>/dev/null || true
  fi
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ]; then
    printf '\n%sDEMO FAILED in step "%s" (exit %d).%s\n' "$red" "$step_name" "$status" "$reset" >&2
    if [ -n "$work" ] && [ -s "$work/emulator.log" ]; then
      printf 'Last lines of the emulator log:\n' >&2
      tail -n 20 "$work/emulator.log" >&2 || true
    fi
  fi
  if [ -n "$work" ]; then
    if [ "${DEMO_KEEP:-}" = 1 ]; then
      printf 'Kept %s\n' "$work" >&2
    else
      rm -rf "$work"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- CLI -------------------------------------------------------------------
if [ -n "${TERRAFORM:-}" ]; then
  tf_bin="$(command -v "$TERRAFORM")" || fail "TERRAFORM=$TERRAFORM is not an executable"
elif tf_bin="$(command -v terraform)"; then
  :
elif tf_bin="$(command -v tofu)"; then
  :
else
  fail "neither terraform nor tofu is on PATH (set TERRAFORM=/path/to/cli; 'bash scripts/ci/ensure-tofu.sh' builds OpenTofu with Go)"
fi
command -v go >/dev/null 2>&1 || fail "go is not on PATH"

work="$(mktemp -d "${TMPDIR:-/tmp}/partnercenter-demo.XXXXXX")"
mkdir -p "$work/bin"

step "0/6 Build the provider and the emulator"
say "CLI: $tf_bin ($("$tf_bin" version 2>/dev/null | sed -n 1p))"
go build -o "$work/bin/terraform-provider-partnercenter" .
go build -o "$work/bin/partnercenter-emulator" ./cmd/partnercenter-emulator
go build -o "$work/bin/democtl" ./scripts/demo/democtl
go build -o "$work/bin/partnercenter-webhook-receiver" ./cmd/partnercenter-webhook-receiver
say "built into $work/bin"

# --- Emulator ----------------------------------------------------------------
step "0/6 Start the emulator (example seed, clock 600x: a 5-minute transfer takes 0.5 s)"
seed="examples/emulator/seed.json"
"$work/bin/partnercenter-emulator" -listen 127.0.0.1:0 -seed "$seed" -speed 600 -ca-file "$work/ca.pem" \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!

for _ in $(seq 1 300); do
  grep -q '^PARTNERCENTER_EMULATOR_READY=1$' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator exited during start-up"
  sleep 0.1
done
grep -q '^PARTNERCENTER_EMULATOR_READY=1$' "$work/emulator.out" || fail "the emulator did not report ready within 30 s"

endpoint="" authority="" ca_file="" admin=""
while IFS='=' read -r key value; do
  case "$key" in
    PARTNERCENTER_ENDPOINT) endpoint="$value" ;;
    PARTNERCENTER_AUTHORITY_HOST) authority="$value" ;;
    SSL_CERT_FILE) ca_file="$value" ;;
    PARTNERCENTER_EMULATOR_ADMIN) admin="$value" ;;
  esac
done <"$work/emulator.out"
if [ -z "$endpoint" ] || [ -z "$authority" ] || [ -z "$ca_file" ] || [ -z "$admin" ]; then
  fail "the emulator did not print its endpoint, authority, CA file and admin URL"
fi
say "endpoint  $endpoint"
say "authority $authority"

# The provider (Go) trusts the emulator's CA through SSL_CERT_FILE.
export SSL_CERT_FILE="$ca_file"

# A local receiver for the target partner's transfer notifications; it
# verifies each envelope's signature with the emulator's certificate.
"$work/bin/partnercenter-webhook-receiver" >"$work/webhooks.out" 2>"$work/webhooks.log" &
receiver_pid=$!
for _ in $(seq 1 100); do
  grep -q '^PARTNERCENTER_WEBHOOK_RECEIVER_READY=1$' "$work/webhooks.out" 2>/dev/null && break
  sleep 0.1
done
webhook_url="$(sed -n 's/^PARTNERCENTER_WEBHOOK_URL=//p' "$work/webhooks.out")"
[ -n "$webhook_url" ] || fail "the webhook receiver did not start (see $work/webhooks.log)"
say "webhooks  $webhook_url"

# The roles and credentials of the example seed (public test values).
eval "$("$work/bin/democtl" env "$seed")"
say "customer  $DEMO_CUSTOMER_NAME ($DEMO_CUSTOMER_ID)"
say "target    $DEMO_TARGET_NAME ($DEMO_TARGET_TENANT_ID)"
say "source    $DEMO_SOURCE_NAME ($DEMO_SOURCE_TENANT_ID)"

# --- Terraform set-up ----------------------------------------------------------
# dev_overrides run the provider just built, with no `terraform init` and no
# registry. OpenTofu resolves the same source address on its own registry.
cat >"$work/demo.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/partnercenter-terraform/partnercenter" = "$work/bin"
    "registry.opentofu.org/partnercenter-terraform/partnercenter" = "$work/bin"
  }
  direct {}
}
disable_checkpoint = true
EOF
export TF_CLI_CONFIG_FILE="$work/demo.tfrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

# Credentials come only from the demo's variables: stray Partner Center or
# azurerm settings in this shell must not change which partner signs in.
while IFS= read -r name; do
  case "$name" in
    PARTNERCENTER_* | ARM_* | TF_VAR_*) unset "$name" ;;
  esac
done < <(compgen -e)

# The emulator's clock is fast; poll often so waits end promptly.
export PARTNERCENTER_POLL_INITIAL_INTERVAL=200ms PARTNERCENTER_POLL_MAX_INTERVAL=1s
export TF_VAR_endpoint="$endpoint" TF_VAR_authority_host="$authority" TF_VAR_customer_id="$DEMO_CUSTOMER_ID"

# Work on copies, so no state files land in the repository. The source
# partner runs the documented adoption workflow itself (examples/adoption).
cp -R examples/demo/target "$work/target"
cp -R examples/adoption "$work/source"

# ${a[@]+"${a[@]}"}: an empty array under set -u, also in bash 3.2 (macOS).
common=(-input=false ${color_flag[@]+"${color_flag[@]}"})
# Plans and applies summarise warnings (the dev_overrides notice repeats on
# every command); destroy shows them in full, they are the point there.
quiet=(-compact-warnings)
# tf ROLE ARGS...: runs the CLI in ROLE's directory as that partner.
tf() {
  local role="$1"
  shift
  if [ "$role" = target ]; then
    TF_VAR_tenant_id="$DEMO_TARGET_TENANT_ID" TF_VAR_client_id="$DEMO_TARGET_CLIENT_ID" \
      TF_VAR_client_secret="$DEMO_TARGET_CLIENT_SECRET" \
      TF_VAR_source_partner_tenant_id="$DEMO_SOURCE_TENANT_ID" TF_VAR_source_partner_name="$DEMO_SOURCE_NAME" \
      TF_VAR_customer_email="$DEMO_CUSTOMER_EMAIL" TF_VAR_customer_name="$DEMO_CUSTOMER_NAME" \
      TF_VAR_webhook_url="$webhook_url" \
      "$tf_bin" -chdir="$work/target" "$@"
  else
    TF_VAR_tenant_id="$DEMO_SOURCE_TENANT_ID" TF_VAR_client_id="$DEMO_SOURCE_CLIENT_ID" \
      TF_VAR_client_secret="$DEMO_SOURCE_CLIENT_SECRET" \
      TF_VAR_target_partner_tenant_id="$DEMO_TARGET_TENANT_ID" \
      "$tf_bin" -chdir="$work/source" "$@"
  fi
}

# show_transfer ROLE ADDRESS: the transfer's key attributes from state.
show_transfer() {
  tf "$1" state show -no-color "$2" | grep -E '^    (id|status|transfer_direction|completed_time) +=' || true
}

# expect_empty_plan ROLE: fails unless the plan has no changes.
expect_empty_plan() {
  local status=0
  tf "$1" plan "${common[@]}" "${quiet[@]}" -detailed-exitcode || status=$?
  case "$status" in
    0) say "${green}$1: no changes${reset}" ;;
    2) fail "$1: the plan is not empty" ;;
    *) fail "$1: plan failed (exit $status)" ;;
  esac
}

# --- The demo ------------------------------------------------------------------
step "1/6 Target partner ($DEMO_TARGET_NAME) creates the transfer request"
tf target apply "${common[@]}" "${quiet[@]}" -auto-approve -parallelism=4
transfer_id="$(tf target output -raw transfer_id)"
show_transfer target partnercenter_transfer.northwind
say "${green}request $transfer_id is Pending, waiting for the source partner${reset}"

step "2/6 Source partner ($DEMO_SOURCE_NAME) discovers, adopts (import) and submits the request, then waits"
tf source plan "${common[@]}" "${quiet[@]}" -parallelism=4 -out=tfplan
tf source apply "${common[@]}" "${quiet[@]}" -parallelism=4 tfplan
statuses="$(tf source output -json transfer_statuses)"
case "$statuses" in
  *"\"$transfer_id\":\"Complete\""*) say "${green}transfer $transfer_id is Complete${reset}" ;;
  *) fail "transfer $transfer_id is not Complete at the source partner: $statuses" ;;
esac

say "transfer notifications received by the target partner's webhook (delivery is asynchronous):"
for _ in $(seq 1 100); do
  [ "$(grep -c 'signature=verified' "$work/webhooks.out" || true)" -ge 3 ] && break
  sleep 0.1
done
events="$(grep 'signature=verified' "$work/webhooks.out" || true)"
printf '%s\n' "$events" | sed 's/^/    /'
order="$(printf '%s\n' "$events" | awk '{print $1}' | tr '\n' ' ')"
[ "$order" = "create-transfer update-transfer complete-transfer " ] ||
  fail "webhook events arrived as [$order], want create-transfer update-transfer complete-transfer"

step "3/6 A second plan is empty in both configurations"
expect_empty_plan source
expect_empty_plan target

step "4/6 Target partner refreshes: the request it created is Complete"
tf target apply "${common[@]}" "${quiet[@]}" -refresh-only -auto-approve
target_view="$(show_transfer target partnercenter_transfer.northwind)"
say "$target_view"
grep -q 'status *= *"Complete"' <<<"$target_view" || fail "the target partner does not see the transfer Complete"
say "${green}both partners see transfer $transfer_id Complete${reset}"

step "5/6 Destroy both configurations (a completed transfer cannot be cancelled: state only)"
tf source destroy "${common[@]}" -auto-approve
tf target destroy "${common[@]}" -auto-approve
after="$("$work/bin/democtl" status "$admin" "$transfer_id")"
[ "$after" = Complete ] || fail "after destroy the emulator holds transfer $transfer_id as $after, want Complete"
say "${green}both states are empty; the emulator still holds transfer $transfer_id as $after${reset}"

step "6/6 Emulator request counts (GET ${admin}stats)"
"$work/bin/democtl" stats "$admin"

step_name="stopping the emulator"
kill "$emulator_pid"
wait "$emulator_pid" 2>/dev/null || true
emulator_pid=""
printf '\n%sDemo complete: request created, adopted, submitted and completed; plans empty; destroy left the transfer untouched.%s\n' "$green" "$reset"
