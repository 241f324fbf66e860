#!/bin/sh
# Creates the namespace ExportFlows runs in (the plain server image, unlike auto-setup, creates none). Idempotent.
# The search attributes are registered by `exportflows setup` (and by every worker at start) through the operator API.
set -eu
: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
export TEMPORAL_ADDRESS
tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  [ "$tries" -ge 120 ] && { echo "Temporal at $TEMPORAL_ADDRESS is not serving after 4 minutes" >&2; exit 1; }
  sleep 2
done
if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" -o json >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention 30d
fi
