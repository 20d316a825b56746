#!/usr/bin/env bash
# How much `.git` grows per recorded entry when every write is committed (issue #16).
#
#   cargo build --release && benches/git-growth.sh [CYCLES]      # default 1000
#
# Starts a workspace of 3 members in a temp folder, then CYCLES times: record one entry
# (a lead, a note on it, or feedback, in turn) and `git commit` it. Prints the size of
# `.git` (bytes on disk, `du`) before and after `git gc`, per entry.
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
git init -q . && git add -A && git commit -qm start
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
git gc -q --aggressive 2>/dev/null || git gc -q
after=$(du -sb .git | cut -f1)
journal=$(cat journal/*/*.toml | wc -c)
files=$(find journal -name '*.toml' | wc -l)
awk -v c="$cycles" -v s="$start" -v b="$before" -v a="$after" -v j="$journal" -v f="$files" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {
  printf "cycles: %d (record + git commit), %.1f s\n", c, t
  printf "journal: %d bytes in %d files, %.0f bytes per entry\n", j, f, j / c
  printf ".git before gc: %.0f bytes per entry (%.1f MB grown)\n", (b - s) / c, (b - s) / 1e6
  printf ".git after gc:  %.0f bytes per entry\n", (a - s) / c
}'
