# P(alive) histogram of the repeat buyers: showcase/out/p_alive.dat (bin
# centre, customers, repeaters) and the number of customers without repeat
# purchases in showcase/out/p_alive.zero -> doc/img/p_alive.png
zero = system("cat showcase/out/p_alive.zero")
set terminal pngcairo size 900,500 font "DejaVu Sans,11"
set output 'doc/img/p_alive.png'
set datafile separator "\t"
set title "CDNOW: P(alive) at the end of week 39 (BG/NBD), customers with repeat purchases"
set xlabel "P(alive)"
set ylabel "customers"
set style fill solid 0.85 border -1
set xrange [0:1]
set yrange [0:*]
set xtics 0.1
set grid ytics
unset key
set label 1 sprintf("not shown: %s customers without repeat purchases\n(P(alive) = 1 under BG/NBD by construction)", zero) \
    at graph 0.02, graph 0.93 left
plot 'showcase/out/p_alive.dat' using 1:3:(0.05) with boxes lc rgb '#2a9d8f'
