#!/usr/bin/env bash
# Season load benchmark: 200 unit officials saving self-assessment items against gunicorn
# and the local PostgreSQL, all on 127.0.0.1 (see parindex/tools/bench/load.py and
# docs/performance.md). Extra arguments go to the benchmark, e.g.
#
#   scripts/bench-load.sh --users 200 --duration 60 --workers 4 --threads 4 --profile
#
# DATABASE_URL names the server; only the database parindex_bench is dropped and recreated.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parindex_bench}"
exec .venv/bin/python -m parindex.tools.bench.load "$@"
