# cc-iso probe: reports what an agent would find inside this isolation, as machine-readable lines
# "cc-iso-probe KEY VALUE". POSIX sh only: runs in Debian's dash, Alpine's busybox and on a host.
# Arguments: $1 marker file name (written into the workspace), $2 URL a policy should block,
#            $3 npm registry URL (empty: the one npm is configured with here).
# Environment: CC_ISO_FINGERPRINT_KEY, the session's key for the credential fingerprints.
# It never prints a credential's value (nor the key): only its name and a keyed short hash.
fingerprint_key=${CC_ISO_FINGERPRINT_KEY:-}
unset CC_ISO_FINGERPRINT_KEY
marker=${1:-.cc-iso-probe}
blocked_url=${2:-https://example.com/}
registry_url=${3:-}
say() { printf 'cc-iso-probe %s %s\n' "$1" "$2"; }

say ready "$$"
say kernel "$(uname -r 2>/dev/null || echo unknown)"
say os "$(uname -s 2>/dev/null) $(uname -m 2>/dev/null)"
say uid "$(id -u 2>/dev/null || echo unknown)"
say gid "$(id -g 2>/dev/null || echo unknown)"
say user "$(id -un 2>/dev/null || echo unknown)"
say cwd "$(pwd)"

if printf 'written by the cc-iso probe\n' > "$marker" 2>/dev/null; then
  say marker "ok $marker"
else
  say marker "fail cannot write $(pwd)/$marker as uid $(id -u)"
fi

# A short fingerprint of a value: the first 12 hex digits of SHA-256 over the session's key and
# the value (see src/credentials/fingerprint.ts), so the host can tell its own token from a
# placeholder while the results give nothing to search; "unhashed" without a key or a SHA-256 tool.
fingerprint() {
  if [ -z "$fingerprint_key" ]; then
    echo unhashed
  elif command -v sha256sum >/dev/null 2>&1; then
    printf '%s%s' "$fingerprint_key" "$1" | sha256sum | cut -c1-12
  elif command -v shasum >/dev/null 2>&1; then
    printf '%s%s' "$fingerprint_key" "$1" | shasum -a 256 | cut -c1-12
  elif command -v openssl >/dev/null 2>&1; then
    printf '%s%s' "$fingerprint_key" "$1" | openssl dgst -sha256 | sed 's/.*= *//' | cut -c1-12
  else
    echo unhashed
  fi
}
for name in CLAUDE_CODE_OAUTH_TOKEN ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN AWS_BEARER_TOKEN_BEDROCK \
            AWS_SECRET_ACCESS_KEY GOOGLE_APPLICATION_CREDENTIALS GITHUB_TOKEN GH_TOKEN; do
  eval "value=\${$name:-}"
  if [ -n "$value" ]; then say credential "$name $(fingerprint "$value")"; fi
done
if [ -r "${HOME:-/nonexistent}/.claude/.credentials.json" ]; then say credential-file "$HOME/.claude/.credentials.json"; fi
say credentials-checked ""

# Fetch a URL with whatever client exists; prints ok, fail or none.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 8 "$1" 2>/dev/null && echo ok || echo fail
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O /dev/null -T 8 "$1" 2>/dev/null && echo ok || echo fail
  elif command -v node >/dev/null 2>&1; then
    node -e 'fetch(process.argv[1], {signal: AbortSignal.timeout(8000)}).then(() => process.exit(0), () => process.exit(1))' "$1" \
      2>/dev/null && echo ok || echo fail
  else
    echo none
  fi
}

# A URL without any user:password in it, for the report.
without_credentials() { printf '%s' "$1" | sed 's#^\([a-z]*://\)[^/@]*@#\1#'; }

# Which registry: $3 (--registry-url) when given; else the one npm is configured with here (a mirror
# behind a corporate proxy is common), which `npm install` then uses by itself.
set --
if [ -n "$registry_url" ]; then
  set -- --registry "$registry_url"
elif command -v npm >/dev/null 2>&1; then
  # npm refuses to show a registry URL that holds credentials ("protected"): then it is only named.
  registry_url=$(npm config get registry 2>/dev/null) || registry_url=''
fi
case "$registry_url" in
  http://*|https://*) registry_shown=$(without_credentials "$registry_url") ;;
  *) registry_url=''; registry_shown="npm's configured registry" ;;
esac

# The original question: can the agent run `npm install` here? With its npm settings (proxy, mirror,
# credentials): only the cache is a scratch folder.
if command -v npm >/dev/null 2>&1; then
  scratch=$(mktemp -d 2>/dev/null || echo "/tmp/cc-iso-npm-$$")
  mkdir -p "$scratch"
  if (cd "$scratch" && npm install --no-audit --no-fund --no-save --no-package-lock "$@" \
        --cache "$scratch/.npm" --fetch-retries 0 --fetch-timeout 15000 \
        is-number@7.0.0 >/dev/null 2>&1) && [ -f "$scratch/node_modules/is-number/package.json" ]; then
    say npm-install "ok is-number@7.0.0 from $registry_shown"
  else
    say npm-install "fail from $registry_shown"
  fi
  rm -rf "$scratch"
else
  registry_url=${registry_url:-https://registry.npmjs.org/}
  say registry "$(fetch "$registry_url") $(without_credentials "$registry_url")"
fi

case "$(fetch "$blocked_url")" in
  ok) say blocked-host "reachable $blocked_url" ;;
  fail) say blocked-host "blocked $blocked_url" ;;
  *) say blocked-host "unknown $blocked_url" ;;
esac
say done ""
