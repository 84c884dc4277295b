# Holdout check bars: showcase/out/holdout.dat (bucket, actual, one column
# per model; model names in showcase/out/holdout.names) -> doc/img/holdout.png
names = system("cat showcase/out/holdout.names")
set terminal pngcairo size 900,500 font "DejaVu Sans,11"
set output 'doc/img/holdout.png'
set datafile separator "\t"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set title "CDNOW, 23,570 customers: repeat purchases in weeks 40-78 by purchases in weeks 1-39"
set xlabel "repeat purchases in the calibration period (weeks 1-39)"
set ylabel "mean repeat purchases per customer, weeks 40-78"
set key left top reverse Left
set grid ytics
set yrange [0:*]
plot 'showcase/out/holdout.dat' using 2:xtic(1) title 'actual' lc rgb '#333333', \
     for [i=1:words(names)] '' using (column(i+2)) title word(names, i)
