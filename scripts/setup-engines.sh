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
# runsc is gVisor (the `gvisor` mode); bubblewrap, socat and ripgrep are what Anthropic's sandbox
# runtime needs on Linux (the `srt` mode).
packages=(docker.io podman runc catatonit containernetworking-plugins iptables debootstrap debian-archive-keyring tmux busybox bubblewrap uidmap perl runsc socat ripgrep)
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

# gVisor: register runsc with Docker, keeping whatever else daemon.json says. gVisor's own network
# stack fails on these machines, so it shares the host's network (the gvisor mode reports that).
daemon_json=/etc/docker/daemon.json
merged=$(node - "$daemon_json" "$(command -v runsc)" <<'NODE'
const { existsSync, readFileSync } = require('node:fs');
const [file, path] = process.argv.slice(2);
const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
const config = text ? JSON.parse(text) : {};
config.runtimes = { ...config.runtimes, runsc: { path, runtimeArgs: ['--network=host'] } };
process.stdout.write(JSON.stringify(config, null, 2));
NODE
)
if [ -f "$daemon_json" ] && [ "$merged" = "$(cat "$daemon_json")" ]; then
  log "runsc already registered in $daemon_json"
else
  mkdir -p "$(dirname "$daemon_json")"
  printf '%s\n' "$merged" >"$daemon_json"
  log "registered runsc in $daemon_json"
fi

runsc_registered() { docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; }

# Nothing starts dockerd on these machines (no systemd): run it detached from this session.
if docker info >/dev/null 2>&1; then
  log "dockerd already answering"
  # SIGHUP makes a running dockerd re-read daemon.json (runtimes included) without stopping containers.
  if ! runsc_registered; then
    log "reloading dockerd so it sees the runsc runtime"
    kill -HUP "$(cat /var/run/docker.pid)"
    for _ in $(seq 20); do runsc_registered && break; sleep 0.5; done
  fi
else
  log "starting dockerd (log: /var/log/dockerd.log)"
  # From /: the caller's folder (a CI clone) may be deleted while dockerd runs.
  (cd / && exec setsid dockerd >>/var/log/dockerd.log 2>&1 </dev/null) &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -n 20 /var/log/dockerd.log >&2; die "dockerd did not answer within 60 s"; }
fi
log "docker: server $(docker info --format '{{.ServerVersion}}')"
runsc_registered || die "dockerd does not list the runsc runtime (see $daemon_json and /var/log/dockerd.log)"
log "gvisor: $(runsc --version 2>/dev/null | sed -n 1p), Docker runtimes: $(docker info --format '{{json .Runtimes}}')"
log "srt prerequisites: $(bwrap --version), $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'), $(rg --version | sed -n 1p)"

podman info >/dev/null 2>&1 || { podman info >&2 || true; die "podman info failed"; }
log "podman: $(podman version --format '{{.Client.Version}}') (runtime $(podman info --format '{{.Host.OCIRuntime.Name}}'))"
log "done"
