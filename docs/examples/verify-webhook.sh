#!/usr/bin/env bash
# Verifies a webhook from the bank (docs/integration.md "Webhooks"), with OpenSSL 3 only: the Standard Webhooks
# Ed25519 signature over "<webhook-id>.<webhook-timestamp>.<body>" against the bank's published key, and the
# timestamp within 5 minutes of this clock.
#   curl -s $BANK/v1/webhooks/signing-keys   (save each key's "publicKey" PEM, e.g. as bank-webhooks.pem)
#   KEY=bank-webhooks.pem docs/examples/verify-webhook.sh "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP" "$WEBHOOK_SIGNATURE" body.json
# Exits 0 and prints "verified" when one v1a signature of the header verifies; else exits 1 and says why.
# WebhookDeliveryTest runs this script on a real delivery.
set -euo pipefail
id="$1"; timestamp="$2"; header="$3"; body_file="$4"
: "${KEY:?set KEY to the public key of the bank (PEM)}"
now=$(date +%s)
if [ $(( now - timestamp )) -gt 300 ] || [ $(( timestamp - now )) -gt 300 ]; then
  echo "refused: the timestamp is more than 5 minutes from this clock" >&2; exit 1
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
{ printf '%s.%s.' "$id" "$timestamp"; cat "$body_file"; } > "$work/content"
for part in $header; do
  case "$part" in
    v1a,*)
      printf '%s' "${part#v1a,}" | openssl base64 -d -A > "$work/sig" 2>/dev/null || continue
      if openssl pkeyutl -verify -pubin -inkey "$KEY" -rawin -in "$work/content" -sigfile "$work/sig" >/dev/null 2>&1
      then echo verified; exit 0; fi ;;
  esac
done
echo "refused: no v1a signature verifies with $KEY" >&2; exit 1
