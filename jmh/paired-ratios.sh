#!/usr/bin/env bash
# Issue #3's target ratios measured with PairedRatio (two benchmark cells in alternating ~30 ms windows of
# one JVM), which holds up on a shared machine where separate JMH forks do not. One JDK per run.
# Usage: jmh/paired-ratios.sh OUT_DIR [JAVA] [PAIRS]   (build first: mvn -Pjmh package -DskipTests)
# Writes OUT_DIR/<cell>.txt (every window pair in time order, then PairedRatio's summary) and prints a table:
# per cell the median and quartiles of the per-pair ratio, and the ratio of the two cells' best windows.
set -euo pipefail
out=${1:?usage: jmh/paired-ratios.sh OUT_DIR [JAVA] [PAIRS]}
java=${2:-java}
pairs=${3:-200}
mkdir -p "$out"
run() {  # name bench shape implA implB pairs
  "$java" -Dseries=true --add-modules jdk.incubator.vector -cp target/benchmarks.jar dev.rectify.bench.PairedRatio \
    "$2" "$3" "$4" "$5" "$6" 2>/dev/null > "$out/$1.txt"
}
for s in 64x64x64 256x256x256 1024x1024x1024 256x784x256 784x256x256_tn 256x256x784_nt 256x256x10 256x10x256_nt 256x256x10_tn; do
  run "gemm-$s" gemm "$s" simd openblas "$pairs"
done
for s in 256x256x256 256x784x256 256x256x10; do
  run "fused-$s" fused "$s" fused openblas "$pairs"
done
run threads2-1024 gemm 1024x1024x1024 simd:2 simd:1 "$pairs"
run threads2-openblas-1024 gemm 1024x1024x1024 openblas:2 openblas:1 "$pairs"   # the peer's own scaling, for scale
run ejml-1024 gemm 1024x1024x1024 simd ejml 30
python3 - "$out" <<'PY'
import glob, os, statistics as st, sys
d = sys.argv[1]
print(f'{"cell":28s} {"B/A median":>10s} {"quartiles":>13s} {"best B / best A":>15s}  (A, B)')
for f in sorted(glob.glob(d + '/*.txt')):
    pairs = [tuple(map(float, l.split())) for l in open(f) if l[:1].isdigit() and len(l.split()) == 2]
    r = sorted(b / a for a, b in pairs)
    n = len(r)
    who = {'threads2-openblas': '(OpenBLAS 2 threads, 1)', 'threads2': '(2 threads, 1 thread)', 'ejml': '(Rectify, EJML)', 'fused': '(fused, OpenBLAS + pass)'}
    label = next((v for k, v in who.items() if os.path.basename(f).startswith(k)), '(Rectify, OpenBLAS)')
    print(f'{os.path.basename(f)[:-4]:28s} {r[n // 2]:10.3f} {r[n // 4]:6.3f}-{r[3 * n // 4]:.3f} '
          f'{min(b for a, b in pairs) / min(a for a, b in pairs):15.3f}  {label}')
PY
