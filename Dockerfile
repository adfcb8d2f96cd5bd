# The image every container mode of cc-iso runs Claude Code in.
# Build context: this Dockerfile plus a `certs/` folder (it may hold only `.keep`). Every
# certs/*.crt and certs/*.pem is trusted in addition to the base image's CAs, for networks that
# inspect TLS (corporate proxies). Written for the legacy builder too (Docker 20.10, Podman):
# no BuildKit-only syntax.
ARG BASE_IMAGE=node:22-bookworm-slim
FROM ${BASE_IMAGE}
ARG CLAUDE_CODE_VERSION=2.1.332
LABEL cc-iso.image=1 cc-iso.claude-code-version=${CLAUDE_CODE_VERSION}

USER root
COPY certs/ /tmp/cc-iso-certs/
# ca-bundle.pem = the base's CA bundle (its NODE_EXTRA_CA_CERTS, else the Debian system bundle,
# when either exists; node:22-bookworm-slim has neither) + the extras. Node adds these to its
# built-in roots, and so does Claude Code; an empty bundle is harmless.
RUN set -eu; \
    dir=/usr/local/share/cc-iso; mkdir -p "$dir"; : > "$dir/extra-ca.pem"; \
    for f in /tmp/cc-iso-certs/*.crt /tmp/cc-iso-certs/*.pem; do \
      if [ -f "$f" ]; then cat "$f" >> "$dir/extra-ca.pem"; echo >> "$dir/extra-ca.pem"; fi; \
    done; \
    base="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"; \
    if [ -f "$base" ]; then cat "$base" "$dir/extra-ca.pem" > "$dir/ca-bundle.pem"; \
    else cp "$dir/extra-ca.pem" "$dir/ca-bundle.pem"; fi; \
    rm -rf /tmp/cc-iso-certs
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/cc-iso/ca-bundle.pem \
    DISABLE_AUTOUPDATER=1

# Its postinstall links the native binary; newer npm runs install scripts only when allowed
# (older npm just warns about the unknown option).
RUN npm install -g --no-audit --no-fund --no-update-notifier \
      --allow-scripts=@anthropic-ai/claude-code "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
 && npm cache clean --force

# uid 1000 `node` exists in the official image; create it where it does not (also without useradd).
RUN set -eu; \
    if ! grep -q '^node:' /etc/passwd; then \
      if command -v useradd >/dev/null 2>&1; then \
        groupadd --gid 1000 node; useradd --uid 1000 --gid node --shell /bin/sh --create-home node; \
      else \
        echo 'node:x:1000:' >> /etc/group; \
        echo 'node:x:1000:1000::/home/node:/bin/sh' >> /etc/passwd; \
      fi; \
    fi; \
    mkdir -p /home/node /workspace; \
    echo '{"hasCompletedOnboarding": true}' > /home/node/.claude.json; \
    chown node:node /home/node /home/node/.claude.json /workspace

WORKDIR /workspace
USER node
RUN claude --version
