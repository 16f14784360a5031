#!/usr/bin/env bash
# Fails when the tracked tree holds something a source repository must not:
#   - a binary file (build output committed by accident);
#   - a file over 1 MB outside docs/ (generated documentation may be large);
#   - a Go or shell file without the licence header (see CONTRIBUTING in
#     ARCHITECTURE.md: "// SPDX-License-Identifier: MPL-2.0" in its first lines).
# Each offending file is named. Run `bash scripts/ci/check-tree.sh --fix-headers`
# to add missing headers.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

header_go='// SPDX-License-Identifier: MPL-2.0'
header_sh='# SPDX-License-Identifier: MPL-2.0'
max_bytes=$((1024 * 1024))

if [ "${1:-}" = "--fix-headers" ]; then
  git ls-files -co --exclude-standard '*.go' | while read -r f; do
    [ -f "$f" ] || continue
    head -n 3 "$f" | grep -qF "$header_go" || { printf '%s\n\n' "$header_go" | cat - "$f" >"$f.tmp" && mv "$f.tmp" "$f"; }
  done
  exit 0
fi

bad=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  # git's own test: a NUL byte in the first 8000 bytes means binary.
  if [ -s "$f" ] && [ "$(head -c 8000 "$f" | tr -d '\0' | wc -c)" -ne "$(head -c 8000 "$f" | wc -c)" ]; then
    echo "binary file tracked: $f (build output? add it to .gitignore and git rm --cached it)"
    bad=1
  fi
  size=$(wc -c <"$f")
  case "$f" in
    docs/*) ;;
    *)
      if [ "$size" -gt "$max_bytes" ]; then
        echo "file over 1 MB tracked: $f ($size bytes)"
        bad=1
      fi
      ;;
  esac
  case "$f" in
    *.go)
      head -n 3 "$f" | grep -qF "$header_go" || { echo "missing licence header: $f (want '$header_go' in its first 3 lines; run $0 --fix-headers)"; bad=1; }
      ;;
  esac
done < <(git ls-files -z)

if [ "$bad" -ne 0 ]; then
  exit 1
fi
echo "tree check: $(git ls-files | wc -l) tracked files, no binaries, none over 1 MB outside docs/, every Go file has the MPL-2.0 header"
