#!/usr/bin/env bash
# Publishes next week's growth meeting agenda, for cron (the README names it), e.g.:
#
#   0 7 * * 1  GROWTH_WORKSPACE=~/growth ~/growth/examples/weekly-agenda.sh ~/wiki/growth
#
# It syncs the workspace (commit, pull, check, push), writes the agenda as Markdown and
# HTML into the folder given (created if missing), and exits non-zero if anything failed,
# so cron mails the error. Set GROWTH to the binary if it is not on PATH.
set -euo pipefail

out=${1:?usage: weekly-agenda.sh OUTPUT_FOLDER}
growth=${GROWTH:-growth}
workspace=${GROWTH_WORKSPACE:?set GROWTH_WORKSPACE to the workspace folder}

# Only sync when the workspace is in a git repository with a remote.
if git -C "$workspace" remote 2>/dev/null | grep -q .; then
  "$growth" -C "$workspace" --no-input --quiet sync
fi
date=$("$growth" -C "$workspace" --no-input next --count 1 --format json | sed -n 's/.*"date": "\([0-9-]*\)".*/\1/p' | head -n 1)
"$growth" -C "$workspace" --no-input agenda --date "$date" --format md --output "$out/agenda-$date.md"
"$growth" -C "$workspace" --no-input agenda --date "$date" --format html --output "$out/agenda-$date.html"
# Alerts are news, not failures: print them for the cron mail, keep the exit code 0.
"$growth" -C "$workspace" --no-input check --alerts || [[ $? -eq 3 ]]
