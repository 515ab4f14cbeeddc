#!/usr/bin/env bash
# The OCS provisioning API on the emulator (`npm start` serves it on :8080), end to end with curl.
# Every call must succeed: curl -f turns any non-2xx into a failure.
set -euo pipefail
OCS_URL=${OCS_URL:-http://127.0.0.1:8080/ocs/prov/v1}
say() { printf '\n== %s\n' "$*"; }
call() { curl -fsS -H 'content-type: application/json' -H "X-Transaction-ID: curl-$RANDOM-$RANDOM" "$@"; echo; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

MSISDN=4366$(date +%s%N | tail -c 10)

say "health check (200, empty body)"
curl -fsS -o /dev/null -w '%{http_code}\n' "$OCS_URL/health-check"

say "offer catalogue (emulator extension)"
call "$OCS_URL/offers" > /tmp/ocs-offers.$$.json
node -e 'for (const o of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) console.log(o.offerId, o.offerType, o.offerName)' /tmp/ocs-offers.$$.json
rm -f /tmp/ocs-offers.$$.json

say "create a subscriber"
SUBSCRIBER_ID=$(call -X POST "$OCS_URL/subscribers" -d "{
  \"msisdn\": \"$MSISDN\", \"imsi\": \"232010000000001\", \"subscriberType\": \"PREPAID\",
  \"personalInfo\": {\"firstName\": \"Anna\", \"lastName\": \"Muster\", \"email\": \"anna@example.com\"},
  \"billing\": {\"billingCycle\": \"MONTHLY\", \"billcycleDay\": 1, \"billingAddress\": {\"city\": \"Vienna\", \"country\": \"Austria\"}}
}" | json subscriberId)
echo "subscriberId=$SUBSCRIBER_ID"

say "look the subscriber up by MSISDN"
call "$OCS_URL/subscribers/lookup?msisdn=$MSISDN"

say "activate the subscriber and change the e-mail (flat field names, upper-case state)"
call -X PATCH "$OCS_URL/subscribers/$SUBSCRIBER_ID" \
  -d '[{"fieldName":"state","fieldValue":"ACTIVE"},{"fieldName":"email","fieldValue":"anna.muster@example.com"}]'

say "subscribe to offer 1003 (Monthly data bundle 25GB)"
SUBSCRIPTION_ID=$(call -X POST "$OCS_URL/subscribers/$SUBSCRIBER_ID/subscriptions" -d '{
  "offerId": "1003", "offerName": "Monthly data bundle 25GB", "subscriptionType": "PREPAID",
  "recurring": false, "paidFlag": true, "cycleLengthUnits": 1, "cycleLengthType": "MONTHS"
}' | json subscriptionId)
echo "subscriptionId=$SUBSCRIPTION_ID"

say "activate the subscription"
call -X POST "$OCS_URL/subscriptions/$SUBSCRIPTION_ID/activate"

say "credit 25 GB of data (a retry with the same X-Transaction-ID would not credit twice)"
curl -fsS -H 'content-type: application/json' -H "X-Transaction-ID: topup-$SUBSCRIPTION_ID" \
  -X POST "$OCS_URL/subscriptions/$SUBSCRIPTION_ID/balances" \
  -d '{"balanceType":"ALLOWANCE","unitType":"BYTES","balanceAmount":26843545600,"balanceAvailable":26843545600}'; echo
curl -fsS -o /dev/null -H 'content-type: application/json' -H "X-Transaction-ID: topup-$SUBSCRIPTION_ID" \
  -X POST "$OCS_URL/subscriptions/$SUBSCRIPTION_ID/balances" \
  -d '{"balanceType":"ALLOWANCE","unitType":"BYTES","balanceAmount":26843545600,"balanceAvailable":26843545600}'

say "balances (one, not two)"
call "$OCS_URL/subscriptions/$SUBSCRIPTION_ID/balances"

say "account history of the subscriber (newest first)"
call "$OCS_URL/accountHistory/entityId/$SUBSCRIBER_ID?limit=5"

say "delete the subscriber (cascades to subscriptions and balances)"
curl -fsS -o /dev/null -w '%{http_code}\n' -X DELETE "$OCS_URL/subscribers/$SUBSCRIBER_ID"
