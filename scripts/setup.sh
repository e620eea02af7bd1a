#!/usr/bin/env bash
# Installs everything Handoff needs on a Debian/Ubuntu machine: system packages (PHP,
# MariaDB, PostgreSQL, Redis, WordPress 6.1, PHPUnit, PHP_CodeSniffer, Chromium) and a
# Python virtualenv.
# Safe to run again: it only installs what is missing. Nothing is downloaded at run time later.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  php-cli php-mysql php-xml php-mbstring php-curl php-gd php-intl php-zip
  mariadb-server mariadb-client
  postgresql
  redis-server
  wordpress wordpress-theme-twentytwentythree wordpress-l10n
  phpunit php-codesniffer
  chromium fonts-dejavu-core fonts-noto-cjk poppler-utils
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
)

missing_packages() {
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || echo "$package"
  done
}

install_system_packages() {
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages:" $missing
  # The packages would start Apache, MariaDB, PostgreSQL and Redis system services; Handoff
  # runs its own private instances on loopback instead, so keep the system ones from starting.
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    created_policy=1
  fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
  [ -n "$created_policy" ] && $sudo rm -f "$policy"
  return 0
}

install_python() {
  local python=${PYTHON:-python3}
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
}

install_system_packages
install_python
echo "Setup complete."
