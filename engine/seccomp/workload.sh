#!/bin/bash
# What a typical core/exec step does: bash itself, coreutils, sed/awk/grep, tar/gzip, jq, curl and
# python3 (each skipped with a "skip" line when not installed). regenerate.sh traces it to measure
# the syscalls the seccomp allowlist needs; SeccompAllowlistTest runs it inside the real sandbox,
# under the generated filter, and expects "workload ok" as its last line.
# Only /tmp is writable; the network may be absent (curl's checks accept "connection refused").
set -euo pipefail
work=$(mktemp -d "${TMPDIR:-/tmp}/workload.XXXXXX")
cd "$work"
ok() { echo "ok $1"; }
have() { command -v "$1" >/dev/null 2>&1 || { echo "skip $1 (not installed)"; return 1; }; }

# bash: builtins, subshells, pipes, here-docs, process substitution, job control, traps, signals.
x=$(echo hi | tr a-z A-Z); [ "$x" = HI ]
read -r line <<<"here string"; [ "$line" = "here string" ]
diff <(printf 'a\nb\n') <(printf 'a\nb\n')
sleep 0.1 & wait $!
trap 'caught=1' USR1; kill -USR1 $$; [ "${caught:-}" = 1 ]
( exit 3 ) || [ $? = 3 ]
ulimit -a >/dev/null; umask 022; type -a ls >/dev/null; hash -r
printf '%s\n' {1..200} | while read -r n; do :; done
ok bash

# coreutils and friends.
seq 1 1000 >nums; sort -rn nums | head -3 >top; [ "$(head -1 top)" = 1000 ]
wc -l <nums >/dev/null; tail -n 2 nums >/dev/null; cut -c1 nums | uniq -c >/dev/null
cp nums copy; mv copy moved; ln -s moved link; ln moved hard; readlink link >/dev/null
realpath link >/dev/null; stat moved >/dev/null; touch -d '2020-01-01' moved; chmod 600 moved
mkdir -p a/b/c; rmdir a/b/c; rm -rf a hard link; ls -la >/dev/null; du -s . >/dev/null
df . >/dev/null 2>&1 || true; date -u +%s >/dev/null; id -u >/dev/null; whoami >/dev/null || true
env >/dev/null; nproc >/dev/null; uname -a >/dev/null; basename /a/b >/dev/null; dirname /a/b >/dev/null
sha256sum nums >sums; sha256sum -c sums >/dev/null; md5sum nums >/dev/null
base64 nums | base64 -d | cmp - nums; dd if=/dev/zero of=zeros bs=1k count=64 status=none
split -b 16k zeros part.; cat part.* | cmp - zeros; tee t <nums >/dev/null; paste nums nums >/dev/null
timeout 5 sleep 0.1; nohup true >/dev/null 2>&1; xargs echo <nums >/dev/null; find . -name 'part.*' -delete
printf 'b\na\n' | sort | comm -12 - <(printf 'a\n') >/dev/null; { yes || true; } | head -5 >/dev/null
ok coreutils

# sed, awk, grep.
sed -n 's/^1\(0*\)$/one\1/p' nums >/dev/null; sed -i 's/^/n/' moved
awk '{ s += $1 } END { if (s != 500500) exit 1 }' nums
for a in gawk mawk; do if command -v $a >/dev/null; then $a 'BEGIN { srand(1); print rand() }' >/dev/null; fi; done
grep -c 7 nums >/dev/null; grep -rl 500 . >/dev/null; grep -E '^9+$' nums >/dev/null
grep -P '^\d{3}$' nums >/dev/null 2>&1 || true
ok sed-awk-grep

# tar and gzip.
mkdir -p tree/sub; echo data >tree/sub/f; tar -czf tree.tgz tree; tar -tzf tree.tgz >/dev/null
mkdir out; tar -xzf tree.tgz -C out; cmp out/tree/sub/f tree/sub/f
gzip -k nums; gunzip -c nums.gz | cmp - nums; zcat nums.gz >/dev/null; gzip -t nums.gz
ok tar-gzip

if have jq; then
  echo '{"a":[1,2,3],"b":{"c":"d"}}' >in.json
  [ "$(jq '.a | add' in.json)" = 6 ]; jq -r '.b.c' in.json >/dev/null; jq -n '[range(5)] | length' >/dev/null
  ok jq
fi

if have curl; then
  curl -fsS "file://$work/nums" | cmp - nums
  # Nothing listens on port 9 of the sandbox's own loopback: the attempt must fail cleanly.
  if curl -fsS --max-time 5 http://127.0.0.1:9/ >/dev/null 2>&1; then exit 1; fi
  curl -sS --max-time 5 http://sandbox.invalid/ >/dev/null 2>&1 || true
  ok curl
fi

if have python3; then
  python3 - <<'PY'
import hashlib, json, os, subprocess, sys, tempfile, threading, time, socket, select, signal
import sqlite3, zlib, random, datetime, shutil, glob, re
d = tempfile.mkdtemp()
with open(os.path.join(d, "f.json"), "w") as f:
    json.dump({"x": list(range(10))}, f)
with open(os.path.join(d, "f.json")) as f:
    assert json.load(f)["x"][3] == 3
out = subprocess.run(["sh", "-c", "echo sub"], capture_output=True, text=True, check=True)
assert out.stdout.strip() == "sub"
results = []
ts = [threading.Thread(target=lambda i=i: results.append(hashlib.sha256(bytes([i])).hexdigest())) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
assert len(results) == 4
db = sqlite3.connect(os.path.join(d, "db.sqlite")); db.execute("create table t(x)"); db.execute("insert into t values (1)"); db.commit(); db.close()
a, b = socket.socketpair(); a.sendall(b"x"); select.select([b], [], [], 1); assert b.recv(1) == b"x"
try:
    socket.create_connection(("127.0.0.1", 9), timeout=2)
except OSError:
    pass
signal.signal(signal.SIGALRM, lambda *a: None); signal.setitimer(signal.ITIMER_REAL, 0.01); time.sleep(0.05)
zlib.compress(os.urandom(1024)); shutil.rmtree(d); print(datetime.datetime.now(datetime.timezone.utc).year > 2000)
PY
  # multiprocessing's Pool and Lock need a writable /dev/shm, which the sandbox does not have.
  python3 -c 'import multiprocessing as m, os; p = m.get_context("fork").Process(target=os.getpid); p.start(); p.join(); assert p.exitcode == 0'
  ok python3
fi

cd /; rm -rf "$work"
echo "workload ok"
