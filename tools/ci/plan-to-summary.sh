#!/usr/bin/env bash
# Runs `npm run plan -- <args>` with a Markdown report and appends what it found to the job summary
# ($GITHUB_STEP_SUMMARY): the report when the plan wrote one (it does for a policy violation and for a
# failed program too), and on any failure the plan's own error lines, so the reason is on the run's
# page instead of only in the log. Exits with the plan's exit code.
# Usage: tools/ci/plan-to-summary.sh <title> <plan arguments…>
set -u
title=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

npm run -s plan -- "$@" --format "markdown=$work/plan.md" 2>"$work/plan.err"
code=$?
cat "$work/plan.err" >&2

if [ -s "$work/plan.md" ]; then
  cat "$work/plan.md" >>"$summary"
fi
if [ "$code" -ne 0 ]; then
  {
    echo "### ❌ $title: the offline plan failed (exit $code)"
    echo
    echo '```text'
    # The progress lines are noise here; the problems follow them.
    grep -v -e '^› ' -e '^✓ ' "$work/plan.err" | tail -n 80 | sed 's/```/'"'''"'/g'
    echo '```'
  } >>"$summary"
  echo "::error::$title: the offline plan failed (exit $code); the job summary says why"
fi
exit "$code"
