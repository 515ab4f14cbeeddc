#!/usr/bin/env bash
# The OCS MCP server over Streamable HTTP, as raw JSON-RPC with curl (`npm start` serves it on :3001).
# Stateless: every POST stands alone. Fails on any non-2xx, JSON-RPC error or tool error.
set -euo pipefail
MCP_URL=${MCP_URL:-http://127.0.0.1:3001/mcp}
AUTH=()
[ -n "${MCP_TOKEN:-}" ] && AUTH=(-H "Authorization: Bearer $MCP_TOKEN")
say() { printf '\n== %s\n' "$*"; }

# rpc METHOD PARAMS_JSON -> prints the JSON-RPC result (the server answers as one SSE message or as JSON)
rpc() {
  local body
  body=$(curl -fsS "$MCP_URL" "${AUTH[@]}" \
    -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \
    -H 'mcp-protocol-version: 2025-11-25' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":$RANDOM,\"method\":\"$1\",\"params\":$2}")
  node -e '
    const raw = process.argv[1];
    const line = raw.split("\n").find((l) => l.startsWith("data: ")) ?? raw;
    const msg = JSON.parse(line.replace(/^data: /, ""));
    if (msg.error) { console.error("JSON-RPC error:", JSON.stringify(msg.error)); process.exit(1); }
    if (msg.result?.isError) { console.error("tool error:", JSON.stringify(msg.result.content)); process.exit(1); }
    console.log(JSON.stringify(msg.result.structuredContent ?? msg.result));
  ' "$body"
}
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }

MSISDN=43660$(date +%s%N | tail -c 9)

say "initialize (2025-11-25 era client)"
rpc initialize '{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}' | cut -c1-200

say "tools/list"
rpc tools/list '{}' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).tools.map(t=>t.name).join(" ")))'

say "create_subscriber"
CREATED=$(rpc tools/call "{\"name\":\"create_subscriber\",\"arguments\":{\"msisdn\":\"$MSISDN\",\"firstName\":\"Anna\",\"lastName\":\"Muster\"}}")
echo "$CREATED" | cut -c1-300

say "lookup_subscriber with a '+' and spaces, as a care agent types it"
FOUND=$(rpc tools/call "{\"name\":\"lookup_subscriber\",\"arguments\":{\"msisdn\":\"+${MSISDN:0:2} ${MSISDN:2:3} ${MSISDN:5}\"}}")
SUBSCRIBER_ID=$(node -e 'console.log(JSON.parse(process.argv[1]).subscriber.subscriberId)' "$FOUND")
echo "subscriberId=$SUBSCRIBER_ID"

say "create_subscription from offer 1003 with its balances, activated"
rpc tools/call "{\"name\":\"create_subscription\",\"arguments\":{\"subscriberId\":\"$SUBSCRIBER_ID\",\"offerId\":\"1003\",\"createBalances\":true,\"activate\":true}}" | cut -c1-300

say "delete_subscriber: the first call only returns a confirmation token"
PENDING=$(rpc tools/call "{\"name\":\"delete_subscriber\",\"arguments\":{\"subscriberId\":\"$SUBSCRIBER_ID\"}}")
TOKEN=$(field "$PENDING" confirmation_token)
echo "confirmation_token=${TOKEN:0:16}..."

say "delete_subscriber again with the token: now it runs"
rpc tools/call "{\"name\":\"delete_subscriber\",\"arguments\":{\"subscriberId\":\"$SUBSCRIBER_ID\",\"confirmation_token\":\"$TOKEN\"}}"
