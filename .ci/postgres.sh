# Starts a throwaway PostgreSQL server for the store tests and exports its URL.
#
# Source it from bash, as `.ci/run` does:
#
#   . .ci/postgres.sh || exit 1      # exports MINE_REFINE_PG_URL
#   pnpm test                        # the store suite also runs against PostgreSQL
#   mine_refine_pg_stop              # optional: the EXIT trap set here stops the server too
#
# The server is a new cluster in a temporary directory, listening on 127.0.0.1 only, on a free
# port, with a database `mine_refine` owned by a user `mine_refine` whose password is random.
# When PostgreSQL is missing and the shell runs as root, the Debian `postgresql` package is
# installed first, without Debian's default cluster. As root the server runs as the `postgres`
# user, because PostgreSQL refuses to run as root; otherwise it runs as the current user.
# Set MINE_REFINE_PG_VERBOSE=1 to print each step.

# Locate the newest installed server binaries, such as /usr/lib/postgresql/15/bin.
_mine_refine_pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    printf '%s\n' "$dir"
    return 0
  fi
  return 1
}

_mine_refine_pg_log() {
  if [ "${MINE_REFINE_PG_VERBOSE:-0}" = 1 ]; then printf 'postgres.sh: %s\n' "$*" >&2; fi
}

# Run a command as the server's owner.
_mine_refine_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Install the Debian package when the server binaries are missing. Debian's postinst would create
# and start a `main` cluster on port 5432; createcluster.conf turns that off, because the tests
# need only the throwaway cluster.
_mine_refine_pg_install() {
  if _mine_refine_pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    printf 'postgres.sh: PostgreSQL server binaries not found under /usr/lib/postgresql. Install the postgresql package, or run as root so that this script installs it.\n' >&2
    return 1
  fi
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    printf 'create_main_cluster = false\n' >/etc/postgresql-common/createcluster.conf
  fi
  _mine_refine_pg_log "installing postgresql with apt-get"
  apt-get update >&2 || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >&2 || return 1
  _mine_refine_pg_bindir >/dev/null
}

# Print a TCP port on 127.0.0.1 that nothing listens on, trying random ports in 20000-59999.
_mine_refine_pg_free_port() {
  local attempt port
  for attempt in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  printf 'postgres.sh: no free port on 127.0.0.1 after 50 attempts.\n' >&2
  return 1
}

# Stop the server and remove its directory. Safe to call twice.
mine_refine_pg_stop() {
  if [ -n "${MINE_REFINE_PG_DIR:-}" ] && [ -d "$MINE_REFINE_PG_DIR" ]; then
    local bindir
    bindir=$(_mine_refine_pg_bindir)
    if [ -f "$MINE_REFINE_PG_DIR/data/postmaster.pid" ]; then
      _mine_refine_pg_as_owner "$bindir/pg_ctl" -D "$MINE_REFINE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
        printf 'postgres.sh: pg_ctl stop failed; see %s/server.log\n' "$MINE_REFINE_PG_DIR" >&2
    fi
    rm -rf "$MINE_REFINE_PG_DIR"
    _mine_refine_pg_log "stopped the server and removed $MINE_REFINE_PG_DIR"
  fi
  unset MINE_REFINE_PG_DIR MINE_REFINE_PG_URL
}

# Run mine_refine_pg_stop at exit, before any EXIT trap the caller had set.
_mine_refine_pg_chain_exit_trap() {
  local previous=""
  # `trap -p EXIT` prints `trap -- 'command' EXIT`; set -- splits it with the shell's own quoting.
  eval "set -- $(trap -p EXIT)"
  if [ $# -ge 3 ]; then previous=$3; fi
  case "$previous" in
    *mine_refine_pg_stop*) return 0 ;;
    "") trap -- 'mine_refine_pg_stop' EXIT ;;
    *) trap -- "mine_refine_pg_stop; $previous" EXIT ;;
  esac
}

mine_refine_pg_start() {
  local bindir dir port password attempt
  _mine_refine_pg_install || return 1
  bindir=$(_mine_refine_pg_bindir) || return 1

  dir=$(mktemp -d "${TMPDIR:-/tmp}/mine-refine-pg.XXXXXX") || return 1
  chmod 700 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  MINE_REFINE_PG_DIR=$dir
  export MINE_REFINE_PG_DIR

  if ! _mine_refine_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    printf 'postgres.sh: initdb failed:\n' >&2
    cat "$dir/initdb.log" >&2
    mine_refine_pg_stop
    return 1
  fi

  # A port that was free when probed can be taken before the server binds it, so retry. fsync is
  # off because the cluster is deleted after the run and no test crashes the server itself.
  for attempt in 1 2 3; do
    port=$(_mine_refine_pg_free_port) || { mine_refine_pg_stop; return 1; }
    _mine_refine_pg_log "starting the server on 127.0.0.1:$port in $dir"
    if _mine_refine_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    printf 'postgres.sh: the server did not start; its log follows:\n' >&2
    cat "$dir/server.log" >&2
    mine_refine_pg_stop
    return 1
  fi

  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  if ! _mine_refine_pg_as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE mine_refine LOGIN PASSWORD '$password';
CREATE DATABASE mine_refine OWNER mine_refine;
SQL
  then
    printf 'postgres.sh: creating the user and database failed.\n' >&2
    mine_refine_pg_stop
    return 1
  fi

  MINE_REFINE_PG_URL="postgresql://mine_refine:$password@127.0.0.1:$port/mine_refine"
  export MINE_REFINE_PG_URL
  _mine_refine_pg_chain_exit_trap
  printf 'postgres.sh: PostgreSQL %s listening on 127.0.0.1:%s, MINE_REFINE_PG_URL exported.\n' \
    "$(basename "$(dirname "$bindir")")" "$port" >&2
}

mine_refine_pg_start
