#!/usr/bin/env bash
# Runs every test: the Bicep compile of infra/, the OpenAPI document, unit tests of the core and integration tests against Azurite (each test host starts its own).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/check-infra.sh
node tests/tools/validate-openapi.mjs docs/openapi.yaml
log=$(mktemp)
status=0
dotnet test ELicence.sln "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)!  - Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
