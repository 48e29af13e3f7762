#!/usr/bin/env bash
# Start (idempotently) a throwaway PostgreSQL server on loopback for the store tests and
# print its SQLAlchemy URL. Uses Debian's postgresql binaries; the data directory lives
# under /tmp and is owned by the postgres user (the server refuses to run as root).
set -euo pipefail
PORT=${XNER_PG_PORT:-54329}
DATA=${XNER_PG_DATA:-/tmp/xner-pg-test}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
RUN=()
if [ "$(id -u)" -eq 0 ]; then
    RUN=(runuser -u postgres --)
    mkdir -p "$DATA" && chown postgres: "$DATA"
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
    "${RUN[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres > /dev/null
fi
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" status > /dev/null 2>&1; then
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start > /dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
