#!/usr/bin/env bash
# `make bench-first-page`: a reader's first `make docs` on a fresh clone, timed
# from nothing to the first page served. It runs `make docs` with an empty
# target directory (target/first-page/, removed first) and Cargo's download
# cache as it is (`~/.cargo/registry`: downloading the crates is not counted),
# polls the guide until it answers 200, then stops the server. It prints the
# wall time, the CPU time of the compile (user + sys, every rustc included)
# and the load average before and after (other work on the cores inflates the
# wall time; on 2 cores a quiet run takes about max(the critical path of
# `cargo build --timings`, CPU time / 2)). With `--write FILE` it also
# replaces FILE's "Site: the first page" section (BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."

write=""
case "${1:-}" in
  --write) write=${2:?--write needs a file} ;;
  "") ;;
  *) echo "usage: site/bench-first-page.sh [--write BENCHMARKS.md]" >&2; exit 2 ;;
esac
for tool in curl make cargo; do
  command -v "$tool" >/dev/null || { echo "bench-first-page needs $tool: install it (Debian: apt-get install $tool)." >&2; exit 1; }
done

dir=target/first-page
port=${BENCH_PORT:-3917}
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "Port $port is in use: stop what serves it or pick another with BENCH_PORT=n." >&2
  exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
log=$dir/make-docs.log
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
# A session of its own, so that stopping it stops make, cargo and the server.
CARGO_TARGET_DIR=$dir/target setsid make --no-print-directory docs PORT="$port" >"$log" 2>&1 &
leader=$!

# CPU time (user + sys, in clock ticks) of every process of the session that
# has ended, as their parents counted it, plus the ones still running.
session_ticks() {
  local total=0 file line fields
  for file in /proc/[0-9]*/stat; do
    read -r line <"$file" 2>/dev/null || continue
    fields=(${line##*) })
    # fields[3] is the session id; 11-14: utime stime cutime cstime.
    [ "${fields[3]}" = "$leader" ] || continue
    total=$((total + fields[11] + fields[12] + fields[13] + fields[14]))
  done 2>/dev/null
  echo "$total"
}

stop() { kill -TERM -- "-$leader" 2>/dev/null || true; }
trap stop EXIT
while :; do
  if ! kill -0 "$leader" 2>/dev/null; then
    echo "make docs ended before serving a page; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
  [ "$code" = 200 ] && break
  sleep 0.2
done
end=$(date +%s.%N)
ticks=$(session_ticks)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop
trap - EXIT

wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t / hz }')
cores=$(nproc)
model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
rustc=$(rustc --version)
line="| $(date +%Y-%m-%d) | $(git rev-parse --short HEAD 2>/dev/null || echo '?') | **$wall s** | $cpu s | $load_before → $load_after | $cores × $model, $rustc |"
echo "first page served after $wall s (CPU $cpu s user+sys; load $load_before -> $load_after)"
echo "$line"

if [ -n "$write" ]; then
  section="## Site: the first page

\`make bench-first-page\` (\`site/bench-first-page.sh\`, also run by \`make bench-site\`): a fresh clone's first \`make docs\`, from an empty target directory to the first page served (HTTP 200), with the crates already downloaded. The wall time depends on the machine and on what else runs on it: the CPU time (user + sys of every process of \`make docs\`) and the load average are the figures to compare; on 2 quiet cores the wall time is about half the CPU time. Target: ≤ 120 s on 2 cores. The same first page from MkDocs Material: about 24 s (its pinned virtualenv 16 s, \`mkdocs build\` 7.9 s); from Slidev: about 54 s (\`npm install\` 30.5 s, \`slidev build\` 23.7 s), both measured on a fresh 2-core machine. Where the time goes, and what was cut: site/README.md (\"The first \`make docs\`\").

| date | commit | first page | CPU | load average before → after | machine |
|---|---|---:|---:|---|---|
$line
"
  [ -f "$write" ] || : >"$write"
  awk -v section="$section" '
    /^## Site: the first page$/ { skip = 1; printf "%s", section; done = 1; next }
    skip && /^## / { skip = 0; print "" }
    !skip { print }
    END { if (!done) printf "\n%s", section }
  ' "$write" >"$write.tmp"
  mv "$write.tmp" "$write"
  echo "updated $write"
fi
