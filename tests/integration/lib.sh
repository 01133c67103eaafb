# lib.sh: helpers for integration tests; source it from a test script.
#
# Contract of an integration test (tests/integration/NN-name.sh):
#   - runs from the repository root, with the lab up;
#   - prints TAP result lines: "ok - description" or "not ok - description",
#     with any diagnostics on lines starting with "# ";
#   - exits 0; a non-zero exit is counted as one extra failure by the runner.
# Environment given by the runner: NETHEALTH (path of the binary under test),
# LAB (the lab folder, default "lab").

: "${LAB:=lab}"
: "${NETHEALTH:=./nethealth}"

ok() { printf 'ok - %s\n' "$*"; }
not_ok() { printf 'not ok - %s\n' "$*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION CMD...: run CMD (output captured); ok if it exits 0.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		diag "command: $*" "$out"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected: $2" "actual:   $3"
	fi
}

# in_lab CMD...: run CMD in the lab's client namespace (resolver, CA set).
in_lab() { "$LAB/exec" "$@"; }
