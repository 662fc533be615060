#!/usr/bin/env bash
# Start a throw-away standalone Apache ZooKeeper (Debian package `zookeeper`, 3.8) for
# logkeeper's tests, bound to 127.0.0.1 only, with its own zoo.cfg and dataDir in a directory
# of its own. Adapted from ../shared/reference/zookeeper/start-zk.sh.
#
#   test/support/zk-start.sh <port> [<dir>]
#
#   <port>  client port on 127.0.0.1 (the caller picks a free one)
#   <dir>   an empty directory to own (zoo.cfg, data/, server.out); default: a new mktemp -d
#
# Waits until the server answers `ruok` with `imok` AND `srvr` reports a `Mode:` (imok comes
# up to 0.5 s before the server serves requests), then prints one line on stdout:
#
#   <pid> <dir>
#
# <pid> is the JVM's own PID (start-foreground execs java); stop it with zk-stop.sh <pid> <dir>.
# On failure nothing is left running and <dir> is removed if this script created it.
#
# TEST-ONLY settings: forceSync=no (no fsync per transaction: fast, not durable across a power
# loss, which a throw-away test server does not need), a small preAllocSize, no JMX, no admin
# server, all four-letter words allowed.
#
# Env: ZK_WAIT_S (default 30), ZK_SERVER (default /usr/share/zookeeper/bin/zkServer.sh),
#      SERVER_JVMFLAGS (default "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
#        -Dzookeeper.extendedTypesEnabled=true": small quick-starting JVM; TTL nodes allowed),
#      ZK_EXTRA_CFG (extra zoo.cfg lines).
set -euo pipefail

PORT=${1:?usage: zk-start.sh <port> [<dir>]}
DIR=${2:-}
ZK_WAIT_S=${ZK_WAIT_S:-30}
ZK_SERVER=${ZK_SERVER:-/usr/share/zookeeper/bin/zkServer.sh}
export SERVER_JVMFLAGS=${SERVER_JVMFLAGS:--Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dzookeeper.extendedTypesEnabled=true}

case "$PORT" in '' | *[!0-9]*) echo "zk-start.sh: port must be a number, got '$PORT'" >&2; exit 2 ;; esac
[ -x "$ZK_SERVER" ] || { echo "zk-start.sh: missing $ZK_SERVER (apt-get install -y zookeeper)" >&2; exit 3; }
command -v java > /dev/null || { echo "zk-start.sh: no java on PATH (apt-get install -y default-jre-headless)" >&2; exit 3; }

CREATED_DIR=
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/logkeeper-zk.XXXXXX")
  CREATED_DIR=1
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [ -n "$(ls -A "$DIR")" ]; then echo "zk-start.sh: $DIR is not empty" >&2; exit 2; fi
# Marker: zk-stop.sh only removes directories that carry it.
echo "logkeeper test ZooKeeper on 127.0.0.1:$PORT" > "$DIR/.logkeeper-zk"
mkdir -p "$DIR/data"
CFG="$DIR/zoo.cfg"
OUT="$DIR/server.out"

# Four-letter word over bash's /dev/tcp (no nc needed).
fourlw() {
  local reply
  exec 3<> "/dev/tcp/127.0.0.1/$PORT" 2> /dev/null || return 1
  printf '%s' "$1" >&3
  reply=$(timeout 2 cat <&3 || true)
  exec 3<&- 3>&-
  printf '%s' "$reply"
}

# Alive = exists and is not a zombie.
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2> /dev/null || true)
  [ -n "$stat" ] && [ "${stat#Z}" = "$stat" ]
}

cleanup_failed() {
  if [ -n "${PID:-}" ] && alive "$PID"; then
    kill "$PID" 2> /dev/null || true
    for _ in $(seq 1 100); do alive "$PID" || break; sleep 0.05; done
    if alive "$PID"; then kill -9 "$PID" 2> /dev/null || true; fi
  fi
  if [ -f "$OUT" ]; then tail -n 40 "$OUT" >&2; fi
  if [ -n "$CREATED_DIR" ]; then rm -rf "$DIR"; fi
}

if [ "$(fourlw ruok 2> /dev/null || true)" = imok ]; then
  echo "zk-start.sh: something already answers imok on 127.0.0.1:$PORT" >&2
  cleanup_failed
  exit 4
fi

cat > "$CFG" << CFGEOF
tickTime=2000
dataDir=$DIR/data
clientPort=$PORT
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
# test only: no fsync per transaction, small log preallocation (KB)
forceSync=no
preAllocSize=4096
CFGEOF
if [ -n "${ZK_EXTRA_CFG:-}" ]; then printf '%s\n' "$ZK_EXTRA_CFG" >> "$CFG"; fi

# JMXDISABLE=true: otherwise zkServer.sh opens a JMX/RMI listener on all interfaces.
# start-foreground execs java, so $! is the JVM's PID. setsid: the JVM gets its own session,
# so a Ctrl-C in the caller's terminal does not reach it; zk-stop.sh / the harness stop it.
JMXDISABLE=true nohup setsid "$ZK_SERVER" start-foreground "$CFG" \
  > "$OUT" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$DIR/zk.pid"

deadline=$(($(date +%s) + ZK_WAIT_S))
until [ "$(fourlw ruok 2> /dev/null || true)" = imok ]; do
  if ! alive "$PID"; then
    echo "zk-start.sh: ZooKeeper exited during startup (port $PORT taken?)" >&2
    cleanup_failed
    exit 5
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "zk-start.sh: no imok after ${ZK_WAIT_S}s" >&2
    cleanup_failed
    exit 6
  fi
  sleep 0.05
done
until fourlw srvr 2> /dev/null | grep -q '^Mode: '; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "zk-start.sh: imok but not serving after ${ZK_WAIT_S}s" >&2
    cleanup_failed
    exit 6
  fi
  sleep 0.02
done

if ! ps -o args= -p "$PID" | grep -q QuorumPeerMain; then
  echo "zk-start.sh: pid $PID is not the QuorumPeerMain JVM" >&2
  cleanup_failed
  exit 7
fi
echo "$PID $DIR"
