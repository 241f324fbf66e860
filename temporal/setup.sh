#!/bin/sh
# Registers the namespace and the custom search attributes ExportFlows sets on every run. Idempotent.
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
temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention 30d
for attribute in ExportDate:Keyword ExportTypes:KeywordList ExportTrigger:Keyword; do
  name=${attribute%%:*}
  type=${attribute#*:}
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -q "^ *$name "; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
  fi
done
