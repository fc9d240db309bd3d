#!/bin/bash
# A stand-in for sleep, first on PATH when every chapter runs on the
# stand-ins: their answers are recorded and the local app is up, so a page's
# waits (`sleep 2` for a port-forward to start, `sleep 5` between rounds)
# wait for nothing there. It records its arguments in $STANDIN_LOG and
# sleeps 0.1 s, long enough for a page's `while true` loop to print a few
# rounds in the background. The runner's own timeout is tested with the
# real sleep (no stand-in on PATH).
echo "sleep $*" >>"$STANDIN_LOG"
exec "$(PATH=/usr/bin:/bin command -v sleep)" 0.1
