#!/usr/bin/env bash
# Runs the whole system locally: Azurite (started if not already running) and the functions on http://localhost:7071.
#   --release  a Release build of the host (what the load run measures; Debug is the default for development)
#   --bench    per-caller rate limits lifted for bench/http-load.mjs (never for a shared or deployed host)
# Other arguments go to the host (e.g. --LocalHost:Urls=http://127.0.0.1:7181).
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=Debug
args=()
for arg in "$@"; do
  case "$arg" in
    --release) configuration=Release ;;
    --bench)
      for policy in Registrar Verifier VerificationBatch Anonymous; do
        export "RateLimits__${policy}__Permits=1000000" "RateLimits__${policy}__Window=00:01:00" "RateLimits__${policy}__Burst=1000000"
      done ;;
    *) args+=("$arg") ;;
  esac
done
./scripts/setup.sh
exec dotnet run -c "$configuration" --project src/ELicence.LocalHost -- ${args[@]+"${args[@]}"}
