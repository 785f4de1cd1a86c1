#!/usr/bin/env bash
# Measures, in interleaved rounds, what bounds the exp-based forward passes and PReLU against issue #2's
# targets, on one JDK, and prints the medians of the per-round ratios:
#   - sigmoid, silu, elu, tanh at 256K floats: Rectify SIMD (preferred width), the same kernels built for
#     4 lanes (simd128), a user's Vector API loop on lanewise(EXP/EXPM1/TANH) (lanewise), the plain loop;
#   - PReLU forward against the auto-vectorized Math.max ReLU loop and System.arraycopy, 4K to 32M floats.
# Usage: jmh/lanes.sh OUT_DIR [JAVA] [ROUNDS]   (build first: mvn -Pjmh package -DskipTests)
# Conditions: 1 fork per cell, 4 x 0.5 s warm-up, 5 x 0.5 s measured; run nothing else meanwhile.
set -euo pipefail
out=${1:?usage: jmh/lanes.sh OUT_DIR [JAVA] [ROUNDS]}
java=${2:-java}
rounds=${3:-3}
jar=target/benchmarks.jar
mkdir -p "$out"
jmh() { "$java" -jar "$jar" "$@" -f 1 -wi 4 -w 500ms -i 5 -r 500ms -rf json > /dev/null; }
for r in $(seq 1 "$rounds"); do
  for impl in simd simd128 lanewise loop; do
    jmh ActivationBenchmark -p op=sigmoid,silu,elu,tanh -p pass=forward -p impl=$impl -p size=262144 \
        -rff "$out/exp-$impl-r$r.json"
  done
  jmh ActivationBenchmark -p op=prelu -p pass=forward -p impl=simd -p size=4096,262144,4194304,33554432 \
      -rff "$out/prelu-r$r.json"
  jmh ActivationBenchmark -p op=relu -p pass=forward -p impl=loopMax -p size=4096,262144,4194304,33554432 \
      -rff "$out/max-r$r.json"
  jmh CopyBenchmark -p size=4096,262144,4194304,33554432 -rff "$out/copy-r$r.json"
done
python3 - "$out" <<'PY'
import glob, json, statistics as st, sys
d = sys.argv[1]
rounds = sorted({int(f.rsplit('-r', 1)[1].split('.')[0]) for f in glob.glob(d + '/*-r*.json')})
R = {}
for r in rounds:
    R[r] = {}
    for f in glob.glob(f'{d}/*-r{r}.json'):
        for b in json.load(open(f)):
            p = b.get('params', {})
            R[r][(p.get('op'), p.get('impl'), p.get('size'))] = b['primaryMetric']['score']
def ratios(num, den):
    return [R[r][num] / R[r][den] for r in rounds if num in R[r] and den in R[r]]
def med(v): return st.median(v) if v else float('nan')
def show(v, f='{:.2f}'): return ', '.join(f.format(x) for x in v)
print(f'rounds: {len(rounds)}')
for op in ('sigmoid', 'silu', 'elu', 'tanh'):
    k = lambda impl: (op, impl, '262144')
    ours, lanes, lw = ratios(k('loop'), k('simd')), ratios(k('simd128'), k('simd')), ratios(k('loop'), k('lanewise'))
    ns = lambda impl: med([R[r][k(impl)] / 262144 for r in rounds if k(impl) in R[r]])
    print(f'  {op:8s} 256K: Rectify {med(ours):5.1f}x loop ({show(ours, "{:.1f}")}); lanewise {med(lw):5.1f}x loop; '
          f'4-lane time / 8-lane {med(lanes):.2f}; ns/el: Rectify {ns("simd"):.3f}, 4 lanes {ns("simd128"):.3f}, '
          f'lanewise {ns("lanewise"):.3f}, loop {ns("loop"):.2f}')
for size in ('4096', '262144', '4194304', '33554432'):
    vs_max = ratios(('relu', 'loopMax', size), ('prelu', 'simd', size))
    vs_copy = ratios((None, None, size), ('prelu', 'simd', size))
    print(f'  prelu fwd {int(size) // 1024:6d}K: {med(vs_max):.2f}x the Math.max loop ({show(vs_max)}), '
          f'{100 * med(vs_copy):.0f}% of copy')
PY
