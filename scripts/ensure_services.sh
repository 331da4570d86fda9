#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer, then create the database roles the
# test suite needs:
#   * the owner role (user of DATABASE_URL, default brm_owner):
#       LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS - owns tables, runs migrations,
#       creates the test_<name> database;
#   * the runtime role ($DATABASE_RUNTIME_USER, default brm_app):
#       LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS - the role the tests run as.
# and the database named in DATABASE_URL, owned by the owner role.
#
# Everything is idempotent. Roles are managed through PG_ADMIN_URL (a superuser).
#
# When a local service is down and this runs as root on a Debian/Ubuntu box,
# the script starts (or apt-installs and starts) it. That, and switching local
# TCP auth to `trust`, is meant for throwaway CI/dev machines only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

DATABASE_URL="${DATABASE_URL:-postgres://brm_owner@127.0.0.1:5432/brm}"
DATABASE_RUNTIME_USER="${DATABASE_RUNTIME_USER:-brm_app}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
VENV_PYTHON="${VENV_PYTHON:-$ROOT/.venv/bin/python}"
WAIT_SECONDS="${WAIT_SECONDS:-30}"
export DATABASE_URL DATABASE_RUNTIME_USER REDIS_URL PG_ADMIN_URL

say() { printf 'ensure_services: %s\n' "$*"; }
die() { printf 'ensure_services: ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && have apt-get; }

# --- parse the URLs (python3 is always there) ---------------------------------
PARSED="$(python3 - <<'PY'
import os, shlex
from urllib.parse import urlsplit, unquote

def parts(url, default_port):
    u = urlsplit(url)
    host = unquote(u.hostname or "")
    return {
        "scheme": u.scheme,
        "host": host,
        "port": str(u.port or default_port),
        "user": unquote(u.username or ""),
        "password": unquote(u.password or ""),
        "db": unquote(u.path.lstrip("/")),
    }

def masked(url):
    u = urlsplit(url)
    if u.password is None:
        return url
    netloc = u.netloc.replace(":" + u.password + "@", ":***@", 1)
    return u._replace(netloc=netloc).geturl()

db = parts(os.environ["DATABASE_URL"], 5432)
adm = parts(os.environ["PG_ADMIN_URL"], 5432)
rds = parts(os.environ["REDIS_URL"], 6379)
out = {
    "PG_HOST": db["host"], "PG_PORT": db["port"],
    "OWNER_USER": db["user"] or "brm_owner", "OWNER_PASSWORD": db["password"],
    "DB_NAME": db["db"] or "brm",
    "ADMIN_HOST": adm["host"], "ADMIN_PORT": adm["port"],
    "REDIS_SCHEME": rds["scheme"], "REDIS_HOST": rds["host"] or "127.0.0.1",
    "REDIS_PORT": rds["port"], "REDIS_USER": rds["user"], "REDIS_PASSWORD": rds["password"],
    "DATABASE_URL_SHOWN": masked(os.environ["DATABASE_URL"]),
    "PG_ADMIN_URL_SHOWN": masked(os.environ["PG_ADMIN_URL"]),
}
for k, v in out.items():
    print(f"{k}={shlex.quote(v)}")
PY
)" || die "cannot parse DATABASE_URL / PG_ADMIN_URL / REDIS_URL"
eval "$PARSED"

# tests/conftest.py reconnects as the runtime role with the owner's password,
# so the runtime role gets the same password (if DATABASE_URL has one).
RUNTIME_PASSWORD="$OWNER_PASSWORD"

# An empty host means libpq's default Unix socket directory.
[ -n "$PG_HOST" ] || PG_HOST=/var/run/postgresql

