#!/usr/bin/env bash
# How much `.git` grows per recorded entry when every write is committed (issue #16).
#
#   cargo build --release && benches/git-growth.sh [CYCLES]      # default 1000
#
# Starts a workspace of 3 members in a temp folder, then CYCLES times: record one entry
# (a lead, a note on it, or feedback, in turn) and `git commit` it. Prints the size of
# `.git` (bytes on disk, `du`) before and after `git gc`, per entry, and what the growth
# before gc is made of: the new objects by type (loose, zlib-compressed) and the rest
# (reflogs, git's index). Automatic gc is off, so "before gc" is the same on every run.
set -euo pipefail
cycles=${1:-1000}
growth=${GROWTH:-$(dirname "$0")/../target/release/growth}
growth=$(realpath "$growth")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home NO_COLOR=1 GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name bench && git config --global user.email bench@example.com
git config --global init.defaultBranch main
ws=$tmp/ws
"$growth" init "$ws" --team Bench --timezone UTC >/dev/null
cd "$ws"
"$growth" member add maria --name Maria --dept marketing --leader >/dev/null
"$growth" member add tom --name Tom --dept sales >/dev/null
git init -q . && git config gc.auto 0 && git add -A && git commit -qm start
# Bytes on disk of the objects of each type: "blob N", "tree N", "commit N".
objects() {
  git cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize:disk)' |
    awk '{ n[$1] += $2 } END { for (t in n) print t, n[t] }'
}
objects >"$tmp/objects-start"
start=$(du -sb .git | cut -f1)
t0=$(date +%s.%N)
for i in $(seq 1 "$cycles"); do
  case $((i % 3)) in
    0) "$growth" --as maria lead add "Company $i" --contact "Person $i" --value $((i * 100)) --source webinar -q >/dev/null ;;
    1) "$growth" --as maria feedback "Feedback number $i: the handoff notes could say more" -q >/dev/null ;;
    2) "$growth" --as maria lead edit "company-$((i - 2))" --note "Called, follow up next week ($i)" -q >/dev/null 2>&1 \
         || "$growth" --as maria feedback "More feedback $i" -q >/dev/null ;;
  esac
  git add -A && git commit -qm "entry $i"
done
t1=$(date +%s.%N)
before=$(du -sb .git | cut -f1)
objects >"$tmp/objects-end"
git gc -q --aggressive 2>/dev/null || git gc -q
after=$(du -sb .git | cut -f1)
journal=$(cat journal/*/*.toml | wc -c)
files=$(find journal -name '*.toml' | wc -l)
largest=$(find journal -name '*.toml' -printf '%s\n' | sort -n | tail -1)
awk -v c="$cycles" -v s="$start" -v b="$before" -v a="$after" -v j="$journal" -v f="$files" \
  -v l="$largest" -v t="$(echo "$t1 - $t0" | bc)" '
  FNR == NR { grown[$1] -= $2; next }
  { grown[$1] += $2 }
  END {
    printf "cycles: %d (record + git commit), %.1f s\n", c, t
    printf "journal: %d bytes in %d files (largest %d), %.0f bytes per entry\n", j, f, l, j / c
    printf ".git before gc: %.0f bytes per entry (%.1f MB grown)\n", (b - s) / c, (b - s) / 1e6
    all = grown["blob"] + grown["tree"] + grown["commit"]
    printf "  of which blobs %.0f, trees %.0f, commits %.0f; folders, reflogs, index %.0f\n",
      grown["blob"] / c, grown["tree"] / c, grown["commit"] / c, (b - s - all) / c
    printf ".git after gc:  %.0f bytes per entry\n", (a - s) / c
  }' "$tmp/objects-start" "$tmp/objects-end"
