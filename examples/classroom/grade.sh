#!/usr/bin/env bash
# grade.sh: labcheck in a GitHub Classroom assignment repository.
#
#   ./grade.sh            replay the student's submission on a fresh cluster
#                         (once per push) and keep the report in .labcheck/
#   ./grade.sh item ID    pass (exit 0) when rubric item ID earned all its
#                         points in that report; print why not otherwise
#
# The workflow runs the first form once, then the second once per rubric
# item under autograding-command-grader, which turns each exit status into
# that item's points. Replaying once matters: a replay starts a real
# three-node swarm, and the items must all judge the same run.
set -euo pipefail
cd "$(dirname "$0")"

out=.labcheck
# labcheck names reports after the student (a "Student:" line in the
# submission) or the file; grade() renames them to these.
report=$out/report.json
# The names a student may give the submission, in the order they are
# looked for; the first that exists is graded.
candidates=(submission.md submission.txt submission.sh)

grade() {
	local sub=""
	for f in "${candidates[@]}"; do
		if [ -f "$f" ]; then
			sub=$f
			break
		fi
	done
	rm -rf "$out"
	mkdir -p "$out"
	if [ -z "$sub" ]; then
		echo "No submission found: commit your work as one of ${candidates[*]}." >&2
		return 1
	fi
	echo "Grading $sub with $(labcheck version 2>&1)"
	# LABCHECK_FLAGS is for the instructor (--lab, --node-image,
	# --replay-timeout); word splitting is intended. The batch summary
	# labcheck prints is left out: the text report below says more.
	local status=0
	# shellcheck disable=SC2086
	labcheck grade ${LABCHECK_FLAGS:-} --job-summary=false \
		--format json,text,md --out "$out" "$sub" >/dev/null || status=$?
	local f
	for f in "$out"/*.json "$out"/*.md "$out"/*.txt; do
		case $f in
		*/summary.txt | */report.*) ;;
		*) [ -f "$f" ] && mv "$f" "$out/report.${f##*.}" ;;
		esac
	done
	if [ -f "$out/report.txt" ]; then
		echo
		cat "$out/report.txt"
	fi
	# The Markdown report is the student's feedback: put it on the run's
	# summary page, where GitHub shows it without opening the log.
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/report.md" ]; then
		cat "$out/report.md" >>"$GITHUB_STEP_SUMMARY"
	fi
	return "$status"
}

item() {
	local id=$1
	if [ ! -f "$report" ]; then
		echo "$id: not graded: there is no report ($report). The grading step did not run or failed before writing one: see its log."
		return 1
	fi
	if ! jq -e --arg id "$id" 'any(.items[]; .id == $id)' "$report" >/dev/null; then
		echo "$id: the lab has no rubric item of that name (the workflow and the lab disagree: ask your instructor)."
		return 1
	fi
	jq -r --arg id "$id" '
		.items[] | select(.id == $id) |
		"\(.status | ascii_upcase)  \(.awarded)/\(.points)  \(.id): \(.title)",
		(if .reason != "" then "\n" + .reason else empty end),
		(if .evidence != "" then "\nEvidence:\n" + .evidence else empty end),
		(if .firstHeld != "" then "\nFirst held after " + .firstHeld + "." else empty end),
		(if .hint != "" and (.status == "fail" or .status == "error") then "\nHint: " + .hint else empty end)
	' "$report"
	if ! jq -e '.completed' "$report" >/dev/null; then
		echo
		echo "Not scored: grading did not complete ($(jq -r '.error' "$report")). Push again, or ask your instructor."
		return 1
	fi
	jq -e --arg id "$id" 'any(.items[]; .id == $id and .awarded >= .points)' "$report" >/dev/null
}

case "${1:-}" in
"") grade ;;
item)
	[ $# -eq 2 ] || { echo "usage: $0 item ID" >&2; exit 2; }
	item "$2"
	;;
*)
	echo "usage: $0 [item ID]" >&2
	exit 2
	;;
esac
