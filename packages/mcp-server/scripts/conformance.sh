#!/usr/bin/env sh
# Runs the official MCP conformance suite (generic server scenarios) and the Inspector CLI against
# `ocs-mcp --http` backed by an in-memory OCS emulator. Needs network access to the npm registry
# (node@22, @modelcontextprotocol/conformance, @modelcontextprotocol/inspector). Exit != 0 on failure.
set -u
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT" || exit 1
WORK=$(mktemp -d)
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
FAILED=0
STARTED=$(date +%s)

step() { printf '\n=== %s\n' "$*"; }
check() { # name, command...
  name=$1
  shift
  if "$@" >"$WORK/out.txt" 2>&1; then
    echo "PASS $name"
    grep -E "^  (untestable|FAILED|warning|[0-9]+ checks)" "$WORK/out.txt" || true
  else
    echo "FAIL $name"
    tail -n 40 "$WORK/out.txt"
    FAILED=1
  fi
}
# Runs one conformance scenario and judges its checks.json: a FAILURE counts unless the suite marks
# it untestable (those checks need the "everything" server's fixture tools, e.g. test_logging_tool,
# which a domain server does not have). Untestable checks are listed, not hidden.
conformance() { # version, scenario
  out="$WORK/res-$1-$2"
  PATH="$WORK/conformance-$1/node_modules/.bin:$PATH" \
    command conformance server --url "$URL" --scenario "$2" -o "$out" >"$out.log" 2>&1
  node -e '
    const fs = require("fs"), path = require("path");
    const files = [];
    const walk = (d) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p); else if (f === "checks.json") files.push(p); } };
    walk(process.argv[1]);
    if (files.length === 0) { console.log("no checks.json produced"); process.exit(1); }
    let bad = 0, ok = 0;
    for (const f of files) for (const c of JSON.parse(fs.readFileSync(f, "utf8"))) {
      if (c.status === "SUCCESS") ok++;
      else if (c.status === "FAILURE" && c.details && c.details.untestable) console.log("  untestable here:", c.id);
      else if (c.status === "FAILURE") { bad++; console.log("  FAILED:", c.id, c.errorMessage || ""); }
      else console.log("  " + c.status.toLowerCase() + ":", c.id);
    }
    console.log("  " + ok + " checks passed");
    process.exit(bad ? 1 : 0);
  ' "$out"
}

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_for() { # url
  i=0
  while [ $i -lt 100 ]; do
    curl -s -o /dev/null "$1" && return 0
    i=$((i + 1))
    sleep 0.1
  done
  echo "timed out waiting for $1"
  return 1
}

step "build"
npx tsc -b packages/emulator/tsconfig.build.json packages/mcp-server/tsconfig.build.json || exit 1

step "start emulator and ocs-mcp --http"
EMU_PORT=$(free_port)
MCP_PORT=$(free_port)
OCS_EMULATOR_DB=:memory: OCS_EMULATOR_HOST=127.0.0.1 OCS_EMULATOR_PORT=$EMU_PORT LOG_LEVEL=warn \
  node packages/emulator/dist/bin.js >"$WORK/emulator.log" 2>&1 &
PIDS="$PIDS $!"
wait_for "http://127.0.0.1:$EMU_PORT/ocs/prov/v1/health-check" || exit 1
OCS_API_URL="http://127.0.0.1:$EMU_PORT/ocs/prov/v1" MCP_HTTP_PORT=$MCP_PORT LOG_LEVEL=warn \
  node packages/mcp-server/dist/bin.js --http >"$WORK/mcp.log" 2>&1 &
PIDS="$PIDS $!"
wait_for "http://127.0.0.1:$MCP_PORT/healthz" || exit 1
URL="http://localhost:$MCP_PORT/mcp"
echo "MCP endpoint: $URL"

export HOME="$WORK/home"
mkdir -p "$HOME"

# The tools need Node 22 (node@22 from the registry); install each tool set once, all three at the
# same time, instead of one npx resolution per scenario.
step "install conformance suites and Inspector (Node 22)"
tools() { # dir, packages...
  dir=$1
  shift
  mkdir -p "$dir" && npm install --prefix "$dir" --no-audit --no-fund --no-save node@22 "$@" >"$dir.log" 2>&1 \
    || { echo "FAIL install $*"; tail -n 20 "$dir.log"; return 1; }
}
tools "$WORK/conformance-0.1.16" @modelcontextprotocol/conformance@0.1.16 &
I1=$!
tools "$WORK/conformance-0.2.0-alpha.12" @modelcontextprotocol/conformance@0.2.0-alpha.12 &
I2=$!
tools "$WORK/inspector" @modelcontextprotocol/inspector@2.12.0 &
I3=$!
wait $I1 && wait $I2 && wait $I3 || exit 1
inspector() { PATH="$WORK/inspector/node_modules/.bin:$PATH" mcp-inspector --cli "$URL" "$@"; }

step "conformance 0.1.16 (2025-11-25 generic scenarios)"
for s in server-initialize ping tools-list dns-rebinding-protection; do
  check "conformance@0.1.16 $s" conformance 0.1.16 "$s"
done

step "conformance 0.2.0-alpha.12 (2026-07-28 scenarios)"
for s in server-stateless http-header-validation tools-list dns-rebinding-protection; do
  check "conformance@0.2.0-alpha.12 $s" conformance 0.2.0-alpha.12 "$s"
done

step "Inspector CLI"
check "inspector tools/list" sh -c "PATH='$WORK/inspector/node_modules/.bin':\$PATH mcp-inspector --cli '$URL' \
  --method tools/list --format json | grep -q lookup_subscriber"
# Schema portability: --strict prints every finding (warnings included) on stderr but fails only on
# errors, so any finding at all fails here.
strict_schemas() {
  PATH="$WORK/inspector/node_modules/.bin:$PATH" mcp-inspector --cli "$URL" --method tools/list --strict \
    --format json >"$WORK/strict.json" 2>"$WORK/strict.err" || { cat "$WORK/strict.err"; return 1; }
  if grep -qE '^(Warning|Error): tool' "$WORK/strict.err" || grep -q '"schemaFindings"' "$WORK/strict.json"; then
    cat "$WORK/strict.err"
    return 1
  fi
  echo "  0 schema portability findings"
}
check "inspector tools/list --strict (no portability warning)" strict_schemas
check "inspector tools/call get_offer" inspector --method tools/call --tool-name get_offer --tool-args-json '{"offerId":"1000"}'
check "inspector tools/call lookup_subscriber (isError expected: exit 5)" sh -c "PATH='$WORK/inspector/node_modules/.bin':\$PATH \
  mcp-inspector --cli '$URL' --method tools/call --tool-name lookup_subscriber --tool-args-json '{\"msisdn\":\"43600000000001\"}'; test \$? -eq 5"

echo
echo "took $(($(date +%s) - STARTED)) s"
if [ $FAILED -ne 0 ]; then
  echo "conformance: FAILED"
  echo "--- ocs-mcp log"
  tail -n 20 "$WORK/mcp.log"
  exit 1
fi
echo "conformance: OK"
