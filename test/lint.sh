#!/usr/bin/env bash
# test/lint.sh: the source tree's layout and formatting rules, as TAP lines.
#
#   1. src/core is pure C: no PostgreSQL header anywhere under it.
#   2. Layers (src/README.md): glue of area A includes only A/, common/,
#      core/A, core/common and core/math; core area A includes only core/A,
#      core/common and core/math; core/math only itself and core/common.
#   3. Every C file opens with the boxed header comment naming the file.
#   4. Formatting as .editorconfig says: C indents with tabs; no trailing
#      white space and a final newline in C, SQL, Perl and shell files.
#   5. Every SQL function, aggregate and type is documented in the reference
#      section of exactly one document under doc/.
#   6. The core sorts with cj_sort (core/common/sort.h), never qsort: a sort
#      of millions of elements must answer a cancel request, which the C
#      library's qsort cannot do without leaking its buffer.
set -u
cd "$(dirname "$0")/.."
n=0
fails=0
tap() {	# tap OK|FAIL description [details]
    n=$((n + 1))
    if [ "$1" = OK ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        [ -n "${3:-}" ] && echo "$3" | sed 's/^/#   /'
        fails=$((fails + 1))
    fi
}
check() {	# check DESCRIPTION OFFENDERS
    if [ -z "$2" ]; then tap OK "$1"; else tap FAIL "$1" "$2"; fi
}

csrc=$(find src -name '*.[ch]' | sort)

# 1. core purity: only project headers ("core/...") and the C library (<...>)
bad=$(grep -Hn '#include' $(find src/core -name '*.[ch]') |
      grep -vE '#include (<[a-z0-9_/]+\.h>|"core/[a-z_]+/[a-z0-9_]+\.h")')
check "the pure-C core includes no PostgreSQL header" "$bad"

# 6. cancellable sorts in the core
bad=$(grep -HnE '\bqsort *\(' $(find src/core -name '*.c' ! -name sort.c) || true)
check "the core sorts with cj_sort, never qsort" "$bad"

# 2. layers
allowed() {	# allowed FROM_DIR INCLUDED_DIR
    local from=$1 to=$2
    case $from in
        core/math | core/common) [[ $to == core/math || $to == core/common ]] ;;
        core/*) [[ $to == "$from" || $to == core/math || $to == core/common ]] ;;
        .) [[ $to == common || $to == core/common ]] ;;
        common) [[ $to == common || $to == core/common ]] ;;
        *) [[ $to == "$from" || $to == common || $to == "core/$from" || $to == core/math || $to == core/common ]] ;;
    esac
}
bad=
for f in $csrc; do
    from=$(dirname "${f#src/}")
    for inc in $(grep -ho '#include "[^"]*"' "$f" | awk -F'"' '{print $2}'); do
        [ -f "src/$inc" ] || continue
        allowed "$from" "$(dirname "$inc")" || bad="$bad$f includes $inc"$'\n'
    done
done
check "every file includes only its own area, common and the core below it" "$bad"
bad=
for f in $csrc; do
    for inc in $(grep -ho '#include "[^"]*"' "$f" | awk -F'"' '{print $2}'); do
        case $inc in */*) [ -f "src/$inc" ] || [ "${inc%%/*}" != core ] || bad="$bad$f: $inc"$'\n' ;; esac
        case $inc in *.h) ;; *) bad="$bad$f: $inc"$'\n' ;; esac
    done
done
check "project includes name existing headers by their path from src/" "$bad"

# 3. header comments
bad=
for f in $csrc; do
    head -4 "$f" | grep -qE "^ \* $(basename "$f")$" || bad="$bad$f"$'\n'
done
check "every C file opens with a header comment naming it" "$bad"

# 4. formatting
bad=$(grep -Hn '^    ' $csrc | grep -vE '^[^:]+:[0-9]+:    +\*' | head -20)
check "C code indents with tabs" "$bad"
files="$csrc $(find sql test -path test/roots -prune -o -type f \( -name '*.sql' -o -name '*.pl' -o -name '*.pm' -o -name '*.sh' \) -print | sort) $(ls custjourney--*.sql)"
bad=$(grep -HnE '[[:space:]]+$' $files | head -20)
check "no trailing white space" "$bad"
bad=
for f in $files; do
    [ -s "$f" ] && [ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" != '\n' ] && bad="$bad$f"$'\n'
done
check "every source file ends with a newline" "$bad"

# 5. documentation: every function, aggregate and type of the install
#    scripts appears in the reference section of exactly one doc/*.md
objs=$(grep -hoE '^CREATE (OR REPLACE )?(FUNCTION|AGGREGATE|TYPE) cj_[a-z0-9_]+' custjourney--*.sql |
       awk '{print $NF}' | sort -u)
bad=
for o in $objs; do
    k=0
    for d in doc/*.md; do
        awk '/^## Reference/{f=1; next} /^## /{f=0} f' "$d" | grep -qE "(^|[^a-z0-9_])$o([^a-z0-9_]|$)" && k=$((k + 1))
    done
    [ "$k" -eq 1 ] || bad="$bad$o: in $k reference sections"$'\n'
done
check "every SQL function, aggregate and type is in exactly one reference table under doc/" "$bad"

echo "1..$n"
[ "$fails" -eq 0 ]
