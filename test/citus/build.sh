#!/usr/bin/env bash
# Build Citus from a source tarball or tree and install it into the
# PostgreSQL installation that PG_CONFIG names, for test/t/080_citus.pl.
#
#   test/citus/build.sh SRC [DESTDIR]
#
#   SRC      a Citus source tree, or a .tar.gz of one (e.g. the vendored
#            citus-13.2.2-src.tar.gz)
#   DESTDIR  optional staging root for `make install` (a private copy of
#            PostgreSQL under DESTDIR, as the development tools use);
#            empty: install into PG_CONFIG's own directories (needs root)
#
# Environment: PG_CONFIG (default: pg_config on PATH); CITUS_BUILD_DIR
# (default: a temporary directory, removed afterwards).  Nothing is done when
# the same Citus version is already installed there.  Build dependencies on
# Debian: postgresql-server-dev-NN libkrb5-dev (configured without libcurl,
# lz4 and zstd).  Built without LLVM bitcode (with_llvm=no): the
# JIT bitcode is not needed for tests and would triple the build time.
set -eu
src=${1:?usage: test/citus/build.sh SRC [DESTDIR]}
destdir=${2:-}
PG_CONFIG=${PG_CONFIG:-pg_config}
start=$(date +%s)

sharedir=$("$PG_CONFIG" --sharedir)
pkglibdir=$("$PG_CONFIG" --pkglibdir)

work=${CITUS_BUILD_DIR:-}
cleanup=
if [ -z "$work" ]; then
    work=$(mktemp -d)
    cleanup=$work
fi
trap '[ -n "$cleanup" ] && rm -rf "$cleanup"' EXIT

if [ -d "$src" ]; then
    tree=$src
else
    tar -C "$work" -xzf "$src"
    tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
fi
[ -f "$tree/configure" ] && [ -f "$tree/src/backend/distributed/citus.control" ] || {
    echo "build.sh: $src is not a Citus source tree" >&2; exit 1; }

want=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$tree/src/backend/distributed/citus.control")
have=
ctl=$destdir$sharedir/extension/citus.control
[ -f "$ctl" ] && [ -f "$destdir$pkglibdir/citus.so" ] &&
    have=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$ctl")
if [ -n "$want" ] && [ "$have" = "$want" ]; then
    echo "Citus $want already installed in ${destdir:-$pkglibdir}"
    exit 0
fi

echo "building Citus $want from $src with $("$PG_CONFIG" --version)"
# no anonymous statistics (libcurl: tests make no outside connections), no
# lz4/zstd columnar compression (not used here)
(cd "$tree" && ./configure PG_CONFIG="$PG_CONFIG" --without-libcurl --without-lz4 --without-zstd \
    >"$work/configure.log" 2>&1) || { tail -n 30 "$work/configure.log"; exit 1; }
make -C "$tree" -j"$(nproc)" with_llvm=no >"$work/build.log" 2>&1 || {
    tail -n 40 "$work/build.log"; exit 1; }
make -C "$tree" with_llvm=no install ${destdir:+DESTDIR="$destdir"} >"$work/install.log" 2>&1 || {
    tail -n 40 "$work/install.log"; exit 1; }
echo "Citus $want installed into ${destdir:-$pkglibdir} in $(( $(date +%s) - start )) s"
