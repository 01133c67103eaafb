#!/usr/bin/env bash
# rpki.sh: src/rpki/ at the size of the real Internet (700k VRPs, 1.2M
# routes, generated): the load time of each VRP and route format,
# nh_rpki_ready(), lookups per second, bytes per entry and peak RSS. No
# network and no lab: the files are generated into build/bench and removed
# afterwards. Prints the figures (wall and CPU time: the machine is shared)
# and keeps the last run's JSON line in build/bench/rpki.json. Arguments
# go to build/bench/rpki_bench (-v VRPS -r ROUTES -q LOOKUPS).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p build/bench
build/bench/rpki_bench "$@" | tee build/bench/rpki.txt
tail -n 1 build/bench/rpki.txt >build/bench/rpki.json
