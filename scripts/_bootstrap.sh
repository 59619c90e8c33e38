# Shared set-up for scripts/build, scripts/test and scripts/bench (sourced, not run).
# Installs only what is missing, so the second run is quick and works offline.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NO_MKDOCS_2_WARNING=1

# Debian packages, installed with apt-get when any is missing (we run as root on CI machines).
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# .venv with policypress installed (editable) plus the given extras; reinstalls when
# pyproject.toml or the extras change.
ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv" >&2
    python3 -m venv .venv
  fi
  local want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1) ${extras}"
  if [ "$(cat .venv/.policypress-installed 2>/dev/null)" != "$want" ]; then
    echo "Installing policypress${extras:+[$extras]} into .venv" >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >&2
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}" >&2
    echo "$want" > .venv/.policypress-installed
  fi
}
