#!/usr/bin/env bash
# Stop a ZooKeeper started by zk-start.sh, by its PID (never by name), and remove its directory.
#
#   test/support/zk-stop.sh [--kill] <pid> <dir>
#
# --kill: SIGKILL at once. A graceful SIGTERM shutdown of ZooKeeper 3.8 takes ~1.7 s here; a
# throw-away test server whose directory is deleted next loses nothing by being killed.
#
# Only signals <pid> if it is a QuorumPeerMain JVM whose command line names <dir>/zoo.cfg (so a
# recycled PID is never hit). SIGTERM, then SIGKILL after 10 s. Removes <dir> only if it carries
# zk-start.sh's marker file. Idempotent: an already stopped server is not an error.
set -euo pipefail

SIG=TERM
if [ "${1:-}" = "--kill" ]; then SIG=KILL; shift; fi
PID=${1:?usage: zk-stop.sh [--kill] <pid> <dir>}
DIR=${2:?usage: zk-stop.sh [--kill] <pid> <dir>}
case "$PID" in '' | *[!0-9]*) echo "zk-stop.sh: pid must be a number, got '$PID'" >&2; exit 2 ;; esac

# Alive = exists and is not a zombie (a reparented JVM may wait a while for its reaper).
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2> /dev/null || true)
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

if alive "$PID"; then
  ARGS=$(ps -o args= -p "$PID" || true)
  case "$ARGS" in
    *QuorumPeerMain*"$DIR/zoo.cfg"*)
      kill -s "$SIG" "$PID"
      for _ in $(seq 1 400); do alive "$PID" || break; sleep 0.025; done
      if alive "$PID"; then
        echo "zk-stop.sh: pid $PID ignored SIGTERM for 10 s; sending SIGKILL" >&2
        kill -9 "$PID" 2> /dev/null || true
      fi
      ;;
    *)
      echo "zk-stop.sh: pid $PID is not the ZooKeeper of $DIR; not signalling it" >&2
      ;;
  esac
fi

if [ -f "$DIR/.logkeeper-zk" ]; then
  rm -rf "$DIR"
elif [ -e "$DIR" ]; then
  echo "zk-stop.sh: $DIR has no .logkeeper-zk marker; not removing it" >&2
fi
