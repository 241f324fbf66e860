#!/bin/sh
# Registers the namespace and the custom search attributes ExportFlows sets on every run. Idempotent.
set -eu
: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
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
