#!/bin/sh
# Registers connect/shop-cdc.mysql.json once Connect's REST API answers; 409 means it already exists.
set -eu
url="${CONNECT_URL:-http://connect:8083}"
until curl -sf "$url/connectors" >/dev/null; do sleep 2; done
code=$(curl -s -o /tmp/out -w '%{http_code}' -X POST -H 'content-type: application/json' \
  --data @/connect/shop-cdc.mysql.json "$url/connectors")
case "$code" in
  201|409) echo "connector shop-cdc registered ($code)";;
  *) echo "registering shop-cdc failed: $code $(cat /tmp/out)" >&2; exit 1;;
esac
