# Weekly and cumulative tracking: showcase/out/tracking.dat (week, actual,
# one column per model, actual cumulative, one column per model; model
# names in showcase/out/tracking.names) -> doc/img/tracking_*.png
names = system("cat showcase/out/tracking.names")
n = words(names)
set terminal pngcairo size 900,500 font "DejaVu Sans,11"
set datafile separator "\t"
set xlabel "week (1997-01-01 = start of week 1)"
set key left top reverse Left
set grid
set xrange [1:78]
set arrow 1 from 39.5, graph 0 to 39.5, graph 1 nohead dt 2 lc rgb '#888888'
set label 1 "end of calibration" at 40, graph 0.95 tc rgb '#666666'

set output 'doc/img/tracking_weekly.png'
set key right top reverse Left
set title "CDNOW, 23,570 customers: repeat purchases per week, actual and expected"
set ylabel "repeat purchases in the week"
plot 'showcase/out/tracking.dat' using 1:2 with lines lw 2 lc rgb '#333333' title 'actual', \
     for [i=1:n] '' using 1:(column(i+2)) with lines lw 2 title word(names, i)

set output 'doc/img/tracking_cumulative.png'
set key left top reverse Left
set title "CDNOW, 23,570 customers: cumulative repeat purchases, actual and expected"
set ylabel "cumulative repeat purchases"
plot 'showcase/out/tracking.dat' using 1:(column(n+3)) with lines lw 2 lc rgb '#333333' title 'actual', \
     for [i=1:n] '' using 1:(column(n+3+i)) with lines lw 2 title word(names, i)
