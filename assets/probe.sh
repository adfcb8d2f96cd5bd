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

# Fetch a URL with whatever client exists (through HTTPS_PROXY when one is set); prints ok, fail or none.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 8 "$1" 2>/dev/null && echo ok || echo fail
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O /dev/null -T 8 "$1" 2>/dev/null && echo ok || echo fail
  elif command -v node >/dev/null 2>&1; then
    NODE_USE_ENV_PROXY=1 node -e 'fetch(process.argv[1], {signal: AbortSignal.timeout(8000)}).then(() => process.exit(0), () => process.exit(1))' "$1" \
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
  # --prefix: a package.json in a folder above (a project around TMPDIR) must not take the install.
  if (cd "$scratch" && npm install --no-audit --no-fund --no-save --no-package-lock "$@" \
        --prefix "$scratch" --cache "$scratch/.npm" --fetch-retries 0 --fetch-timeout 15000 \
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

# Whether the URL a policy should block was reached, and if not, why: "by-policy:" when a proxy
# refused it (its status line and X-Proxy-Error are the evidence), "no-route:" when nothing answered.
reach() {
  if command -v curl >/dev/null 2>&1; then
    out=$(curl -s -o /dev/null -D - --max-time 8 -w 'cc-iso-codes %{http_code} %{http_connect}\n' "$1" 2>/dev/null)
    rc=$?
    out=$(printf '%s\n' "$out" | tr -d '\r')
    set -- "$1" $(printf '%s\n' "$out" | sed -n 's/^cc-iso-codes //p')
    status=$(printf '%s\n' "$out" | sed -n 's/^HTTP\/[0-9.]* //p' | sed -n 1p)
    why=$(printf '%s\n' "$out" | sed -n 's/^[Xx]-[Pp]roxy-[Ee]rror: *//p' | sed -n 1p)
    case "${3:-000}" in
      000|200) ;;
      *) echo "blocked $1 by-policy: the proxy answered $status to CONNECT${why:+ ($why)}"; return ;;
    esac
    if [ -n "$why" ]; then echo "blocked $1 by-policy: the proxy answered $status ($why)"
    elif [ "$rc" -eq 0 ]; then echo "reachable $1 HTTP ${2:-?}"
    else echo "blocked $1 no-route: curl exit $rc"
    fi
  elif command -v node >/dev/null 2>&1; then
    # NODE_USE_ENV_PROXY: Node's fetch goes through HTTPS_PROXY like curl does (ignored by old Node).
    NODE_USE_ENV_PROXY=1 node -e '
      const url = process.argv[1];
      fetch(url, { signal: AbortSignal.timeout(8000), redirect: "manual" }).then((r) => {
        const why = r.headers.get("x-proxy-error");
        console.log(why ? `blocked ${url} by-policy: the proxy answered ${r.status} (${why})` : `reachable ${url} HTTP ${r.status}`);
      }, (error) => {
        const chain = [];
        for (let e = error; e; e = e.cause) chain.push(e.code ?? e.name, e.message);
        const refused = /Proxy response \((\d+)\)/.exec(chain.join(" "));
        console.log(refused ? `blocked ${url} by-policy: the proxy answered ${refused[1]} to CONNECT` : `blocked ${url} no-route: ${chain.slice(-2).join(" ")}`);
      });' "$1" 2>/dev/null || echo "unknown $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O /dev/null -T 8 "$1" 2>/dev/null && echo "reachable $1" || echo "blocked $1"
  else
    echo "unknown $1"
  fi
}
say blocked-host "$(reach "$blocked_url")"
say done ""
