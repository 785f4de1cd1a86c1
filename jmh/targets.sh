#!/usr/bin/env bash
# Re-measures only the cells that issue #2's performance targets name, on one JDK, and prints a summary.
# Usage: jmh/targets.sh OUT_DIR [JAVA]   (build first: mvn -Pjmh package -DskipTests)
# Conditions: 1 fork per cell, 4 x 0.5 s warm-up, 5 x 0.5 s measured; run nothing else meanwhile.
set -euo pipefail
out=${1:?usage: jmh/targets.sh OUT_DIR [JAVA]}
java=${2:-java}
jar=target/benchmarks.jar
mkdir -p "$out"
jmh() { "$java" -jar "$jar" "$@" -f 1 -wi 4 -w 500ms -i 5 -r 500ms -rf json; }
jmh CopyBenchmark -rff "$out/copy.json"
jmh 'ActivationBenchmark' -p op=relu,leakyRelu,prelu,rrelu -p pass=forward -p impl=simd \
    -p size=4096,262144,4194304,33554432 -rff "$out/relufam.json"
jmh 'ActivationBenchmark' -p op=relu -p pass=forward -p impl=loopMax \
    -p size=4096,262144,4194304,33554432 -rff "$out/loopmax.json"
jmh 'ActivationBenchmark' -p op=relu -p pass=backward -p impl=simd -p size=33554432 -rff "$out/relubwd.json"
jmh 'ActivationBenchmark' -p op=elu,selu,celu,geluErf,geluTanh,silu,mish,softplus,sigmoid,tanh \
    -p pass=forward -p impl=simd,loop -p size=262144 -rff "$out/exp.json"
python3 - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
def load(f):
    r = {}
    for b in json.load(open(os.path.join(d, f))):
        p = b.get("params", {}); m = b["primaryMetric"]
        key = (b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1], p.get("op"), p.get("pass"), p.get("impl"), p.get("size"))
        r[key] = (m["score"], m["scoreError"])
    return r
res = {}
for f in ("copy.json", "relufam.json", "loopmax.json", "relubwd.json", "exp.json"):
    res.update(load(f))
def get(bench, op, ps, impl, size):
    return res[(bench, op, ps, impl, size)]
def rel(v): return 100 * v[1] / v[0]
A = "ActivationBenchmark.run"
for op in ("elu", "selu", "celu", "geluErf", "geluTanh", "silu", "mish", "softplus", "sigmoid", "tanh"):
    s = get(A, op, "forward", "simd", "262144"); l = get(A, op, "forward", "loop", "262144")
    print(f"  {op:9s} fwd 256K: {l[0]/s[0]:5.1f}x loop  (simd {s[0]/262144:.2f} ns/el ±{rel(s):.0f}%, loop {l[0]/262144:.2f} ns/el ±{rel(l):.0f}%)")
for op in ("relu", "leakyRelu", "prelu", "rrelu"):
    cells = []
    for size in ("4096", "262144", "4194304", "33554432"):
        s = get(A, op, "forward", "simd", size); m = get(A, "relu", "forward", "loopMax", size)
        c = get("CopyBenchmark.copy", None, None, None, size)
        cells.append(f"{int(size)//1024}K {m[0]/s[0]:.2f}x (±{rel(s):.0f}%) {100*c[0]/s[0]:.0f}%copy")
    print(f"  {op:9s} fwd vs Math.max loop: " + " | ".join(cells))
b = get(A, "relu", "backward", "simd", "33554432"); st = get("CopyBenchmark.stream3", None, None, None, "33554432")
print(f"  relu bwd 32M: {100*st[0]/b[0]:.0f}% of stream3 (±{rel(b):.0f}%)")
PY
