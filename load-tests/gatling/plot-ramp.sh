#!/usr/bin/env bash
# Plots an OpenRamp levels CSV (run.sh ramp writes target/ramp-levels.csv): latency percentiles and achieved
# throughput against the offered arrival rate. Needs gnuplot (apt-get install gnuplot-nox).
#
#   load-tests/gatling/plot-ramp.sh LEVELS.csv OUT.png [TITLE]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 LEVELS.csv OUT.png [TITLE]" >&2
  exit 2
fi
gnuplot <<GNUPLOT
set terminal pngcairo size 900,540 font "sans,10"
set output "$2"
set datafile separator ","
set key top left
set title "${3:-OpenRamp: latency against offered load}"
set xlabel "offered load (calls/s)"
set ylabel "latency (ms, log scale)"
set logscale y
set y2label "completed OK (calls/s)"
set y2tics
set ytics nomirror
set grid
plot "$1" using 1:6 skip 1 with linespoints title "p50", \
     "" using 1:7 skip 1 with linespoints title "p95", \
     "" using 1:8 skip 1 with linespoints title "p99", \
     "" using 1:5 skip 1 axes x1y2 with linespoints dashtype 2 title "throughput (right axis)", \
     "" using 1:1 skip 1 axes x1y2 with lines dashtype 3 lc "gray" title "offered = throughput"
GNUPLOT
