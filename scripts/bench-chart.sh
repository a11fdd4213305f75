# bench-chart.sh - sourced by scripts/bench: the chart of its table, each
# bar an operation's cost relative to raw C, drawn with gnuplot.
#
# bench_chart RESULTS OUT TMP PLACEMENTS NO_PYTHON: reads RESULTS (bench,
# placement, implementation, value, unit), writes OUT/bench-chart.dat,
# bench.gp, bench.png and bench.svg, and sets $chart to the footer's words
# ("chart: ...", or "no chart: " and why).  TMP is a scratch directory;
# PLACEMENTS holds "2" and/or "1" (the CPUs measured); NO_PYTHON is
# non-empty when Python's column is missing.
bench_chart() {
  local results=$1 out=$2 tmp=$3 placements=$4 no_python=$5
  local ymax xmax ybase width python_plot
chart="no chart"
if command -v gnuplot >/dev/null; then
  awk -F'\t' '
  function short(v, unit) {
    if (v == "") return "-"
    if (unit == "msg/s") return v >= 1e6 ? sprintf("%.2fM/s", v / 1e6) : sprintf("%.0fk/s", v / 1e3)
    if (v < 0.1) return sprintf("%.0fns", v * 1000)
    return v >= 100 ? sprintf("%.0fus", v) : sprintf("%.1fus", v)
  }
  { v[$1, $2, $3] = $4; unit[$1] = $5 }
  END {
    name["queue"] = "queue, 8 B"; name["pipe"] = "pipe round trip"
    name["process"] = "process start"
    name["manager"] = "manager rmw"; name["lock"] = "lock"
    name["pool_task"] = "pool task"; name["pool_map_chunk1"] = "pool map c=1"
    name["pool_map"] = "pool map n/8"
    nb = split("queue pipe process manager lock pool_task pool_map_chunk1 pool_map", order, " "); place[1] = "2 CPUs"; place[2] = "1 CPU"
    split("raw runtime python", impl, " ")
    print "# group label then, per implementation: cost relative to raw, figure"
    groups = 0
    for (i = 1; i <= nb; i++) for (j = 1; j <= 2; j++) {
      b = order[i]; p = place[j]; u = unit[b]; raw = v[b, p, "raw"]
      if (index(placements, j == 1 ? "2" : "1") == 0) continue
      line = sprintf("%d \"%s\\n%s\"", groups++, name[b], p)
      for (k = 1; k <= 3; k++) {
        x = v[b, p, impl[k]]
        rel = (raw == "" || x == "") ? "NaN" : (u == "msg/s" ? raw / x : x / raw)
        if (rel != "NaN" && rel > tallest) tallest = rel
        if (rel != "NaN" && (smallest == "" || rel < smallest)) smallest = rel
        line = line sprintf(" %s \"%s\"", rel, short(x, u))
      }
      print line
    }
    # Room above the tallest bar for its label; where the last group ends.
    # ... and the floor: low enough for the shortest bar to show.
    print (tallest > 1 ? tallest : 1) * 6, groups - 0.4, \
          (smallest != "" && smallest < 0.4 ? smallest / 1.6 : 0.25) >sizes
  }' sizes="$tmp/sizes" placements="$placements" "$results" >"$out/bench-chart.dat"
  read -r ymax xmax ybase <"$tmp/sizes"
  width=$(awk -v x="$xmax" 'BEGIN { w = int((x + 0.4) * 130); print (w < 1280 ? 1280 : w) }')

  python_plot=""
  if [[ -z $no_python ]]; then
    python_plot=", '' using (\$1+0.27):(\$7):(\$1+0.14):(\$1+0.40):(ybase):(\$7) with boxxyerror lc rgb '#2e8b57' title 'Python multiprocessing', \\
     '' using (\$1+0.27):(\$7*1.07):8 with labels rotate by 90 left font ',11' notitle"
  fi
  cat >"$out/bench.gp" <<EOF
# Made by scripts/bench from bench-chart.dat: run \`gnuplot bench.gp\` in $out to redraw.
ybase = $ybase
set encoding utf8
set title "Cost of one operation relative to the raw system calls (log scale; lower is faster)\\nlabels: the measured figure (messages per second, or microseconds per operation)" font ',15'
set ylabel "cost relative to raw C (= 1)" font ',13'
set logscale y
set yrange [ybase:$ymax]
set ytics (0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200) font ',12'
set xtics font ',11' nomirror
set bmargin 6
set xrange [-0.6:$xmax]
set grid ytics lc rgb '#dddddd'
set key outside bottom center horizontal font ',12'
set style fill solid 0.85 border lc rgb '#333333'
set arrow from -0.6,1 to $xmax,1 nohead dt 2 lc rgb '#555555' back
plot '$out/bench-chart.dat' using (\$1-0.27):(\$3):(\$1-0.40):(\$1-0.14):(ybase):(\$3) with boxxyerror lc rgb '#4169e1' title 'raw C (system calls)', \\
     '' using (\$1-0.27):(\$3*1.07):4 with labels rotate by 90 left font ',11' notitle, \\
     '' using (\$1):(\$5):(\$1-0.13):(\$1+0.13):(ybase):(\$5):xtic(2) with boxxyerror lc rgb '#ff8c00' title 'runtime (mp.h)', \\
     '' using (\$1):(\$5*1.07):6 with labels rotate by 90 left font ',11' notitle$python_plot
EOF
  # The data's own ratios (e.g. the x tic labels) need no Python; NaN bars are skipped.
  if { echo "set terminal pngcairo size $width,720 font 'DejaVu Sans,12'; set output '$out/bench.png'"
       cat "$out/bench.gp"
       echo "set terminal svg size $width,720 font 'DejaVu Sans,12' dynamic; set output '$out/bench.svg'; replot"
     } | gnuplot 2>"$tmp/gnuplot.err"; then
    chart="chart: ${out#"$top"/}/bench.png and bench.svg"
  else
    chart="no chart: gnuplot failed: $(head -n 3 "$tmp/gnuplot.err" | tr '\n' ' ')"
  fi
else
  chart="no chart: gnuplot is missing (make deps)"
fi
}
