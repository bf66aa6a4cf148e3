#!/usr/bin/env bash
# Compiles and lints infra/ with the real Bicep compiler (from NuGet). Warnings fail the check.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore infra/bicep/BicepCompiler.csproj --verbosity quiet >/dev/null
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="$packages/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
chmod +x "$bicep"
# --out DIR keeps the compiled ARM JSON there (the infrastructure tests read it).
keep=""
if [ "${1:-}" = "--out" ]; then keep="$2"; fi
out=$(mktemp -d)
"$bicep" build infra/main.bicep --outdir "$out" 2>&1 | tee "$out/build.log"
"$bicep" lint infra/main.bicep 2>&1 | tee -a "$out/build.log"
if grep -qiE 'warning|error' "$out/build.log"; then
  echo "infra: Bicep reported problems" >&2
  exit 1
fi
echo "infra: main.bicep compiles and lints clean ($(wc -c < "$out/main.json") bytes of ARM JSON)"
if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$out/main.json" "$keep/main.json"; fi
rm -rf "$out"
