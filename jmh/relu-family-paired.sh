#!/usr/bin/env bash
# Issue #2's ReLU-family targets measured with PairedRatio: each kernel and its reference (the auto-vectorized
# Math.max ReLU loop; System.arraycopy and a three-array stream for the bandwidth targets) in alternating
# ~30 ms windows of one JVM, on the same arrays. Which cell runs as A moved L1-sized results by up to 18% in
# both directions (code placement), so every comparison runs in both orders and the table gives the
# geometric mean of the two, sqrt((ref/ours, ours first) / (ours/ref, ref first)); it runs twice, with the
# arrays shifted by a small allocation in between (-Dpad), because array placement moves small sizes too.
# Usage: jmh/relu-family-paired.sh OUT_DIR [JAVA] [PAIRS]   (build first: mvn -Pjmh package -DskipTests)
set -euo pipefail
out=${1:?usage: jmh/relu-family-paired.sh OUT_DIR [JAVA] [PAIRS]}
java=${2:-java}
pairs=${3:-40}
mkdir -p "$out"
run() {  # file pad size cellA cellB
  "$java" -Xmx3g -Dseries=true -Dpad="$2" --add-modules jdk.incubator.vector -cp target/benchmarks.jar \
    dev.rectify.bench.PairedRatio act "$3" "$4" "$5" "$pairs" 2>/dev/null > "$out/$1.txt"
}
both() {  # name size ours ref
  for pad in 0 5; do
    run "$1-pad$pad-oursA" "$pad" "$2" "$3" "$4"
    run "$1-pad$pad-refA" "$pad" "$2" "$4" "$3"
  done
}
for size in 4096 262144 4194304 33554432; do
  for op in relu leakyRelu prelu rrelu; do
    both "$size-$op-vs-loopMax" "$size" "$op:forward:simd" relu:forward:loopMax
  done
done
both 33554432-relu-vs-copy 33554432 relu:forward:simd copy:copy
both 33554432-reluBackward-vs-stream3 33554432 relu:backward:simd copy:stream3
python3 - "$out" <<'PY'
import glob, math, os, re, sys
d = sys.argv[1]
def median_ratio(f):
    pairs = [tuple(map(float, l.split())) for l in open(f) if l[:1].isdigit() and len(l.split()) == 2]
    r = sorted(b / a for a, b in pairs)
    return r[len(r) // 2], r[len(r) // 4], r[3 * len(r) // 4]
names = sorted({re.sub(r'-pad\d+-(oursA|refA)\.txt$', '', os.path.basename(f)) for f in glob.glob(d + '/*.txt')},
               key=lambda s: (int(s.split('-')[0]), s))
print(f'{"ours vs reference, size":36s} {"pad 0":>7s} {"pad 5":>7s} {"mean":>7s}  order: ours first / ref first'
      '   (ref time / our time; >1: ours faster)')
for n in names:
    per_pad, orders = [], []
    for pad in (0, 5):
        a, b = f'{d}/{n}-pad{pad}-oursA.txt', f'{d}/{n}-pad{pad}-refA.txt'
        if os.path.exists(a) and os.path.exists(b):
            ra, rb = median_ratio(a)[0], 1 / median_ratio(b)[0]
            per_pad.append(math.sqrt(ra * rb))
            orders.append(f'{ra:.3f}/{rb:.3f}')
    if per_pad:
        cols = ' '.join(f'{v:7.3f}' for v in per_pad)
        print(f'{n:36s} {cols} {math.exp(sum(map(math.log, per_pad)) / len(per_pad)):7.3f}  {" ".join(orders)}')
PY