is_local() {
    case "$1" in
        127.0.0.1|localhost|::1|/*) return 0 ;;
        *) return 1 ;;
    esac
}

APT_UPDATED=0
apt_install() {
    can_apt || return 1
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do
            # Another apt run may hold the lists lock; wait for it.
            if apt-get -o DPkg::Lock::Timeout=600 update -qq; then break; fi
            [ "$i" -eq 10 ] && return 1
            sleep 15
        done
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@"
}

# --- PostgreSQL -----------------------------------------------------------------
pg_ready() {
    if have pg_isready; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3
    else
        python3 - "$PG_HOST" "$PG_PORT" <<'PY'
import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    if host.startswith("/"):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(3)
        s.connect(f"{host}/.s.PGSQL.{port}")
    else:
        s = socket.create_connection((host, port), timeout=3)
    s.close()
except OSError:
    sys.exit(1)
PY
    fi
}

wait_for() {  # wait_for <check-function> : poll for up to WAIT_SECONDS
    local i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        "$1" && return 0
        sleep 1
    done
    "$1"
}

# Debian cluster whose configured port is the one we want (else the first one).
PG_VERSION=""
pick_cluster() {
    PG_VERSION=""
    [ -d /etc/postgresql ] || return 1
    local v first=""
    for v in $(ls /etc/postgresql | sort -V); do
        [ -f "/etc/postgresql/$v/main/postgresql.conf" ] || continue
        [ -n "$first" ] || first="$v"
        if grep -Eq "^[[:space:]]*port[[:space:]]*=[[:space:]]*${PG_PORT}\b" \
            "/etc/postgresql/$v/main/postgresql.conf"; then
            PG_VERSION="$v"
            return 0
        fi
    done
    PG_VERSION="$first"
    [ -n "$PG_VERSION" ]
}

start_cluster() {
    pick_cluster || return 1
    have pg_ctlcluster || return 1
    say "starting PostgreSQL cluster $PG_VERSION/main"
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
    wait_for pg_ready
}

PG_STARTED_HERE=0
PG_WHY=""
if pg_ready; then
    say "PostgreSQL answers at $PG_HOST:$PG_PORT"
elif ! is_local "$PG_HOST"; then
    die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT (not a local host, not starting anything). Start it or set DATABASE_URL and PG_ADMIN_URL."
else
    say "PostgreSQL not answering at $PG_HOST:$PG_PORT, trying to start it"
    if pick_cluster; then
        if is_root || [ "$(id -un)" = postgres ]; then
            start_cluster || PG_WHY="the local cluster $PG_VERSION/main did not start"
        else
            PG_WHY="a local cluster exists ($PG_VERSION/main) but starting it needs root or the postgres user"
        fi
    elif can_apt; then
        if apt_install postgresql; then
            if ! pick_cluster && have pg_createcluster; then
                v="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1)"
                [ -z "$v" ] || { say "creating cluster $v/main on port $PG_PORT"; pg_createcluster -p "$PG_PORT" "$v" main >/dev/null || true; }
            fi
            start_cluster || PG_WHY="PostgreSQL was installed but its cluster did not start"
        else
            PG_WHY="apt-get install postgresql failed"
        fi
    else
        PG_WHY="no apt-get / not root"
    fi
    pg_ready || die "PostgreSQL is not reachable at $PG_HOST:$PG_PORT and could not be installed or started: $PG_WHY. Install PostgreSQL 15+ or set DATABASE_URL and PG_ADMIN_URL."
    PG_STARTED_HERE=1
    say "PostgreSQL is up at $PG_HOST:$PG_PORT"
fi

# --- Redis ------------------------------------------------------------------------
redis_ready() {
    if have redis-cli && [ "$REDIS_SCHEME" != rediss ]; then
        local reply
        reply="$(REDISCLI_AUTH="$REDIS_PASSWORD" timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" \
            ${REDIS_USER:+--user "$REDIS_USER"} ping 2>/dev/null || true)"
        [ "$reply" = PONG ]
    else
        python3 - "$REDIS_HOST" "$REDIS_PORT" "$REDIS_SCHEME" "$REDIS_USER" "$REDIS_PASSWORD" <<'PY'
import socket, sys
host, port, scheme, user, password = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
try:
    s = socket.create_connection((host, port), timeout=3)
    if scheme == "rediss":  # TLS: a TCP connect is all we check
        s.close()
        sys.exit(0)
    if password:
        auth = [b"AUTH"] + ([user.encode()] if user else []) + [password.encode()]
        s.sendall(b"*%d\r\n" % len(auth) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in auth))
        s.recv(256)
    s.sendall(b"PING\r\n")
    data = s.recv(64)
    s.close()
    sys.exit(0 if data.startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
    fi
}

start_redis() {
    have redis-server || return 1
    say "starting redis-server on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null || true
    wait_for redis_ready
}

if redis_ready; then
    say "Redis answers at $REDIS_HOST:$REDIS_PORT"
elif ! is_local "$REDIS_HOST"; then
    die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT (not a local host, not starting anything). Start it or set REDIS_URL."
else
    say "Redis not answering at $REDIS_HOST:$REDIS_PORT, trying to start it"
    REDIS_WHY=""
    if ! have redis-server; then
        if can_apt; then
            apt_install redis-server || REDIS_WHY="apt-get install redis-server failed"
        else
            REDIS_WHY="redis-server is not installed and there is no apt-get / not root"
        fi
    fi
    # The Debian package may have started its own service already.
    if ! redis_ready && ! start_redis; then
        [ -n "$REDIS_WHY" ] || REDIS_WHY="redis-server did not come up"
        die "Redis is not reachable at $REDIS_HOST:$REDIS_PORT and could not be installed or started: $REDIS_WHY. Install Redis 7+ (apt-get install redis-server) or set REDIS_URL."
    fi
    say "Redis is up at $REDIS_HOST:$REDIS_PORT"
fi

# --- roles and database ------------------------------------------------------------
[ "$OWNER_USER" != "$DATABASE_RUNTIME_USER" ] \
    || die "DATABASE_RUNTIME_USER ($DATABASE_RUNTIME_USER) must differ from the owner role in DATABASE_URL"

# Exit codes: 0 done, 3 PG_ADMIN_URL cannot connect, 1 anything else.
ROLES_PY="$(cat <<'PY'
import os, sys
import psycopg2
from psycopg2 import sql

env = os.environ
owner, owner_pw = env["OWNER_USER"], env["OWNER_PASSWORD"]
runtime, runtime_pw = env["DATABASE_RUNTIME_USER"], env["RUNTIME_PASSWORD"]
dbname = env["DB_NAME"]
try:
    conn = psycopg2.connect(env["PG_ADMIN_URL"], connect_timeout=5)
except psycopg2.OperationalError as exc:
    print(str(exc).strip().splitlines()[0] if str(exc).strip() else exc, file=sys.stderr)
    sys.exit(3)
conn.autocommit = True
cur = conn.cursor()

def ensure_role(name, attrs, password):
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    exists = cur.fetchone() is not None
    stmt = sql.SQL("{} ROLE {} WITH " + attrs).format(
        sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(name))
    if password:
        stmt = stmt + sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    cur.execute(stmt)
    verb = "updated" if exists else "created"
    print(f"ensure_services: role {name} {verb} ({attrs})")

ensure_role(owner, "LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS", owner_pw)
ensure_role(runtime, "LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS", runtime_pw)

cur.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [dbname])
row = cur.fetchone()
if row is None:
    cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
        sql.Identifier(dbname), sql.Identifier(owner)))
    print(f"ensure_services: database {dbname} created (owner {owner})")
elif row[0] != owner:
    cur.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
        sql.Identifier(dbname), sql.Identifier(owner)))
    print(f"ensure_services: database {dbname} now owned by {owner} (was {row[0]})")
else:
    print(f"ensure_services: database {dbname} exists (owner {owner})")

# Each test run has its own test_<db>_<pid> database; drop those of runs that are gone
# (killed before pytest-django could drop them). Only on this machine's own server.
import os, re
cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"test_{dbname}_%"])
for (stale,) in cur.fetchall():
    m = re.fullmatch(rf"test_{re.escape(dbname)}_(\d+)", stale)
    if m and env["PG_LOCAL"] == "1" and not os.path.exists(f"/proc/{m.group(1)}"):
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale)))
        print(f"ensure_services: dropped stale test database {stale}")
conn.close()
PY
)"

# Same thing through psql, for when the venv has no psycopg2.
ROLES_SQL="
SELECT format('%s ROLE %I WITH LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS', CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') THEN 'ALTER' ELSE 'CREATE' END, :'owner') || CASE WHEN :'owner_pw' <> '' THEN format(' PASSWORD %L', :'owner_pw') ELSE '' END \\gexec
SELECT format('%s ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOBYPASSRLS', CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'runtime') THEN 'ALTER' ELSE 'CREATE' END, :'runtime') || CASE WHEN :'runtime_pw' <> '' THEN format(' PASSWORD %L', :'runtime_pw') ELSE '' END \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') FROM pg_database WHERE datname = :'db' AND pg_get_userbyid(datdba) <> :'owner' \\gexec
"

ROLES_VIA="${ROLES_VIA:-auto}"   # auto | python | psql (psql: for testing the fallback)
if [ "$ROLES_VIA" = auto ]; then
    if [ -x "$VENV_PYTHON" ] && "$VENV_PYTHON" -c 'import psycopg2' 2>/dev/null; then
        ROLES_VIA=python
    else
        ROLES_VIA=psql
        if ! have psql; then
            say "no psycopg2 in $VENV_PYTHON and no psql; installing postgresql-client"
            apt_install postgresql-client || die "cannot manage roles: neither psycopg2 in $VENV_PYTHON (run 'make venv') nor psql is available"
        fi
    fi
fi

PG_LOCAL=0
is_local "$PG_HOST" && PG_LOCAL=1
export OWNER_USER OWNER_PASSWORD RUNTIME_PASSWORD DB_NAME PG_LOCAL
ADMIN_ERR=""
manage_roles() {  # returns 0, 3 (admin cannot connect) or 1
    local rc=0
    if [ "$ROLES_VIA" = python ]; then
        ADMIN_ERR="$("$VENV_PYTHON" -c "$ROLES_PY" 2>&1 >&3)" || rc=$?
    else
        if ! PGCONNECT_TIMEOUT=5 psql "$PG_ADMIN_URL" -Atqc 'SELECT 1' >/dev/null 2>/tmp/ensure_services.$$; then
            ADMIN_ERR="$(head -n1 /tmp/ensure_services.$$)"
            rc=3
        else
            psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -Xq \
                -v owner="$OWNER_USER" -v owner_pw="$OWNER_PASSWORD" \
                -v runtime="$DATABASE_RUNTIME_USER" -v runtime_pw="$RUNTIME_PASSWORD" \
                -v db="$DB_NAME" <<<"$ROLES_SQL" >/dev/null 2>/tmp/ensure_services.$$ || rc=1
            ADMIN_ERR="$(cat /tmp/ensure_services.$$)"
            [ "$rc" -ne 0 ] || say "roles $OWNER_USER, $DATABASE_RUNTIME_USER and database $DB_NAME ensured (via psql)"
        fi
        rm -f /tmp/ensure_services.$$
    fi
    return "$rc"
}

# Can both roles already log in? (used when PG_ADMIN_URL is unusable)
roles_can_login() {
    local who pw ok=0
    for who in "$OWNER_USER" "$DATABASE_RUNTIME_USER"; do
        if [ "$who" = "$OWNER_USER" ]; then pw="$OWNER_PASSWORD"; else pw="$RUNTIME_PASSWORD"; fi
        if [ -x "$VENV_PYTHON" ] && "$VENV_PYTHON" -c 'import psycopg2' 2>/dev/null; then
            LOGIN_USER="$who" LOGIN_PW="$pw" PG_HOST="$PG_HOST" PG_PORT="$PG_PORT" "$VENV_PYTHON" -c '
import os, psycopg2
e = os.environ
psycopg2.connect(host=e["PG_HOST"], port=e["PG_PORT"], user=e["LOGIN_USER"],
                 password=e["LOGIN_PW"] or None, dbname="postgres", connect_timeout=5).close()
' 2>/dev/null || ok=1
        elif have psql; then
            PGPASSWORD="$pw" PGCONNECT_TIMEOUT=5 psql -h "$PG_HOST" -p "$PG_PORT" -U "$who" -d postgres \
                -Atqc 'SELECT 1' >/dev/null 2>&1 || ok=1
        else
            ok=1
        fi
    done
    return "$ok"
}

# Local TCP auth -> trust, only for a cluster this script started or installed
# (throwaway CI/dev machines; never do this on a shared server).
trust_local_tcp() {
    is_root && pick_cluster || return 1
    local hba="/etc/postgresql/$PG_VERSION/main/pg_hba.conf"
    [ -f "$hba" ] || return 1
    if ! grep -q 'ensure_services.sh' "$hba"; then
        say "setting trust auth for 127.0.0.1 / ::1 in $hba (throwaway machine)"
        { printf '# Added by scripts/ensure_services.sh for a throwaway CI/dev machine:\n'
          printf 'host    all    all    127.0.0.1/32    trust\n'
          printf 'host    all    all    ::1/128         trust\n'
          cat "$hba"; } >"$hba.new"
        chown --reference="$hba" "$hba.new" 2>/dev/null || true
        chmod --reference="$hba" "$hba.new" 2>/dev/null || true
        mv "$hba.new" "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main reload
}

rc=0
manage_roles 3>&1 || rc=$?
if [ "$rc" -eq 3 ] && [ "$PG_STARTED_HERE" -eq 1 ] && is_local "$PG_HOST" && trust_local_tcp; then
    rc=0
    manage_roles 3>&1 || rc=$?
fi
case "$rc" in
    0) ;;
    3)
        if roles_can_login; then
            say "note: cannot connect with PG_ADMIN_URL=$PG_ADMIN_URL_SHOWN ($ADMIN_ERR); roles $OWNER_USER and $DATABASE_RUNTIME_USER already log in, continuing without changing them"
        else
            die "cannot connect with PG_ADMIN_URL=$PG_ADMIN_URL_SHOWN ($ADMIN_ERR), and roles $OWNER_USER / $DATABASE_RUNTIME_USER cannot log in yet. Point PG_ADMIN_URL at a superuser, or create the roles yourself."
        fi
        ;;
    *) die "creating roles/database failed: $ADMIN_ERR" ;;
esac

say "ready: postgres $PG_HOST:$PG_PORT db=$DB_NAME owner=$OWNER_USER runtime=$DATABASE_RUNTIME_USER; redis $REDIS_HOST:$REDIS_PORT"
