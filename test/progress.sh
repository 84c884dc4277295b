# test/progress.sh: progress lines for test/run, test/pgroots and
# showcase/run (sourced).  Every step prints its name when it starts and its
# elapsed seconds when it ends; a heartbeat line every 15 s while it runs,
# so no step is silent for longer.
#
#   step "name"      close the previous step (if any), open this one
#   step_end         close the current step

_cj_t0=${_cj_t0:-$(date +%s)}
_cj_step=
_cj_step_t0=
_cj_hb=

_cj_beat_stop() {
    if [ -n "$_cj_hb" ]; then
        kill "$_cj_hb" 2>/dev/null || true
        wait "$_cj_hb" 2>/dev/null || true
        _cj_hb=
    fi
}

_cj_beat_start() {
    _cj_beat_stop
    local name=$1 t0=$2
    (
        # sleep in the background so that TERM ends the wait at once
        s=
        trap 'kill $s 2>/dev/null; exit 0' TERM
        while :; do
            sleep 15 &
            s=$!
            wait $s
            echo "   ... $name: $(( $(date +%s) - t0 ))s"
        done
    ) &
    _cj_hb=$!
}

step_end() {
    _cj_beat_stop
    [ -n "$_cj_step" ] || return 0
    echo "== done: $_cj_step ($(( $(date +%s) - _cj_step_t0 ))s; total $(( $(date +%s) - _cj_t0 ))s)"
    _cj_step=
}

step() {
    step_end
    _cj_step=$*
    _cj_step_t0=$(date +%s)
    echo
    echo "== $_cj_step${CJ_LABEL:+ [$CJ_LABEL]}"
    _cj_beat_start "$_cj_step" "$_cj_step_t0"
}
