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
  echo "Installing ${#missing[@]} Debian package(s): ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "  apt-get update: reading Debian's package lists" >&2
  $sudo apt-get update -qq
  # -q, not -qq: one line per package downloaded and set up, so a log shows it moving
  echo "  apt-get install: downloading and setting up (a line per package)" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" >&2
}

# The Debian packages policypress needs for the given scopes (build, test), from
# scripts/system-packages.txt (the list `policypress doctor` checks too); installs those dpkg
# lacks. Plain text, so the bootstrap needs nothing but bash before any Python is set up.
ensure_system_packages() {
  local wanted=() scope pkg
  while read -r scope pkg; do
    case "$scope" in "#"*|"") continue ;; esac
    for want in "$@"; do [ "$scope" = "$want" ] && wanted+=("$pkg"); done
  done < scripts/system-packages.txt
  ensure_debian_packages "${wanted[@]}"
}

# .venv with policypress installed (editable) plus the given extras (comma-separated).
# Reinstalls only when pyproject.toml changed or an extra is asked for that is not installed yet,
# so alternating scripts/build and scripts/test needs no network.
ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv" >&2
    python3 -m venv .venv
  fi
  local stamp=.venv/.policypress-installed hash installed_hash="" installed=""
  hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ -f "$stamp" ]; then read -r installed_hash installed < "$stamp" || true; fi
  local want="$extras"
  if [ "$installed_hash" = "$hash" ]; then
    local missing=0 extra
    for extra in ${extras//,/ }; do
      case ",$installed," in *",$extra,"*) ;; *) missing=1 ;; esac
    done
    [ "$missing" -eq 0 ] && return 0
    want="$(printf '%s\n' ${installed//,/ } ${extras//,/ } | sort -u | paste -sd, -)"
  fi
  # Not --quiet: pip names each package as it collects, downloads and installs it, which is
  # the only sign of life for the minutes a first install takes (in a terminal and in CI).
  echo "Installing policypress${want:+[$want]} into .venv (step 1 of 2: pip itself)" >&2
  .venv/bin/python -m pip install --upgrade --progress-bar off pip >&2
  echo "Installing policypress${want:+[$want]} into .venv (step 2 of 2: it and its dependencies;" \
    "a few minutes the first time)" >&2
  .venv/bin/python -m pip install --progress-bar off -e ".${want:+[$want]}" >&2
  echo "Installed policypress${want:+[$want]} into .venv" >&2
  echo "$hash $want" > "$stamp"
}
