#!/usr/bin/env bash
# A real S3-compatible server on loopback for the object-store tests: OpenStack Swift from Debian's
# packages with its s3api middleware, one replica on one device folder (see ../shared/S3-LOOPBACK.md).
#
#   s3_loopback.sh DIR [CERT KEY]
#       starts memcached and the four Swift servers with their state in DIR, prints
#       "endpoint http://127.0.0.1:PORT" once S3 answers (https:// with the proxy serving the PEM
#       certificate CERT and key KEY), and writes DIR/pids (stop them with: kill $(cat DIR/pids)).
#       Access key test:tester, secret testing.
set -euo pipefail
dir=$(realpath "$1")
cert=${2:-}
key=${3:-}
scheme=http
[ -n "$cert" ] && scheme=https
mkdir -p "$dir/devices/d1" "$dir/rings" "$dir/log"
user=$(id -un)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
proxy=$(free_port); account=$(free_port); container=$(free_port); object=$(free_port); cache=$(free_port)

cd "$dir/rings"
for ring in account:$account container:$container object:$object; do
  name=${ring%%:*}; port=${ring##*:}
  swift-ring-builder $name.builder create 6 1 1 >/dev/null
  swift-ring-builder $name.builder add r1z1-127.0.0.1:$port/d1 100 >/dev/null
  swift-ring-builder $name.builder rebalance >/dev/null
done

common="[DEFAULT]
devices = $dir/devices
mount_check = false
swift_dir = $dir/rings
user = $user
bind_ip = 127.0.0.1"
for kind in account:$account container:$container object:$object; do
  name=${kind%%:*}; port=${kind##*:}
  cat > "$dir/$name-server.conf" <<CONF
$common
bind_port = $port

[pipeline:main]
pipeline = $name-server

[app:$name-server]
use = egg:swift#$name

[$name-replicator]
[$name-auditor]
[$name-updater]
CONF
done
# The swift_dir holds the rings; the servers also look there for swift.conf.
cp /etc/swift/swift.conf "$dir/rings/"
tls=""
[ -n "$cert" ] && tls="cert_file = $(realpath "$cert")
key_file = $(realpath "$key")"
cat > "$dir/proxy-server.conf" <<CONF
$common
bind_port = $proxy
$tls

[pipeline:main]
pipeline = catch_errors gatekeeper proxy-logging cache s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$cache
[filter:s3api]
use = egg:swift#s3api
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF

: > "$dir/pids"
memcached -l 127.0.0.1 -p "$cache" -U 0 -u "$user" >"$dir/log/memcached.log" 2>&1 &
echo $! >> "$dir/pids"
for server in account container object proxy; do
  swift-$server-server "$dir/$server-server.conf" -v >"$dir/log/$server.log" 2>&1 &
  echo $! >> "$dir/pids"
done

# Ready once every server answers HTTP at all (an unsigned request is refused, which proves it is
# up): the proxy alone answering is not enough, it says 503 while the others still load.
answers() { curl -sk -o /dev/null -w '%{http_code}' "$1://127.0.0.1:$2/" 2>/dev/null | grep -qE '^[1-5][0-9][0-9]$'; }
for _ in $(seq 1 150); do
  if answers $scheme $proxy && answers http $account && answers http $container && answers http $object; then
    echo "endpoint $scheme://127.0.0.1:$proxy"
    exit 0
  fi
  sleep 0.2
done
echo "s3_loopback: Swift did not start; see $dir/log" >&2
kill $(cat "$dir/pids") 2>/dev/null || true
exit 1
