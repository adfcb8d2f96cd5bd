#!/usr/bin/env bash
# Build an offline stand-in for node:22-bookworm-slim (there is no container registry here) and
# import it into Docker and/or Podman. The finished rootfs tarball is cached, so later runs only
# import (or skip).
#   BASE_TAG   image tag (default cc-iso-base:bookworm-node24; also accepted as $1)
#   NODE_BIN   Node >= 22 binary to put in the image (default: `node` on PATH)
#   CACHE_DIR  default /var/cache/cc-iso-ci;  DEBIAN_MIRROR default http://deb.debian.org/debian
set -euo pipefail

BASE_TAG=${1:-${BASE_TAG:-cc-iso-base:bookworm-node24}}
CACHE_DIR=${CACHE_DIR:-/var/cache/cc-iso-ci}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TARBALL=$CACHE_DIR/base-rootfs.tar

log() { printf '[build-base-image] %s\n' "$*"; }
die() { printf '[build-base-image] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"

engines=()
docker info >/dev/null 2>&1 && engines+=(docker)
command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1 && engines+=(podman)
[ ${#engines[@]} -gt 0 ] || die "neither docker nor podman answers; run scripts/setup-engines.sh first"

todo=()
for e in "${engines[@]}"; do
  if "$e" image inspect "$BASE_TAG" >/dev/null 2>&1; then
    log "$e: $BASE_TAG already present, skipping"
  else
    todo+=("$e")
  fi
done
[ ${#todo[@]} -gt 0 ] || exit 0

build_rootfs() {
  local node=${NODE_BIN:-$(command -v node || true)} major work rootfs t0
  [ -x "$node" ] || die "no node binary (set NODE_BIN)"
  major=$("$node" -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 22 ] || die "$node is Node $major; need >= 22 (set NODE_BIN)"
  command -v debootstrap >/dev/null || die "debootstrap missing; run scripts/setup-engines.sh"

  mkdir -p "$CACHE_DIR"
  work=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  rootfs=$work/rootfs

  log "debootstrap bookworm minbase from $DEBIAN_MIRROR"
  t0=$(now)
  debootstrap --variant=minbase --include=ca-certificates,bash bookworm "$rootfs" "$DEBIAN_MIRROR" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  log "debootstrap took $(($(now) - t0)) s"

  log "adding Node $("$node" --version) ($node) and npm@11"
  install -m 0755 "$node" "$rootfs/usr/local/bin/node"
  (cd "$work" && npm pack --silent npm@11 >npm-pack.out)
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/$(tail -n 1 "$work/npm-pack.out")" --strip-components=1 --no-same-owner \
    -C "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  # Same user as the official node images.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

  # This network inspects TLS with its own CAs; anything in a container talking HTTPS needs them.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  chroot "$rootfs" update-ca-certificates >/dev/null

  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$rootfs" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"   # only a complete tarball ever lands in the cache
  rm -rf "$work"
  trap - EXIT
  log "rootfs cached at $TARBALL ($(du -h "$TARBALL" | cut -f1))"
}

if [ -s "$TARBALL" ]; then log "using cached rootfs $TARBALL"; else build_rootfs; fi

for e in "${todo[@]}"; do
  t0=$(now)
  # CMD node mirrors the official image; Podman stores the tag as localhost/$BASE_TAG, and the
  # short name still resolves to it locally.
  q=(); [ "$e" = podman ] && q=(--quiet)   # podman prints copy progress otherwise
  "$e" import "${q[@]}" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    "$TARBALL" "$BASE_TAG" >/dev/null
  log "$e: imported $BASE_TAG in $(($(now) - t0)) s"
  # shellcheck disable=SC2016 # expands inside the container
  "$e" run --rm "$BASE_TAG" sh -c 'echo "node $(node --version), npm $(npm --version), $(id node)"' \
    | sed "s/^/[build-base-image] $e: /"
done
