#!/usr/bin/env bash
# Fetch the W3C Nu Html Checker (vnu.jar) for tests/test_valid_html.py, without committing it.
#
#   scripts/fetch_vnu.sh        # prints the path of vnu.jar (fetched once, then cached)
#
# It runs `npm pack vnu-jar@VERSION` into .cache/vnu/ (gitignored), checks the tarball against
# the pinned sha512 integrity below and extracts build/dist/vnu.jar next to it. To update:
# change VERSION and INTEGRITY (both from `npm view vnu-jar@VERSION version dist.integrity`).
# Needs: bash, npm, tar, openssl, base64. The checker itself needs Java 11+ (`java -jar`).
set -euo pipefail

VERSION="26.9.27"
INTEGRITY="sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${VNU_CACHE:-$ROOT/.cache/vnu}/$VERSION"
JAR="$CACHE/vnu.jar"

if [[ -s "$JAR" && -f "$CACHE/INTEGRITY" && "$(cat "$CACHE/INTEGRITY")" == "$INTEGRITY" ]]; then
    echo "$JAR"
    exit 0
fi

mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# shellcheck source=scripts/npm_pack.sh
source "$ROOT/scripts/npm_pack.sh"
tarball="$(npm_pack_verified vnu-jar "$VERSION" "$INTEGRITY" "$WORK")"
tar -xzf "$tarball" -C "$WORK" package/build/dist/vnu.jar
mv "$WORK/package/build/dist/vnu.jar" "$JAR.tmp"
mv "$JAR.tmp" "$JAR"
printf '%s\n' "$INTEGRITY" > "$CACHE/INTEGRITY"
echo "$JAR"
