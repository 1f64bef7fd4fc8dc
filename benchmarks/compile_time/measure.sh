#!/bin/sh
# Compile time and peak compiler memory of the static engine (issue 3, section 5; issue 11, section 3) and of
# the runtime engine against xtensor alone (issue 10), g++ -O2:
#   benchmarks/compile_time/measure.sh [compiler]
# Each figure is the median of 3 compilations, from /usr/bin/time -v.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
include=$(cd "$here/../../include" && pwd)
cxx=${1:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # file -> "seconds kilobytes" (medians)
  for i in 1 2 3; do
    /usr/bin/time -v "$cxx" -std=c++20 -O2 -I"$include" -c "$1" -o "$work/out.o" 2>"$work/time.txt" >/dev/null
    s=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" | awk -F: '{print $(NF-1)*60 + $NF}')
    k=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    echo "$s $k"
  done | sort -n | sed -n 2p
}

echo "file                            seconds  peak_MB"
for f in goldstein_value goldstein_gradient goldstein_hessian sphere16_rosenbrock16_sequence rosenbrock32_sequence; do
  set -- $(measure "$here/$f.cpp")
  printf '%-30s %8s %8d\n' "$f" "$1" $(($2 / 1024))
done
(cd "$work" && python3 "$here/generate.py" 64 128 256 512)
for n in 64 128 256 512; do
  set -- $(measure "$work/gen_$n.cpp")
  printf '%-30s %8s %8d\n' "generated_$n" "$1" $(($2 / 1024))
done
for n in 64 128; do  # value, gradient and Hessian (issue 11's limit: 128 nodes in 10 s and 2 GB)
  set -- $(measure "$work/gen_hessian_$n.cpp")
  printf '%-30s %8s %8d\n' "generated_hessian_$n" "$1" $(($2 / 1024))
done
# The runtime engine against a translation unit that only adds two xtensor arrays (issue 10: <= 1.5x each).
set -- $(measure "$here/xtensor_add.cpp")
base_s=$1 base_k=$2
printf '%-30s %8s %8d\n' xtensor_add "$1" $(($2 / 1024))
set -- $(measure "$here/runtime_goldstein_gradient.cpp")
printf '%-30s %8s %8d\n' runtime_goldstein_gradient "$1" $(($2 / 1024))
awk -v s="$1" -v k="$2" -v bs="$base_s" -v bk="$base_k" \
  'BEGIN { printf "runtime_goldstein_gradient / xtensor_add: %.2fx seconds, %.2fx peak memory\n", s / bs, k / bk }'
