# Makes Debian's Chromium available for the HTML report test and exports its path.
#
# Source it from bash, as `.ci/run` does:
#
#   . .ci/chromium.sh || exit 1      # exports MINE_REFINE_CHROMIUM
#   pnpm test                        # the report test opens the rendered file in headless Chromium
#
# When /usr/bin/chromium is missing and the shell runs as root, the Debian `chromium` package is
# installed with apt-get. Without root, the script prints what to install and returns 1, and the
# browser test then skips because MINE_REFINE_CHROMIUM stays unset.
# The test opens only local file:// URLs and starts Chromium with background networking, component
# updates and sync turned off.

_mine_refine_chromium_install() {
  local binary=/usr/bin/chromium
  if [ -x "$binary" ]; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    printf 'chromium.sh: %s not found. Install the Debian chromium package, or run as root so that this script installs it.\n' "$binary" >&2
    return 1
  fi
  printf 'chromium.sh: installing chromium with apt-get\n' >&2
  apt-get update >&2 || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2 || return 1
  if [ ! -x "$binary" ]; then
    printf 'chromium.sh: apt-get installed chromium but %s is still missing.\n' "$binary" >&2
    return 1
  fi
}

if _mine_refine_chromium_install; then
  MINE_REFINE_CHROMIUM=/usr/bin/chromium
  export MINE_REFINE_CHROMIUM
  printf 'chromium.sh: %s, MINE_REFINE_CHROMIUM exported.\n' "$("$MINE_REFINE_CHROMIUM" --version 2>/dev/null || echo "version unknown")" >&2
else
  unset MINE_REFINE_CHROMIUM
  return 1 2>/dev/null || exit 1
fi
