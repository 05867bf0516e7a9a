# Sourced by scripts/run and scripts/test: make sure "$VENV" holds this project installed
# (editable) with the extras asked for, and skip pip entirely when nothing that decides the
# installation (pyproject.toml, the extras, the Python) changed since the last install.
ensure_venv() {
    extras="$1"
    PYTHON="${PYTHON:-python3}"
    VENV="${VENV:-.venv}"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    stamp="$VENV/.dsar-desk-installed$extras"
    wanted="$("$VENV/bin/python" -c 'import hashlib, sys; print(sys.version, hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    "$VENV/bin/python" -m pip install --quiet -e ".$extras"
    printf '%s\n' "$wanted" > "$stamp"
}
