#!/usr/bin/env bash
# Runs the whole system locally: Azurite (started if not already running) and the functions on http://localhost:7071.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec dotnet run --project src/ELicence.LocalHost -- "$@"
