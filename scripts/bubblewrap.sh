#!/usr/bin/env bash
# bubblewrap (bwrap), the sandbox every repository command runs in (docs/decisions/0010-sandbox.md).
#
#   scripts/bubblewrap.sh ensure   install it with apt when missing, then check that a sandbox starts here
#
# Progress goes to stderr. Exit 0 when bwrap works; otherwise 1 with the reason (the services would then refuse
# repository commands unless Sandbox:Mode=none).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

log() { printf 'bubblewrap: %s\n' "$*" >&2; }
die() { printf 'bubblewrap: ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@"
  else die "must run as root (or with passwordless sudo) to install bubblewrap"
  fi
}

install() {
  log "installing bubblewrap (apt)..."
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet: update only when the first attempt fails.
  as_root apt-get install -y -qq bubblewrap >&2 || { as_root apt-get update -qq >&2 && as_root apt-get install -y -qq bubblewrap >&2; }
}

case "${1:-}" in
  ensure)
    command -v bwrap >/dev/null || install
    command -v bwrap >/dev/null || die "bubblewrap installation failed"
    # The smallest sandbox of the kind the services build: new namespaces, read-only system, nothing else.
    bwrap --die-with-parent --unshare-all --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \
      --symlink usr/lib64 /lib64 --proc /proc --dev /dev -- true \
      || die "bwrap is installed but cannot start a sandbox here (user namespaces disabled?)"
    ;;
  *)
    echo "usage: scripts/bubblewrap.sh ensure" >&2
    exit 2
    ;;
esac
