# Per-page cost against range size, from svm-bench's CSV: one panel per
# THP mode, log-log, one line per metric (the library's calls left out:
# they lie on the raw ioctls' lines, and the table gives their ratios).
#
# gnuplot -e "csv='svm-bench.csv'; png='svm-bench.png'; subtitle='...'" bench/plot.gp

if (!exists("csv") || !exists("png")) {
	print "usage: gnuplot -e \"csv='FILE'; png='FILE'; subtitle='TEXT'\" bench/plot.gp"
	exit status 1
}
if (!exists("subtitle")) subtitle = ""

# The ns/page metrics, in the CSV's order.
metrics = system(sprintf("awk -F, '$4 == \"ns/page\" && $2 !~ /^lib_/ && !seen[$2]++ { print $2 }' '%s'", csv))
modes = system(sprintf("awk -F, 'NR > 1 && ($1 == \"never\" || $1 == \"always\") && !seen[$1]++ { print $1 }' '%s'", csv))
if (words(metrics) == 0 || words(modes) == 0) {
	print sprintf("plot.gp: no ns/page rows in %s", csv)
	exit status 1
}

set terminal pngcairo size 1600,760 font ",10" noenhanced
set output png
set datafile separator whitespace
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set xlabel "pages in the range (4 KiB each)"
set ylabel "ns per page (median)"
set key outside right top box opaque samplen 2 spacing 1.1
set format y "%g"
set xrange [8:524288]

set multiplot layout 1, words(modes) title "svm-bench: per-page cost against range size\n".subtitle

# Each SVM call in a colour of its own, solid; its anchors in lighter
# shades of it, dashed, with open points.
anchor(m) = (m eq "mprotect" || m eq "hmm_exclusive" || m eq "minor_fault" || \
	m eq "hmm_revoke_fault" || m eq "mincore" || m eq "hmm_snapshot")
colour(m) = m eq "acquire" ? "#08519c" : m eq "mprotect" ? "#6baed6" : \
	m eq "hmm_exclusive" ? "#3182bd" : m eq "release_eager" ? "#238b45" : \
	m eq "release_lazy" ? "#74c476" : m eq "revoke_fault" ? "#cb181d" : \
	m eq "hmm_revoke_fault" ? "#fb6a4a" : m eq "minor_fault" ? "#fd8d3c" : \
	m eq "query" ? "#54278f" : m eq "mincore" ? "#9e9ac8" : \
	m eq "hmm_snapshot" ? "#756bb1" : "#444444"
dashes(m) = anchor(m) ? 2 : 1
points(m) = anchor(m) ? 6 : 7

# A point only where the measurement succeeded (failures leave value empty).
row(m, t) = sprintf("< awk -F, '$1 == \"%s\" && $2 == \"%s\" && $5 != \"\" { print $3, $5 }' '%s'", t, m, csv)

do for [t in modes] {
	set title sprintf("THP %s", t)
	plot for [m in metrics] row(m, t) using 1:2 with linespoints \
		lw 2 lc rgb colour(m) dt dashes(m) pt points(m) ps 0.9 title m
}
unset multiplot
