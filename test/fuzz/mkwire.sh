#!/usr/bin/env bash
# test/fuzz/mkwire.sh: write the binary form (send output) of every seed
# literal to test/fuzz/seeds/wire/<type>/<n>, using a running server with
# the extension installed.  psql options come from the arguments, e.g.
#   test/fuzz/mkwire.sh -h /tmp/sock -p 5432 -U postgres
set -eu
cd "$(dirname "$0")/seeds"
for f in *.txt; do
    t=${f%.txt}
    send=$(psql -X -At "$@" -c "SELECT typsend::oid::regproc FROM pg_type WHERE typname = '$t'")
    rm -rf "wire/$t"
    mkdir -p "wire/$t"
    i=0
    grep -vE '^(#|\s*$)' "$f" | while IFS= read -r line; do
        i=$((i + 1))
        q=${line//\'/\'\'}
        psql -X -At "$@" -c "SELECT encode($send('$q'::$t), 'hex')" |
            xxd -r -p > "wire/$t/$i"
    done
done
