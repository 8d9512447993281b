#!/usr/bin/env bash
# Reproduce the quality table of docs/evaluation.md: newsweave and every peer
# (sumy LexRank/TextRank/LSA/Luhn/KL-Sum/SumBasic, the lexrank package, Lead,
# Random, greedy oracle) on the dev sets in ../shared/data, same input and
# budget for all. Writes per-cluster JSONL, Markdown tables and PNG plots to
# $OUT. Extra arguments go to every `newsweave eval` call (e.g. --limit 20).
#
#   make bench-quality            # or: bash scripts/bench_quality.sh
#   DATA=/path/to/data OUT=out bash scripts/bench_quality.sh --limit 20
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
OUT=${OUT:-bench-results/quality}
NW=${NEWSWEAVE:-python -m newsweave.cli}
mkdir -p "$OUT"
found=0
run() { # set file, then options
  local set=$1; shift
  if [[ -f "$DATA/$set.jsonl" ]]; then
    found=$((found + 1))
    $NW eval "$DATA/$set.jsonl" -o "$OUT" "$@"
  else
    echo "skipping $set: $DATA/$set.jsonl not found" >&2
  fi
}
run multinews_val250 --length auto --also-embedder tfidf "$@"      # F1 of the whole output
run duc2003_task2 --cap 100w --also-embedder tfidf "$@"            # recall at 100 words
run tac2011_multiling_en --length auto --also-embedder tfidf "$@"  # F1 of the whole output
if [[ $found -eq 0 ]]; then
  echo "no data set found in $DATA: nothing measured (set DATA=/path/to/data)" >&2
  exit 1
fi
cat "$OUT"/multinews_val250.md "$OUT"/duc2003_task2.md "$OUT"/tac2011_multiling_en.md \
  >"$OUT/quality.md" 2>/dev/null || true
echo "tables: $OUT/quality.md; plots: $OUT/*.png" >&2
