# Sourced by scripts/test and bench/run: starts the local PostgreSQL cluster (creating one if
# there is none), makes the role `aduan` (password `aduan`, may create databases), drops test
# databases left by interrupted runs, and exports ADUAN_TEST_PG_URL. Sets pg_port and
# as_postgres for the caller. Without PostgreSQL installed: an error under CI=true, else nothing.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
if command -v pg_lsclusters >/dev/null 2>&1; then
  read -r pg_ver pg_name pg_port pg_status _ < <(pg_lsclusters -h | head -n1) || true
  if [ -z "${pg_ver:-}" ]; then
    echo "[postgres] no PostgreSQL cluster: creating one"
    pg_ver=$(ls /usr/lib/postgresql | sort -n | tail -n1); pg_name=main
    if [ "$(id -u)" -eq 0 ]; then pg_createcluster "$pg_ver" main; else sudo pg_createcluster "$pg_ver" main; fi
    read -r pg_ver pg_name pg_port pg_status _ < <(pg_lsclusters -h | head -n1)
  fi
  if [ "$pg_status" != online ]; then
    echo "[postgres] starting PostgreSQL $pg_ver/$pg_name"
    if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster "$pg_ver" "$pg_name" start; else sudo pg_ctlcluster "$pg_ver" "$pg_name" start; fi
  fi
  as_postgres psql -p "$pg_port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname='aduan'" | grep -q 1 \
    || as_postgres psql -p "$pg_port" -qc "CREATE ROLE aduan LOGIN PASSWORD 'aduan' CREATEDB"
  # Databases left by interrupted runs.
  for db in $(as_postgres psql -p "$pg_port" -qtAc "SELECT datname FROM pg_database WHERE datname LIKE 'aduan_test_%'"); do
    as_postgres dropdb -p "$pg_port" --if-exists "$db" || true
  done
  export ADUAN_TEST_PG_URL="${ADUAN_TEST_PG_URL:-postgres://aduan:aduan@127.0.0.1:$pg_port/postgres}"
elif [ "${CI:-}" = true ]; then
  echo "[postgres] PostgreSQL is required under CI=true" >&2
  exit 1
fi

