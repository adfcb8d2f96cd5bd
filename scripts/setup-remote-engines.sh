#!/usr/bin/env bash
# Second engines for the remote-target tests, on this machine but behind a network of their own:
# a network namespace joined to the host by a veth pair (private addresses of its own, the only
# addresses the tests use), and in it
#   - a dockerd with its own data root, exec root, pidfile and unix socket, reachable over
#     tcp://NS_ADDR:2376 with TLS (a CA, server and client certificates made here) and over ssh://,
#   - a Podman API service with its own storage root, reachable over ssh://,
#   - an sshd (own host keys and config) that lets one key-only user in.
# Both engines see a private, empty /tmp: a workspace cc-iso makes under /tmp cannot be
# bind-mounted there, so shipping the workspace is really exercised.
# It registers Docker contexts `cc-iso-remote-tls`, `cc-iso-remote-ssh` and the Podman connection
# `cc-iso-remote-podman`, and loads the base image into both engines. Idempotent; root on Debian 12.
# `--stop` takes it all down again.
set -euo pipefail

log() { printf '[setup-remote-engines] %s\n' "$*"; }
die() { printf '[setup-remote-engines] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"

# The daemons started here outlive the script: they must not keep any descriptor of the caller's.
# A daemon holding the fd of `flock LOCK scripts/setup-remote-engines.sh` would hold that lock for
# as long as it runs. So the script drops every inherited descriptor above 2 before anything else
# (255 is bash's own handle on this script, close-on-exec), and the daemons start in sessions of
# their own (setsid), out of the caller's process group and its ctrl-c.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  case $fd in 0 | 1 | 2 | 255) continue ;; esac
  [ -e "/proc/$$/fd/$fd" ] || continue
  exec {fd}>&-
done
# Their working folder too: the caller's may be deleted later (a CI clone), and a Podman service
# whose folder is gone fails every container ("conmon: Failed to get working directory").
cd /

NS=cc-iso-remote
HOST_IF=ccr-host NS_IF=ccr-ns
HOST_ADDR=10.213.0.1 NS_ADDR=10.213.0.2 PREFIX=24
DOCKER_BIP=10.214.0.1/24
SSH_PORT=22 TLS_PORT=2376
REMOTE_USER=cc-iso-remote
CONF=/etc/cc-iso-remote RUN=/run/cc-iso-remote STATE=/var/lib/cc-iso-remote LOGS=/var/log/cc-iso-remote
DOCKER_SOCK=$RUN/docker.sock PODMAN_SOCK=$RUN/podman.sock
BASE_IMAGE=${CC_ISO_BASE_IMAGE:-cc-iso-base:bookworm-node24}
in_ns() { nsenter --net="/var/run/netns/$NS" "$@"; }
remote_docker() { docker --host "unix://$DOCKER_SOCK" "$@"; }

stop_all() {
  for pidfile in "$RUN/sshd.pid" "$RUN/podman.pid" "$RUN/docker.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 2
  ip netns del "$NS" 2>/dev/null || true
  docker context rm -f cc-iso-remote-tls cc-iso-remote-ssh >/dev/null 2>&1 || true
  podman system connection remove cc-iso-remote-podman 2>/dev/null || true
  log "stopped"
}
[ "${1:-}" = --stop ] && { stop_all; exit 0; }

packages=(openssh-server openssh-client openssl iproute2 util-linux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The package would start an sshd for the whole machine; only the namespace's runs here.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d.cc-iso
  [ -e /usr/sbin/policy-rc.d ] || { cp /usr/sbin/policy-rc.d.cc-iso /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }
  rm -f /usr/sbin/policy-rc.d.cc-iso
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$CONF" "$RUN" "$STATE" "$LOGS"
chmod 755 "$CONF"   # sshd reads authorized_keys as the user; the private keys are 600

# --- network namespace and veth pair ---
if [ ! -e "/var/run/netns/$NS" ]; then
  ip netns add "$NS"
  ip link add "$HOST_IF" type veth peer name "$NS_IF"
  ip link set "$NS_IF" netns "$NS"
  ip addr add "$HOST_ADDR/$PREFIX" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  in_ns ip addr add "$NS_ADDR/$PREFIX" dev "$NS_IF"
  in_ns ip link set "$NS_IF" up
  in_ns ip link set lo up
  in_ns ip route add default via "$HOST_ADDR"
  log "network namespace $NS: host $HOST_ADDR, namespace $NS_ADDR"
fi

# --- TLS material for dockerd's tcp:// endpoint ---
tls=$CONF/tls
if [ ! -f "$tls/cert.pem" ]; then
  mkdir -p "$tls"
  openssl genrsa -out "$tls/ca-key.pem" 2048 2>/dev/null
  openssl req -x509 -new -key "$tls/ca-key.pem" -days 3650 -subj '/CN=cc-iso remote test CA' -out "$tls/ca.pem"
  openssl genrsa -out "$tls/server-key.pem" 2048 2>/dev/null
  openssl req -new -key "$tls/server-key.pem" -subj "/CN=$NS_ADDR" -out "$tls/server.csr"
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$NS_ADDR" >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial \
    -days 3650 -extfile "$tls/server.ext" -out "$tls/server-cert.pem" 2>/dev/null
  openssl genrsa -out "$tls/key.pem" 2048 2>/dev/null
  openssl req -new -key "$tls/key.pem" -subj '/CN=cc-iso client' -out "$tls/client.csr"
  printf 'extendedKeyUsage=clientAuth\n' >"$tls/client.ext"
  openssl x509 -req -in "$tls/client.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial \
    -days 3650 -extfile "$tls/client.ext" -out "$tls/cert.pem" 2>/dev/null
  rm -f "$tls"/*.csr "$tls"/*.ext
  log "TLS: CA and certificates in $tls"
fi

# --- the key-only user the sshd lets in; it may use both engines' sockets ---
getent group "$REMOTE_USER" >/dev/null || groupadd --system "$REMOTE_USER"
id "$REMOTE_USER" >/dev/null 2>&1 ||
  useradd --system --gid "$REMOTE_USER" --home-dir "$STATE/home" --create-home --shell /bin/sh "$REMOTE_USER"
# No password at all ("*"), which is not a locked account: sshd lets a locked one in by no key either.
usermod -p "*" "$REMOTE_USER"
[ -f "$CONF/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C cc-iso-remote-client -f "$CONF/client_key"
[ -f "$CONF/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$CONF/ssh_host_ed25519_key"
install -m 644 "$CONF/client_key.pub" "$CONF/authorized_keys"

# --- dockerd in the namespace, with a private /tmp ---
if ! remote_docker version >/dev/null 2>&1; then
  log "starting dockerd in $NS (log: $LOGS/dockerd.log)"
  rm -f "$RUN/docker.pid" "$DOCKER_SOCK"
  setsid nsenter --net="/var/run/netns/$NS" unshare --mount --propagation private -- /bin/sh -c \
    'mount -t tmpfs -o mode=1777 cc-iso-remote-tmp /tmp && exec "$@"' dockerd \
    dockerd --data-root "$STATE/docker" --exec-root "$RUN/docker-exec" --pidfile "$RUN/docker.pid" \
    --host "unix://$DOCKER_SOCK" --group "$REMOTE_USER" \
    --host "tcp://$NS_ADDR:$TLS_PORT" --tlsverify --tlscacert "$tls/ca.pem" \
    --tlscert "$tls/server-cert.pem" --tlskey "$tls/server-key.pem" \
    --bip "$DOCKER_BIP" --cgroup-parent cc-iso-remote-docker \
    </dev/null >>"$LOGS/dockerd.log" 2>&1 &
  disown
  for _ in $(seq 60); do remote_docker version >/dev/null 2>&1 && break; sleep 1; done
  remote_docker version >/dev/null 2>&1 || { tail -n 20 "$LOGS/dockerd.log" >&2; die "the namespace's dockerd did not answer"; }
fi

# --- Podman API service in the namespace: own storage, private /tmp ---
if ! podman --url "unix://$PODMAN_SOCK" version >/dev/null 2>&1; then
  log "starting podman system service in $NS (log: $LOGS/podman.log)"
  rm -f "$PODMAN_SOCK"
  setsid nsenter --net="/var/run/netns/$NS" unshare --mount --propagation private -- /bin/sh -c \
    'mount -t tmpfs -o mode=1777 cc-iso-remote-tmp /tmp && echo $$ >"$0" && exec "$@"' "$RUN/podman.pid" \
    podman --root "$STATE/podman" --runroot "$RUN/podman-run" --tmpdir "$RUN/podman-tmp" \
    --cgroup-manager cgroupfs --events-backend file \
    system service --time 0 "unix://$PODMAN_SOCK" \
    </dev/null >>"$LOGS/podman.log" 2>&1 &
  disown
  for _ in $(seq 60); do [ -S "$PODMAN_SOCK" ] && podman --url "unix://$PODMAN_SOCK" version >/dev/null 2>&1 && break; sleep 1; done
  podman --url "unix://$PODMAN_SOCK" version >/dev/null 2>&1 || { tail -n 20 "$LOGS/podman.log" >&2; die "the namespace's podman service did not answer"; }
fi
chgrp "$REMOTE_USER" "$PODMAN_SOCK" && chmod 660 "$PODMAN_SOCK"
chmod 755 "$RUN"

# --- sshd in the namespace: key only, one user; its docker CLI reaches the namespace's dockerd ---
cat >"$CONF/sshd_config" <<EOF
ListenAddress $NS_ADDR:$SSH_PORT
HostKey $CONF/ssh_host_ed25519_key
PidFile $RUN/sshd.pid
AuthorizedKeysFile $CONF/authorized_keys
AllowUsers $REMOTE_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
AllowStreamLocalForwarding yes
SetEnv DOCKER_HOST=unix://$DOCKER_SOCK
MaxStartups 50
MaxSessions 50
EOF
if ! { [ -f "$RUN/sshd.pid" ] && kill -0 "$(cat "$RUN/sshd.pid")" 2>/dev/null; }; then
  mkdir -p /run/sshd
  in_ns /usr/sbin/sshd -f "$CONF/sshd_config" -E "$LOGS/sshd.log"
  log "sshd listening on $NS_ADDR:$SSH_PORT"
fi

# --- the client side: known host, ssh config, Docker contexts, Podman connection ---
mkdir -p ~/.ssh && chmod 700 ~/.ssh
touch ~/.ssh/known_hosts ~/.ssh/config
ssh-keygen -R "$NS_ADDR" >/dev/null 2>&1 || true
printf '%s %s\n' "$NS_ADDR" "$(cut -d' ' -f1-2 "$CONF/ssh_host_ed25519_key.pub")" >>~/.ssh/known_hosts
if ! grep -q '# cc-iso-remote' ~/.ssh/config; then
  printf '\n# cc-iso-remote (scripts/setup-remote-engines.sh)\nHost %s\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  BatchMode yes\n' \
    "$NS_ADDR" "$REMOTE_USER" "$CONF/client_key" >>~/.ssh/config
fi
for _ in $(seq 20); do ssh -o ConnectTimeout=2 "$REMOTE_USER@$NS_ADDR" true 2>/dev/null && break; sleep 0.5; done
ssh -o ConnectTimeout=5 "$REMOTE_USER@$NS_ADDR" docker version --format '{{.Server.Version}}' >/dev/null ||
  die "ssh to $REMOTE_USER@$NS_ADDR cannot reach the namespace's dockerd (see $LOGS/sshd.log)"

docker context inspect cc-iso-remote-tls >/dev/null 2>&1 ||
  docker context create cc-iso-remote-tls --description 'cc-iso test engine (TLS)' \
    --docker "host=tcp://$NS_ADDR:$TLS_PORT,ca=$tls/ca.pem,cert=$tls/cert.pem,key=$tls/key.pem" >/dev/null
docker context inspect cc-iso-remote-ssh >/dev/null 2>&1 ||
  docker context create cc-iso-remote-ssh --description 'cc-iso test engine (ssh)' \
    --docker "host=ssh://$REMOTE_USER@$NS_ADDR" >/dev/null
podman system connection remove cc-iso-remote-podman 2>/dev/null || true
podman system connection add cc-iso-remote-podman --identity "$CONF/client_key" \
  "ssh://$REMOTE_USER@$NS_ADDR:$SSH_PORT$PODMAN_SOCK"
docker --context cc-iso-remote-tls version --format '{{.Server.Version}}' >/dev/null || die "context cc-iso-remote-tls does not answer"
podman --connection cc-iso-remote-podman version >/dev/null || die "connection cc-iso-remote-podman does not answer"

# --- the base image, in both engines (no registry: saved here, loaded there) ---
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  remote_docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || docker save "$BASE_IMAGE" | remote_docker load -q
  podman --url "unix://$PODMAN_SOCK" image exists "$BASE_IMAGE" ||
    docker save "$BASE_IMAGE" | podman --url "unix://$PODMAN_SOCK" load -q
  log "base image $BASE_IMAGE loaded in both remote engines"
else
  log "base image $BASE_IMAGE not built yet: run scripts/build-base-image.sh, then this script again"
fi
log "ready: docker tcp://$NS_ADDR:$TLS_PORT (TLS, context cc-iso-remote-tls), ssh://$REMOTE_USER@$NS_ADDR (context cc-iso-remote-ssh), podman connection cc-iso-remote-podman"
