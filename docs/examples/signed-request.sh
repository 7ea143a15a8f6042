#!/usr/bin/env bash
# A signed request as an API client (docs/integration.md "Signed requests"), with OpenSSL 3 and curl only.
#   openssl genpkey -algorithm ed25519 -out client.key && openssl pkey -in client.key -pubout -out client.pub
#   (register client.pub with POST /v1/api-clients; the answer's "id" is CLIENT)
#   BANK=http://127.0.0.1:8080 CLIENT=<id> KEY=client.key docs/examples/signed-request.sh POST /v1/tx-requests '{"walletId":…}'
# Prints the HTTP status on the last line. ApiClientTest runs this script against a real bank.
set -euo pipefail
method="$1"; target="$2"; body="${3-}"
: "${BANK:?set BANK}" "${CLIENT:?set CLIENT}" "${KEY:?set KEY}"
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
jti=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
body_hash=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
header=$(printf '{"alg":"EdDSA","kid":"%s"}' "$CLIENT" | b64)
claims=$(printf '{"sub":"%s","uri":"%s %s","bodyHash":"%s","iat":%d,"exp":%d,"jti":"%s"}' \
  "$CLIENT" "$method" "$target" "$body_hash" "$now" "$((now + 30))" "$jti" | b64)
input=$(mktemp); trap 'rm -f "$input"' EXIT
printf '%s.%s' "$header" "$claims" > "$input"
signature=$(openssl pkeyutl -sign -inkey "$KEY" -rawin -in "$input" | b64)
args=(-s -X "$method" "$BANK$target" -H "Authorization: Bearer $header.$claims.$signature" -w '\n%{http_code}\n')
if [ -n "$body" ]; then
  args+=(-H 'Content-Type: application/json' -H "Idempotency-Key: $jti" --data-binary "$body")
fi
curl "${args[@]}"
