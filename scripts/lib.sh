#!/usr/bin/env bash
# shellcheck shell=bash
# scripts/lib.sh — helpers shared by deploy/local/{up,down} and tests/run.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
#
# Defines NTM_ROOT (the repository root) and functions; changes no shell options. Every function
# checks its own errors and returns non-zero, so it behaves the same with or without `set -e`
# (bash ignores `set -e` inside a function called from `if` or `||`).
#
# Relative directories given to these functions are taken relative to NTM_ROOT.
#
# Environment read here (all optional):
#   NTM_BUILD_JOBS            parallel jobs for ninja (ninja's own default when unset)
#   NTM_MARIADB_USER          application user that ntm_mariadb_start creates (default: ntm)
#   NTM_MARIADB_PASSWORD      its password (default: ntm-local; for local use only)
#   NTM_MARIADB_COLLATION     server default collation (default: utf8mb4_vietnamese_ci when the
#                             server has it, else utf8mb4_unicode_520_ci)
#   NTM_MARIADB_EXTRA_CNF     extra lines for the [mysqld] section of the generated my.cnf
#   NTM_MARIADB_START_TIMEOUT seconds to wait for MariaDB to answer (default: 60)

NTM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NTM_LOG_NAME=${NTM_LOG_NAME:-ntm}

# Debian packages the project builds, tests and runs with. nodejs and npm are checked by command,
# not by package, because a machine may have Node.js from another source that bundles npm.
NTM_APT_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libmysqlcppconn-dev mariadb-server mariadb-client libcurl4-openssl-dev libssl-dev
  libmicrohttpd-dev curl python3-aiosmtpd iproute2 python3-yaml
  googletest libgtest-dev libgmock-dev libbenchmark-dev
)
NTM_BUF_VERSION=1.47.2
NTM_BUF=$NTM_ROOT/tools/buf/node_modules/.bin/buf

# ---------------------------------------------------------------------------------------------
# Logging

ntm_log() { printf '[%s] %s\n' "$NTM_LOG_NAME" "$*" >&2; }
ntm_warn() { printf '[%s] warning: %s\n' "$NTM_LOG_NAME" "$*" >&2; }
ntm_err() { printf '[%s] error: %s\n' "$NTM_LOG_NAME" "$*" >&2; }
ntm_die() {
  ntm_err "$*"
  exit 1
}

# ntm_tail_log <file> [lines] — show the end of a log file on stderr, indented.
ntm_tail_log() {
  local file=$1 lines=${2:-30}
  if [ -s "$file" ]; then
    printf '[%s] --- last %s lines of %s ---\n' "$NTM_LOG_NAME" "$lines" "$file" >&2
    tail -n "$lines" "$file" | sed 's/^/    /' >&2
  else
    printf '[%s] (%s is empty or missing)\n' "$NTM_LOG_NAME" "$file" >&2
  fi
}

# ntm_abspath <path> — absolute form of a path; relative paths are taken from NTM_ROOT.
ntm_abspath() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$NTM_ROOT/$1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Dependencies

ntm__pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ntm_install_deps — install the missing Debian packages and the project-local buf. Idempotent:
# when everything is there it only checks.
ntm_install_deps() {
  local missing=() p
  for p in "${NTM_APT_PACKAGES[@]}"; do
    ntm__pkg_installed "$p" || missing+=("$p")
  done
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)

  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      ntm_err "missing Debian packages: ${missing[*]} (run as root, or install them first)"
      return 1
    fi
    ntm_log "installing Debian packages: ${missing[*]}"
    local log rc=0 policy=
    log=$(mktemp)
    # Keep apt from starting a system-wide MariaDB: the project runs its own, under var/.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
    fi
    {
      apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    } >"$log" 2>&1 </dev/null || rc=$?
    [ -z "$policy" ] || rm -f "$policy"
    if [ "$rc" != 0 ]; then
      ntm_tail_log "$log" 40
      rm -f "$log"
      ntm_err "apt-get failed (exit $rc)"
      return 1
    fi
    rm -f "$log"
    ntm_log "installed: ${missing[*]}"
  fi

  ntm_install_buf
}

