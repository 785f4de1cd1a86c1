#!/usr/bin/env bash
# Rectify's SGEMM against OpenBLAS in interleaved rounds, on one JDK, and the medians of the per-round
# ratios (OpenBLAS time / Rectify time). Within a round each pair runs back to back, each in its own JMH fork,
# so both see the same minute of a shared machine. Also 1024^3 on 2 threads and EJML at 1024^3.
# Usage: jmh/gemm-rounds.sh OUT_DIR [JAVA] [ROUNDS]   (build first: mvn -Pjmh package -DskipTests)
# SHAPES / FUSED (space-separated MxKxN lists) narrow the run; BIG=0 skips the 1024^3 thread and EJML cells.
# Conditions: 2 x 1 s warm-up, 3 x 1 s measured per fork (WI / I override the counts); run nothing else.
set -euo pipefail
out=${1:?usage: jmh/gemm-rounds.sh OUT_DIR [JAVA] [ROUNDS]}
java=${2:-java}
rounds=${3:-3}
jar=target/benchmarks.jar
shapes=${SHAPES-64x64x64 256x256x256 1024x1024x1024 256x784x256 784x256x256_tn 256x256x784_nt 256x256x10 256x10x256_nt 256x256x10_tn}
fused=${FUSED-256x256x256 256x784x256 256x256x10}
big=${BIG:-1}
mkdir -p "$out"
jmh() { "$java" -jar "$jar" "$@" -f 1 -wi "${WI:-2}" -w 1s -i "${I:-3}" -r 1s -rf json > /dev/null; }
for r in $(seq 1 "$rounds"); do
  for s in $shapes; do
    for impl in simd openblas; do
      jmh 'GemmBenchmark.run' -p impl=$impl -p shape=$s -p threads=1 -rff "$out/gemm-$s-$impl-r$r.json"
    done
  done
  for s in $fused; do
    for impl in fused openblas; do
      jmh 'FusedLayerBenchmark' -p impl=$impl -p shape=$s -rff "$out/fused-$s-$impl-r$r.json"
    done
  done
  if [ "$big" != 0 ]; then
    jmh 'GemmBenchmark.run' -p impl=simd -p shape=1024x1024x1024 -p threads=2 -rff "$out/threads2-r$r.json"
    jmh 'GemmBenchmark.run' -p impl=ejml -p shape=1024x1024x1024 -p threads=1 -rff "$out/ejml-r$r.json"
  fi
done
python3 - "$out" "$shapes" "$fused" <<'PY'
import glob, json, statistics as st, sys
d = sys.argv[1]
rounds = sorted({int(f.rsplit('-r', 1)[1].split('.')[0]) for f in glob.glob(d + '/*-r*.json')})
R = {r: {} for r in rounds}
for r in rounds:
    for f in glob.glob(f'{d}/*-r{r}.json'):
        for b in json.load(open(f)):
            p = b.get('params', {})
            kind = 'fused' if 'Fused' in b['benchmark'] else 'gemm'
            R[r][(kind, p.get('shape'), p.get('impl'), p.get('threads', '1'))] = b['primaryMetric']['score']
def flops(shape):
    m, k, n = (int(v) for v in shape.split('_')[0].split('x'))
    return 2.0 * m * k * n
def line(kind, shape, ours, theirs, label):
    rs = [R[r][(kind, shape, theirs, '1')] / R[r][(kind, shape, ours, '1')] for r in rounds
          if (kind, shape, ours, '1') in R[r] and (kind, shape, theirs, '1') in R[r]]
    us = st.median([R[r][(kind, shape, ours, '1')] for r in rounds if (kind, shape, ours, '1') in R[r]])
    print(f'  {label:28s} {us:10.1f} us {flops(shape) / us / 1e3:6.1f} GFLOPS  vs OpenBLAS {st.median(rs):.2f}x '
          f'(rounds {", ".join(f"{v:.2f}" for v in rs)})')
print(f'rounds: {len(rounds)}; Rectify time per op (median), GFLOPS, OpenBLAS time / Rectify time per round')
for s in sys.argv[2].split():
    line('gemm', s, 'simd', 'openblas', s)
for s in sys.argv[3].split():
    line('fused', s, 'fused', 'openblas', 'fused relu(XW+b) ' + s)
big = '1024x1024x1024'
for r in rounds:
    one, two = R[r].get(('gemm', big, 'simd', '1')), R[r].get(('gemm', big, 'simd', '2'))
    ejml = R[r].get(('gemm', big, 'ejml', '1'))
    if one and two and ejml:
        print(f'  round {r}: 1024^3 2 threads / 1 = {one / two:.2f}x; EJML {flops(big) / ejml / 1e3:.1f} GFLOPS, '
              f'Rectify = {ejml / one:.1f}x EJML')
PY
