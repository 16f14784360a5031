# shellcheck shell=bash
# Shared helpers for the scripts in scripts/ci/. Source it; do not run it.
#
# Everything here writes diagnostics to stderr so that callers can capture a
# script's stdout (a path) with "$(...)".

# Directory of the repository checkout, independent of the caller's cwd.
PC_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PC_REPO_ROOT

# Built tools are cached per machine, keyed by version, so a second CI run
# (or a developer's second `make lint`) does not rebuild them.
PC_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-partnercenter"
export PC_CACHE_DIR

pc_log() {
  printf '%s\n' "$*" >&2
}

pc_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The Go toolchain may be installed but not on PATH (CI images put it in
# /usr/local/go). Prefer an existing `go`, then add GOPATH/bin for tools.
pc_setup_go() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
    PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null 2>&1 || pc_die "go not found on PATH or in /usr/local/go/bin"
  PATH="$(go env GOPATH)/bin:$PATH"
  export PATH
}

# Short, stable hash of stdin plus the Go version and platform, used as a
# cache key so that changing a pin or upgrading Go rebuilds the tool.
pc_cache_key() {
  { cat; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-16
}

# Terraform and OpenTofu read TF_CLI_CONFIG_FILE at start-up and OpenTofu fails
# when it names a missing file. Tests and doc generation must also not pick up
# a developer's dev_overrides or credentials, so they get a fresh empty file.
# Prints the file's path; the caller removes it.
pc_empty_cli_config() {
  local file
  file="$(mktemp "${TMPDIR:-/tmp}/partnercenter-tfrc.XXXXXX")"
  printf '%s\n' "$file"
}

# The ensure-*.sh scripts print one binary's path and exit as soon as they
# have one: the binary the caller named, or one built on an earlier run.

# pc_exit_with_named_binary SCRIPT VAR: when the variable VAR is set, prints
# the path of the executable it names and exits; a value that names no
# executable is fatal.
pc_exit_with_named_binary() {
  local script="$1" var="$2" value="${!2:-}" path
  [ -n "$value" ] || return 0
  path="$(command -v "$value")" || pc_die "$script: $var=$value is not an executable"
  printf '%s\n' "$path"
  exit 0
}

# pc_exit_with_cached_binary PATH: when PATH is an executable (built on an
# earlier run), prints it and exits.
pc_exit_with_cached_binary() {
  if [ -x "$1" ]; then
    printf '%s\n' "$1"
    exit 0
  fi
}

# pc_v_version VERSION: prints VERSION with the leading "v" Go module tags use.
pc_v_version() {
  case "$1" in
    v*) printf '%s\n' "$1" ;;
    *) printf 'v%s\n' "$1" ;;
  esac
}

# pc_go_module_dir WORK MODULE@VERSION: prints the module's directory in the
# Go module cache, downloading it from the proxy first; nothing when the
# proxy lacks it. WORK is an empty directory, so no go.mod is touched.
pc_go_module_dir() {
  (cd "$1" && GOFLAGS=-mod=mod go mod download -json "$2" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
}

# pc_copy_go_module WORK MODULE@VERSION DEST: copies the module's source to
# DEST, writable (the module cache is read-only) so a build can patch it or
# write into it; fails when the proxy lacks the module.
pc_copy_go_module() {
  local src
  src="$(pc_go_module_dir "$1" "$2")"
  [ -n "$src" ] && [ -d "$src" ] || return 1
  cp -R "$src" "$3" &&
  chmod -R u+w "$3"
}
