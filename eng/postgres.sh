#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and development, from the machine's own server binaries.
#
#   eng/postgres.sh start [DIR]   initdb in DIR (a new temporary folder when none is given), start the server on
#                                 127.0.0.1 and a free port, print its connection string on the last line
#   eng/postgres.sh restart DIR   pg_ctl restart -m fast (what a database restart looks like to the nodes)
#   eng/postgres.sh stop DIR      stop the server by its pid and delete DIR
#
# The server listens on 127.0.0.1 only (its unix socket lives in DIR), with fsync=on and synchronous_commit=on, and
# trusts local connections: it is for tests, never for data. DIR/connection-string holds the Npgsql connection string.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user the Debian package creates.
# Debian's `postgresql` package is installed with apt-get when no server binaries are found.
set -euo pipefail

command=${1:-}
dir=${2:-}

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$found"
}

install_server() {
  echo "Installing PostgreSQL for the tests (apt-get install postgresql)..." >&2
  local sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >&2
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Runs a server binary as the user that owns the data folder (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "No free port found" >&2
  return 1
}

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ]; then
    install_server
    bin=$(find_bin)
  fi
  if [ -z "$bin" ]; then
    echo "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi

  if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/durably-postgres.XXXXXX); fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
  chmod 0700 "$dir"

  as_owner "$bin/initdb" -D "$dir/data" -U durably --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }

  # A port taken between the check and the bind makes the start fail: try another.
  local port
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 400
shared_buffers = 128MB
EOF
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      break
    fi
    if [ "$attempt" -eq 5 ]; then cat "$dir/server.log" >&2; exit 1; fi
  done

  local connection="Host=127.0.0.1;Port=$port;Username=durably;Database=postgres"
  echo "$connection" >"$dir/connection-string"
  echo "$bin" >"$dir/bin"
  echo "$dir"
  echo "$connection"
}

restart() {
  as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    local pid
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    # SIGINT is PostgreSQL's fast shutdown: it ends the sessions and exits cleanly.
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  restart) [ -n "$dir" ] || { echo "usage: $0 restart DIR" >&2; exit 2; }; restart ;;
  stop) [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop ;;
  *) echo "usage: $0 start [DIR] | restart DIR | stop DIR" >&2; exit 2 ;;
esac
