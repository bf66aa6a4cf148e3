#!/usr/bin/env bash
# Builds every project, then runs every test: the Bicep compile of infra/, the OpenAPI document, unit tests of the core and integration tests against Azurite (each test host starts its own).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/check-infra.sh
node tests/tools/validate-openapi.mjs docs/openapi.yaml
log=$(mktemp)
status=0
# Build every project of the solution first (the benchmarks too, which no test references), then test what was built.
dotnet build ELicence.sln -nologo
dotnet test ELicence.sln --no-build "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)!  - Failed:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
