#!/usr/bin/env bash
# Install and start the container engines cc-iso tests against (Docker Engine, Podman) plus the
# other tools the tests use. Idempotent; run as root on Debian 12.
set -euo pipefail

log() { printf '[setup-engines] %s\n' "$*"; }
die() { printf '[setup-engines] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# Without recommends, so named here: catatonit is Podman's --init (cc-iso runs containers with
# --init so a stop signal reaches the agent), the CNI plugins give Podman its bridge network,
# perl brings `shasum` (the probe's fingerprint tool on macOS, tested here).
packages=(docker.io podman runc catatonit containernetworking-plugins iptables debootstrap debian-archive-keyring tmux busybox bubblewrap uidmap perl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "packages already installed: ${packages[*]}"
fi

# set_conf FILE SECTION KEY VALUE: set `KEY = VALUE` in [SECTION] of a TOML file, keeping the
# rest of the file (replaces an uncommented KEY in that section, else adds it under the header,
# else appends the section).
set_conf() {
  local file=$1 section=$2 key=$3 value=$4 tmp
  touch "$file"
  tmp=$(mktemp)
  awk -v sec="[$section]" -v key="$key" -v line="$key = $value" '
    function flush() { if (insec && !done) { print line; done = 1 } }
    /^[[:space:]]*\[/ {
      hdr = $0; gsub(/[[:space:]]/, "", hdr)
      if (insec) flush()
      insec = (hdr == sec); if (insec) seen = 1
      print; next
    }
    insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { if (!done) { print line; done = 1 }; next }
    { print }
    END { if (insec) flush(); if (!seen) { if (NR) print ""; print sec; print line } }
  ' "$file" >"$tmp"
  cat "$tmp" >"$file"   # keep the file's owner and mode
  rm -f "$tmp"
}

# crun refuses this machine's hybrid cgroup layout; Podman's default nofile limit is above the
# machine's hard limit, so containers would fail to start without these two settings.
conf=/etc/containers/containers.conf
mkdir -p /etc/containers
set_conf "$conf" engine runtime '"runc"'
set_conf "$conf" containers default_ulimits '["nofile=1024:1024", "nproc=1024:1024"]'
log "configured $conf (runtime=runc, default_ulimits)"

# Nothing starts dockerd on these machines (no systemd): run it detached from this session.
if docker info >/dev/null 2>&1; then
  log "dockerd already answering"
else
  log "starting dockerd (log: /var/log/dockerd.log)"
  setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -n 20 /var/log/dockerd.log >&2; die "dockerd did not answer within 60 s"; }
fi
log "docker: server $(docker info --format '{{.ServerVersion}}')"

podman info >/dev/null 2>&1 || { podman info >&2 || true; die "podman info failed"; }
log "podman: $(podman version --format '{{.Client.Version}}') (runtime $(podman info --format '{{.Host.OCIRuntime.Name}}'))"
log "done"
