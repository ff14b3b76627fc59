#!/usr/bin/env bash
# Debian packages the test suite needs. Idempotent: installs only what is missing, so a
# developer machine that already has them pays nothing.
set -euo pipefail
needed=()
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
# GNU time: @cli-optimizer/bench reads CPU time and peak RSS (wait4 rusage) of benchmarked commands.
[ -x /usr/bin/time ] || needed+=(time)
# Runtime metrics tests push to a real Pushgateway they start on a free port.
command -v prometheus-pushgateway >/dev/null 2>&1 || needed+=(prometheus-pushgateway)
if [ ${#needed[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing system packages: ${needed[*]} (run this script as root, or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