# ntm_install_kubectl — kubectl, for rendering the Kubernetes manifests (`kubectl kustomize`, which
# needs no cluster). Checked by command, not by package: a machine may have kubectl from another
# source; when it has none, Debian's kubernetes-client is installed.
ntm_install_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then
    ntm_err "kubectl is missing (run as root to install Debian's kubernetes-client, or install it)"
    return 1
  fi
  ntm_log "installing Debian package: kubernetes-client (kubectl)"
  local log
  log=$(mktemp)
  if ! { apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kubernetes-client; } \
    >"$log" 2>&1 </dev/null; then
    ntm_tail_log "$log" 40
    rm -f "$log"
    ntm_err "apt-get install kubernetes-client failed"
    return 1
  fi
  rm -f "$log"
}

# ntm_install_buf — buf (the protobuf linter) from npm, into tools/buf/node_modules (git-ignored).
ntm_install_buf() {
  local v
  v=$("$NTM_BUF" --version 2>/dev/null) || v=
  [ "$v" = "$NTM_BUF_VERSION" ] && return 0
  ntm_log "installing buf $NTM_BUF_VERSION (npm package @bufbuild/buf, into tools/buf)"
  local log
  log=$(mktemp)
  mkdir -p "$NTM_ROOT/tools/buf" || return 1
  if ! npm install --prefix "$NTM_ROOT/tools/buf" --no-save --no-audit --no-fund --loglevel=error \
    "@bufbuild/buf@$NTM_BUF_VERSION" >"$log" 2>&1 </dev/null; then
    ntm_tail_log "$log"
    rm -f "$log"
    ntm_err "npm install of @bufbuild/buf failed"
    return 1
  fi
  rm -f "$log"
  v=$("$NTM_BUF" --version 2>&1) || {
    ntm_err "buf does not run: $v"
    return 1
  }
  [ "$v" = "$NTM_BUF_VERSION" ] || {
    ntm_err "buf reports version '$v', expected $NTM_BUF_VERSION"
    return 1
  }
  ntm_log "buf $v ready"
}

# ---------------------------------------------------------------------------------------------
# Build

# ntm_build <dir> [cmake args...] — configure (Ninja, RelWithDebInfo unless the args say otherwise)
# and build everything in <dir>.
ntm_build() {
  local dir
  dir=$(ntm_abspath "${1:?ntm_build: build directory}") || return 1
  shift
  ntm_log "configuring ${dir#"$NTM_ROOT"/}${*:+ $*}"
  cmake -S "$NTM_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" || {
    ntm_err "cmake configure of $dir failed"
    return 1
  }
  ntm_log "building ${dir#"$NTM_ROOT"/}"
  # NTM_BUILD_TARGETS: build only these targets (default: everything).
  # shellcheck disable=SC2086
  ninja -C "$dir" ${NTM_BUILD_JOBS:+-j "$NTM_BUILD_JOBS"} ${NTM_BUILD_TARGETS:-} || {
    ntm_err "build in $dir failed"
    return 1
  }
}

# ---------------------------------------------------------------------------------------------
# Processes and ports

# ntm_pid_alive <pidfile> [name] — true when the pid file names a live process whose command line
# contains <name> (so a recycled pid is not taken for ours). Prints the pid.
ntm_pid_alive() {
  local pidfile=$1 name=${2:-} pid
  [ -s "$pidfile" ] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -n "$name" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$name" || return 1
  fi
  printf '%s\n' "$pid"
}

# ntm_stop_pid <pid> <what> [timeout] — SIGTERM, wait up to timeout seconds (default 30), SIGKILL.
ntm_stop_pid() {
  local pid=$1 what=$2 timeout=${3:-30} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  ntm_warn "$what (pid $pid) still running ${timeout}s after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  ntm_err "$what (pid $pid) did not exit"
  return 1
}

