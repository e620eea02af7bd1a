#!/usr/bin/env bash
# Installs everything Handoff needs on a Debian machine: system packages (PHP, PHP-FPM,
# Apache, MariaDB, PostgreSQL, Redis, WordPress, PHPUnit, PHP_CodeSniffer, gettext, Chromium), a
# Python virtualenv, and the other WordPress release for the sandbox (6.8 from Debian 13 on
# Debian 12, 6.1 from Debian 12 on Debian 13) unpacked under var/wordpress/.
# Safe to run again: it only installs what is missing. Nothing is downloaded at run time later.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  php-cli php-mysql php-xml php-mbstring php-curl php-gd php-intl php-zip
  php-fpm apache2
  mariadb-server mariadb-client
  postgresql
  redis-server
  wordpress wordpress-theme-twentytwentythree wordpress-l10n
  phpunit php-codesniffer gettext
  chromium fonts-dejavu-core fonts-noto-cjk poppler-utils
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
)
# Debian 13's own wordpress is 6.8: its default theme too.
if grep -q '^VERSION_CODENAME=trixie' /etc/os-release 2>/dev/null; then
  PACKAGES+=(wordpress-theme-twentytwentyfive)
fi

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
  # The packages would start Apache, PHP-FPM, MariaDB, PostgreSQL and Redis system services;
  # Handoff runs its own private instances on loopback instead, so keep the system ones from
  # starting.
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

# The sandbox's other WordPress release, by package name through a private apt state in
# var/apt/ (the machine's apt sources and state are not touched); nothing once it is there.
fetch_wordpress() {
  .venv/bin/python -m handoff sandbox fetch
}

install_system_packages
install_python
fetch_wordpress
echo "Setup complete."
