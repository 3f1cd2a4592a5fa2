#!/usr/bin/env bash
# npm start: install what is missing, build, and run the whole hub with its demo (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/local/ensure-system-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies…"
  npm ci --no-audit --no-fund
fi
echo "Building…"
npx lerna run build --loglevel=warn >/dev/null
exec node deploy/dist/demo/demo.launcher.js
