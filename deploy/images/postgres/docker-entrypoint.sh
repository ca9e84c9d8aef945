#!/bin/bash
# The entrypoint of orchestry/postgres (deploy/images/postgres). Like the official postgres image's, it initialises an
# empty data folder ($PGDATA, on the volume) from the environment, then execs postgres as user postgres:
#   POSTGRES_USER           the cluster's superuser (default postgres)
#   POSTGRES_PASSWORD_FILE  a file holding its password (its first line), or else
#   POSTGRES_PASSWORD       the password itself
#   POSTGRES_DB             a database made at initialisation, owned by the user (default: the user's name)
#   ORCHESTRY_REMOVE_PASSWORD_FILE=true  delete the password file once read (Orchestry copies one in per start)
# At every start, new data folder or kept one, the user's password is set to the one given, so that kept data takes a
# new password; with none given, kept data keeps its password and a new folder is refused. Authentication:
# trust over the local socket (this container only), scram-sha-256 over TCP from anywhere.
# Arguments: PostgreSQL's own (-c name=value ...), appended after listen_addresses=*; an argument list that does not
# start with '-' is a command run instead (e.g. bash).
# The password never reaches a command line, the log or the server's environment.
set -Eeuo pipefail

if [[ $# -gt 0 && "$1" != -* ]]; then
  exec "$@"
fi

fail() { echo "orchestry/postgres: $*" >&2; exit 1; }

user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
password=""
if [[ -n "${POSTGRES_PASSWORD_FILE:-}" ]]; then
  [[ -r "$POSTGRES_PASSWORD_FILE" ]] || fail "POSTGRES_PASSWORD_FILE $POSTGRES_PASSWORD_FILE cannot be read"
  IFS= read -r password <"$POSTGRES_PASSWORD_FILE" || [[ -n "$password" ]] || true
  if [[ "${ORCHESTRY_REMOVE_PASSWORD_FILE:-}" == true ]]; then
    rm -f "$POSTGRES_PASSWORD_FILE" || true
  fi
elif [[ -n "${POSTGRES_PASSWORD:-}" ]]; then
  password="$POSTGRES_PASSWORD"
fi
unset POSTGRES_PASSWORD POSTGRES_PASSWORD_FILE
# the password goes into an SQL string below: one line of printable characters, no control characters
if [[ "$password" == *[[:cntrl:]]* ]]; then
  fail "the password must be one line without control characters"
fi

as_postgres=()
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

dq='"'
sq="'"
sql_identifier() { printf '"%s"' "${1//$dq/$dq$dq}"; }
sql_literal() { printf "'%s'" "${1//$sq/$sq$sq}"; }

# Statements in single-user mode, before the server listens: nothing can connect in between. Its exit status is 0
# even when a statement fails: its errors are read from stderr. The statements hold the password: never logged
# (log_min_error_statement=panic), and an error line that quotes it is not shown.
single_user() {
  local errors first
  errors="$(printf '%s\n' "$1" | "${as_postgres[@]}" postgres --single -j -D "$PGDATA" \
              -c log_min_error_statement=panic -c log_statement=none template1 2>&1 >/dev/null)" || fail "$2"
  first="$(grep -m1 -E '(ERROR|FATAL|PANIC):' <<<"$errors" || true)"
  if [[ -n "$first" ]]; then
    first="$(sed -E 's/^.*(ERROR|FATAL|PANIC): *//' <<<"$first")"
    if [[ -n "$password" && "$first" == *"$password"* ]]; then
      first="(the error quotes the password: not shown)"
    fi
    fail "$2: $first"
  fi
}

statements=""
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  [[ -n "$password" ]] || fail "an empty data folder needs POSTGRES_PASSWORD_FILE or POSTGRES_PASSWORD"
  "${as_postgres[@]}" initdb -D "$PGDATA" --username="$user" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  printf '\n# Orchestry: clients connect over TCP from anywhere, with a password\nhost all all all scram-sha-256\n' \
    >>"$PGDATA/pg_hba.conf"
  if [[ "$database" != postgres ]]; then
    statements+="CREATE DATABASE $(sql_identifier "$database") OWNER $(sql_identifier "$user");"$'\n\n'
  fi
  echo "orchestry/postgres: initialised $PGDATA for user $user, database $database" >&2
fi
if [[ -n "$password" ]]; then
  statements="ALTER ROLE $(sql_identifier "$user") PASSWORD $(sql_literal "$password");"$'\n\n'"$statements"
fi
if [[ -n "$statements" ]]; then
  single_user "$statements" "could not set the password of $user or make database $database"
fi
password=""
statements=""

exec "${as_postgres[@]}" postgres -D "$PGDATA" -c listen_addresses='*' "$@"