# ntm_port_open <port> [host] — true when something accepts TCP connections there.
ntm_port_open() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# ntm_port_free <port> — true when 127.0.0.1:<port> can be bound.
ntm_port_free() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" 2>/dev/null <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# As servers do: connections of an earlier server still in TIME_WAIT do not make the port busy.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
  else
    ! ntm_port_open "$1"
  fi
}

# ntm_free_port [first] — print the first free port on 127.0.0.1 from <first> (default 33060) on.
ntm_free_port() {
  local p=${1:-33060} last
  last=$((p + 1000))
  for (( ; p < last; p++)); do
    if ntm_port_free "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  ntm_err "no free port in ${1:-33060}..$last"
  return 1
}

# ntm_wait_port <port> <seconds> [pid] — wait until 127.0.0.1:<port> accepts connections; fail
# early when <pid> is given and that process exits.
ntm_wait_port() {
  local port=$1 seconds=$2 pid=${3:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    ntm_port_open "$port" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# MariaDB, project-local: everything of one server lives under one directory:
#   <dir>/my.cnf  <dir>/data/  <dir>/run/{mariadbd.pid,mysqld.sock}  <dir>/log/error.log  <dir>/tmp/
# Root authenticates over the socket only; the application user connects over 127.0.0.1.

ntm__mariadb_bin() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
    if [ -x "/usr/sbin/$name" ]; then
      printf '%s\n' "/usr/sbin/$name"
      return 0
    fi
  done
  ntm_err "none of $* found (is mariadb-server installed?)"
  return 1
}

# ntm_mariadb_collation — the default collation to give the server: NTM_MARIADB_COLLATION, else
# the first this server knows of: utf8mb4_uca1400_vietnamese_as_cs (Vietnamese order, tone marks
# and case kept distinct: the collation the services give their schemas), utf8mb4_vietnamese_ci,
# utf8mb4_unicode_520_ci.
ntm_mariadb_collation() {
  if [ -n "${NTM_MARIADB_COLLATION:-}" ]; then
    printf '%s\n' "$NTM_MARIADB_COLLATION"
    return 0
  fi
  local server c
  server=$(ntm__mariadb_bin mariadbd mysqld) || return 1
  for c in utf8mb4_uca1400_vietnamese_as_cs utf8mb4_vietnamese_ci utf8mb4_unicode_520_ci; do
    # The server rejects an unknown collation while parsing options, before doing anything else.
    if "$server" --no-defaults --user=root --character-set-server=utf8mb4 --collation-server="$c" \
      --verbose --help >/dev/null 2>&1; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  printf 'utf8mb4_unicode_ci\n'
}

ntm__mariadb_socket() {
  local dir=$1 sock
  sock=$dir/run/mysqld.sock
  # A unix socket path must fit in 108 bytes; a deep checkout gets one under /tmp instead.
  if [ ${#sock} -gt 100 ]; then
    sock=/tmp/ntm-mariadb-$(printf '%s' "$dir" | cksum | cut -d' ' -f1).sock
  fi
  printf '%s\n' "$sock"
}

ntm__mariadb_write_cnf() {
  local dir=$1 port=$2 sock collation
  sock=$(ntm__mariadb_socket "$dir") || return 1
  collation=$(ntm_mariadb_collation) || return 1
  cat >"$dir/my.cnf.new" <<EOF || return 1
# Generated by scripts/lib.sh (ntm_mariadb_start) on every start; edits are lost.
[client]
port=$port
socket=$sock
user=root

[mysqld]
user=root
datadir=$dir/data
tmpdir=$dir/tmp
socket=$sock
pid-file=$dir/run/mariadbd.pid
log-error=$dir/log/error.log
port=$port
bind-address=${NTM_MARIADB_BIND:-127.0.0.1}
skip-name-resolve
character-set-server=utf8mb4
collation-server=$collation
# Instants are stored and compared in UTC; people see Asia/Ho_Chi_Minh, converted by the services.
default-time-zone=+00:00
${NTM_MARIADB_EXTRA_CNF:-}
EOF
  mv "$dir/my.cnf.new" "$dir/my.cnf"
}

# ntm_mariadb_running <dir> — true (and prints the pid) when the server of <dir> runs.
ntm_mariadb_running() {
  local dir
  dir=$(ntm_abspath "$1") || return 1
  ntm_pid_alive "$dir/run/mariadbd.pid" "$dir/my.cnf"
}

# ntm_mariadb_sql <dir> [sql] — run SQL as root over the socket (from stdin when no sql given).
ntm_mariadb_sql() {
  local dir client
  dir=$(ntm_abspath "$1") || return 1
  client=$(ntm__mariadb_bin mariadb mysql) || return 1
  if [ $# -ge 2 ]; then
    "$client" --defaults-file="$dir/my.cnf" --batch --skip-column-names -e "$2"
  else
    "$client" --defaults-file="$dir/my.cnf" --batch --skip-column-names
  fi
}

ntm__sql_quote() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}

# ntm_mariadb_start <dir> <port> — create the server in <dir> if it does not exist, start it on
# 127.0.0.1:<port> in the background, wait until it answers, and (re)create the application user
# (NTM_MARIADB_USER / NTM_MARIADB_PASSWORD) with ALL on `ntm\_%`.*: that is all it needs to create
# and drop its own databases (ntm_assessment, ntm_test_x, ...) and nothing else; it gets no global
# privilege. Idempotent: a running server is kept, and the user's password is reset to the current one.
# NTM_MARIADB_BIND listens on another address than 127.0.0.1 (0.0.0.0: all), and
# NTM_MARIADB_USER_HOSTS names the hosts the user may connect from (default "localhost 127.0.0.1";
# e.g. "localhost 10.77.0.%" for a network of its own).
ntm_mariadb_start() {
  local dir port server admin pid i timeout
  dir=$(ntm_abspath "${1:?ntm_mariadb_start: directory}") || return 1
  port=${2:?ntm_mariadb_start: port}
  timeout=${NTM_MARIADB_START_TIMEOUT:-60}
  server=$(ntm__mariadb_bin mariadbd mysqld) || return 1
  admin=$(ntm__mariadb_bin mariadb-admin mysqladmin) || return 1

  if pid=$(ntm_mariadb_running "$dir"); then
    ntm_log "MariaDB already running (pid $pid, ${dir#"$NTM_ROOT"/})"
  else
    mkdir -p "$dir/data" "$dir/run" "$dir/log" "$dir/tmp" || return 1
    rm -f "$dir/run/mariadbd.pid"
    ntm__mariadb_write_cnf "$dir" "$port" || return 1

    if [ ! -d "$dir/data/mysql" ]; then
      ntm_log "initialising MariaDB data directory ${dir#"$NTM_ROOT"/}/data"
      local install
      install=$(ntm__mariadb_bin mariadb-install-db mysql_install_db) || return 1
      if ! "$install" --defaults-file="$dir/my.cnf" --auth-root-authentication-method=socket \
        --skip-test-db >"$dir/log/install.log" 2>&1 </dev/null; then
        ntm_tail_log "$dir/log/install.log"
        ntm_tail_log "$dir/log/error.log"
        ntm_err "mariadb-install-db failed"
        return 1
      fi
    fi

    if ! ntm_port_free "$port"; then
      ntm_err "port $port on 127.0.0.1 is already in use; MariaDB cannot listen there"
      return 1
    fi
    ntm_log "starting MariaDB on ${NTM_MARIADB_BIND:-127.0.0.1}:$port (${dir#"$NTM_ROOT"/})"
    nohup "$server" --defaults-file="$dir/my.cnf" </dev/null >>"$dir/log/mariadbd.out" 2>&1 &
    pid=$!
    for ((i = 0; ; i++)); do
      if "$admin" --defaults-file="$dir/my.cnf" --connect-timeout=2 ping >/dev/null 2>&1; then
        break
      fi
      if ! kill -0 "$pid" 2>/dev/null; then
        ntm_tail_log "$dir/log/error.log"
        ntm_err "MariaDB exited during start-up"
        return 1
      fi
      if [ "$i" -ge $((timeout * 4)) ]; then
        ntm_tail_log "$dir/log/error.log"
        ntm_err "MariaDB did not answer within ${timeout}s; stopping it"
        ntm_stop_pid "$pid" MariaDB 30 || true
        return 1
      fi
      sleep 0.25
    done
    ntm_log "MariaDB is up (pid $pid)"
  fi

  ntm__mariadb_setup_user "$dir"
}

ntm__mariadb_setup_user() {
  local dir=$1 user=${NTM_MARIADB_USER:-ntm} pw host sql=
  pw=$(ntm__sql_quote "${NTM_MARIADB_PASSWORD:-ntm-local}")
  case $user in
    '' | *[!A-Za-z0-9_]*)
      ntm_err "NTM_MARIADB_USER must be letters, digits and _ only"
      return 1
      ;;
  esac
  # Anonymous accounts would shadow user@localhost; a fresh data directory may have them.
  sql+="DELETE FROM mysql.global_priv WHERE User = '';"
  for host in ${NTM_MARIADB_USER_HOSTS:-localhost 127.0.0.1}; do
    case $host in
      '' | *[!A-Za-z0-9.%_:-]*)
        ntm_err "NTM_MARIADB_USER_HOSTS: '$host' is not a host name, address or pattern"
        return 1
        ;;
    esac
    sql+="CREATE USER IF NOT EXISTS '$user'@'$host' IDENTIFIED BY $pw;"
    sql+="ALTER USER '$user'@'$host' IDENTIFIED BY $pw;"
    sql+="GRANT ALL PRIVILEGES ON \`ntm\\_%\`.* TO '$user'@'$host';"
  done
  sql+="FLUSH PRIVILEGES;"
  # Through stdin, so the password does not show in the process list.
  printf '%s\n' "$sql" | ntm_mariadb_sql "$dir" || {
    ntm_err "could not create the MariaDB user $user"
    return 1
  }
}

# ntm_mariadb_create_database <dir> <name> — CREATE DATABASE IF NOT EXISTS, utf8mb4 with the
# server's default collation (naming only the character set would give utf8mb4_general_ci).
ntm_mariadb_create_database() {
  local dir=$1 name=$2 collation
  case $name in
    '' | *[!A-Za-z0-9_]*)
      ntm_err "database name must be letters, digits and _ only: '$name'"
      return 1
      ;;
  esac
  collation=$(ntm_mariadb_sql "$dir" 'SELECT @@collation_server') || return 1
  ntm_mariadb_sql "$dir" \
    "CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE $collation" || {
    ntm_err "could not create database $name"
    return 1
  }
}

# ntm_mariadb_stop <dir> — shut the server of <dir> down (mariadb-admin shutdown, then signals),
# bounded in time. Keeps the data. No-op when it is not running.
ntm_mariadb_stop() {
  local dir pid admin i
  dir=$(ntm_abspath "${1:?ntm_mariadb_stop: directory}") || return 1
  if ! pid=$(ntm_mariadb_running "$dir"); then
    rm -f "$dir/run/mariadbd.pid"
    ntm_log "MariaDB not running (${dir#"$NTM_ROOT"/})"
    return 0
  fi
  ntm_log "stopping MariaDB (pid $pid)"
  admin=$(ntm__mariadb_bin mariadb-admin mysqladmin) || return 1
  timeout 60 "$admin" --defaults-file="$dir/my.cnf" --connect-timeout=5 shutdown \
    >/dev/null 2>&1 </dev/null || ntm_warn "mariadb-admin shutdown failed; signalling instead"
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    ntm_stop_pid "$pid" MariaDB 30 || return 1
  fi
  rm -f "$dir/run/mariadbd.pid"
  ntm_log "MariaDB stopped"
}
