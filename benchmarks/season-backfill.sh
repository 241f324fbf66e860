#!/usr/bin/env bash
# Season backfill vs one single-date export on the same warehouse, same build, same run: wall time and peak RSS
# of whole processes (start-up included), plus the 1x -> 10x growth curve. Prints Markdown rows for RESULTS.md.
# Usage: benchmarks/season-backfill.sh [WORKDIR]   (needs /usr/bin/time; takes about 3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-${TMPDIR:-/tmp}/exportflows-season-bench}
mkdir -p "$work"
bin="$work/publish/exportflows"
echo "publishing a Release build to $work/publish" >&2
dotnet publish src/Worker -c Release -o "$work/publish" -v q >/dev/null

measure() { # label, command...: prints "label seconds peak_kB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; exit 1; }
  echo "$label $(cat "$work/time.txt")"
}

run_pair() { # name, sample folder, from, to, single date
  local name=$1 sample=$2 from=$3 to=$4 date=$5
  rm -rf "$work/out-single" "$work/out-season" "$work/journal.jsonl"
  local single season
  single=$(measure single "$bin" export --in-process --types subset-picks,daily-signals --date "$date" --now "${date}T23:00:00Z" \
    --warehouse "duckdb:$sample" --store "dir:$work/out-single")
  season=$(measure season "$bin" backfill --in-process --from "$from" --to "$to" \
    --warehouse "duckdb:$sample" --store "dir:$work/out-season" --journal "$work/journal.jsonl")
  local docs rows
  docs=$(find "$work/out-season/v1" -name '*.json' -not -path '*/.*' | wc -l)
  rows=$(($(wc -l < "$sample/nba_predictions.player_prop_predictions.csv") - 1))
  read -r _ s_sec s_kb <<<"$single"
  read -r _ b_sec b_kb <<<"$season"
  echo "| $name | $rows | $docs | ${s_sec} s / $((s_kb / 1024)) MB | ${b_sec} s / $((b_kb / 1024)) MB | $(awk "BEGIN {printf \"%.2f\", $b_sec / $s_sec}")x |"
}

gen() { # folder, extra args
  local folder=$1; shift
  [ -f "$folder/nba_predictions.player_prop_predictions.csv" ] || "$bin" sample-data --out "$folder" "$@" >/dev/null 2>&1
}

gen "$work/default"
gen "$work/x1" --scale 3 --systems 8
gen "$work/x10" --scale 30 --systems 8

echo "| warehouse | predictions | documents | one date (picks + signals) | season backfill | ratio |"
echo "|---|---|---|---|---|---|"
run_pair "default sample" "$work/default" 2025-11-01 2026-02-16 2026-02-03
run_pair "1x (real season: --scale 3 --systems 8)" "$work/x1" 2025-11-01 2026-02-16 2026-02-03
run_pair "10x (--scale 30 --systems 8)" "$work/x10" 2025-11-01 2026-02-16 2026-02-03
