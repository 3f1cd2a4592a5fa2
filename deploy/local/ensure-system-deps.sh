#!/usr/bin/env bash
# Installs the PostgreSQL and RabbitMQ packages (and the tools tests run, e.g. Prometheus) the local tooling runs (Debian/Ubuntu, apt) when
# they are missing. Idempotent, and instant when everything is there. It only installs: it never
# starts, stops or enables system services (a temporary policy-rc.d keeps the packages' scripts
# from starting them), and the throwaway servers run from the package binaries, not as services.
#
# Skipped for what HUB_DATABASE_URL / HUB_AMQP_URL already provide (then only psql is needed,
# for test databases).
set -euo pipefail

packages=()
if [[ -n ${HUB_DATABASE_URL:-} ]]; then
  command -v psql >/dev/null || packages+=(postgresql-client)
elif ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  packages+=(postgresql)
fi
if [[ -z ${HUB_AMQP_URL:-} && ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
  packages+=(rabbitmq-server)
fi
# Tools tests run, one per line: `command package` (the command shows whether it is installed).
while read -r cmd pkg; do
  command -v "$cmd" >/dev/null || packages+=("$pkg")
done <<'TOOLS'
promtool prometheus
openssl openssl
chromium chromium
TOOLS
((${#packages[@]} == 0)) && exit 0

if ! command -v apt-get >/dev/null; then
  echo "ensure-system-deps: missing ${packages[*]}, and there is no apt-get here; install them," >&2
  echo "or point HUB_DATABASE_URL / HUB_AMQP_URL at existing servers." >&2
  exit 1
fi
as_root=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "ensure-system-deps: installing ${packages[*]} needs root or sudo" >&2; exit 1; }
  as_root=(sudo)
fi

echo "ensure-system-deps: installing ${packages[*]}" >&2
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  # "action forbidden by policy": package scripts may not start services while we install.
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o DPkg::Lock::Timeout=300 "${packages[@]}"
