#!/bin/sh
# Creates (first run) or upgrades (later runs) the Temporal and visibility schemas in Postgres. Idempotent: an existing
# database or schema is kept, update-schema applies only the versions not applied yet.
set -eu
: "${POSTGRES_SEEDS:=postgresql}"
: "${DB_PORT:=5432}"
: "${POSTGRES_USER:=temporal}"
export SQL_PASSWORD="${POSTGRES_PWD:-temporal}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"; }
for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*}
  dir=${db#*:}
  sql --db "$name" create 2>/dev/null && echo "created database $name" || echo "database $name exists"
  sql --db "$name" setup-schema -v 0.0 2>/dev/null && echo "initialised schema of $name" || echo "schema of $name exists"
  sql --db "$name" update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
echo "schemas up to date"
