#!/usr/bin/env bash
# The router (`npm start` serves it on :8000), with curl. /ask needs a reachable LLM provider: the
# default is a local Ollama; set LLM_PROVIDER and its key in .env to use another one.
# Every call must succeed: curl -f turns any non-2xx into a failure.
set -euo pipefail
ROUTER_URL=${ROUTER_URL:-http://127.0.0.1:8000}
AUTH=()
[ -n "${ROUTER_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $ROUTER_API_KEY")
USER_ID=${USER_ID:-curl-agent-$RANDOM}
say() { printf '\n== %s\n' "$*"; }
call() { curl -fsS "${AUTH[@]}" -H 'content-type: application/json' "$@"; echo; }

say "liveness and readiness"
call "$ROUTER_URL/health"
call "$ROUTER_URL/ready"

say "models of the configured providers (OpenAI list shape)"
MODELS=$(call "$ROUTER_URL/v1/models")
echo "$MODELS"
MODEL=$(node -e 'console.log(JSON.parse(process.argv[1]).data[0]?.id ?? "")' "$MODELS")

say "store a context envelope for $USER_ID"
call -X PUT "$ROUTER_URL/context/$USER_ID" -d '{
  "identity": {"name": "Dana", "role": "agent", "locale": "en-GB", "tenant": "demo"},
  "memory": {"facts": ["Works in customer care, second level"]},
  "docs": [{"id": "policy", "title": "Care policy", "content": "Always confirm before deleting anything."}]
}'
call "$ROUTER_URL/context/$USER_ID"

say "ask (plain)"
call "$ROUTER_URL/ask" -d "{\"message\": \"Which prepaid offers are there? Answer in one sentence.\", \"user_id\": \"$USER_ID\"}"

say "ask (streamed: delta, tool_call, tool_result, done events)"
curl -fsSN "${AUTH[@]}" -H 'content-type: application/json' "$ROUTER_URL/ask" \
  -d "{\"message\": \"Say hello in five words.\", \"user_id\": \"$USER_ID\", \"stream\": true}"
echo

say "OpenAI-compatible chat completion"
call "$ROUTER_URL/v1/chat/completions" -d "{\"model\": \"$MODEL\", \"messages\": [{\"role\": \"user\", \"content\": \"Say hi.\"}]}"

say "memory now holds the exchanges"
call "$ROUTER_URL/context/$USER_ID"

say "forget the user"
curl -fsS "${AUTH[@]}" -o /dev/null -w '%{http_code}\n' -X DELETE "$ROUTER_URL/context/$USER_ID"
