# Sourced by the scripts that fetch pinned npm packages (fetch_vnu.sh, update_vendor.sh).
# Needs: npm, openssl, base64.

# npm_pack_verified NAME VERSION INTEGRITY DIR -> prints the path of the tarball of
# NAME@VERSION, packed into DIR with `npm pack` (no node_modules/), after checking it against
# the pinned sha512 INTEGRITY; fails (status 1, the reason on stderr) on a mismatch.
npm_pack_verified() {
    local name="$1" version="$2" integrity="$3" dir="$4"
    local tarball actual
    tarball="$(cd "$dir" && npm pack --silent --pack-destination "$dir" "$name@$version" | tail -n 1)" || return 1
    actual="sha512-$(openssl dgst -sha512 -binary "$dir/$tarball" | base64 | tr -d '\n')"
    if [[ "$actual" != "$integrity" ]]; then
        echo "Integrity mismatch for $name@$version:" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        return 1
    fi
    echo "$dir/$tarball"
}
