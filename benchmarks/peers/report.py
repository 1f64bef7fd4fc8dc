#!/usr/bin/env python3
"""Writes docs/benchmarks.md and docs/benchmarks.svg from the results scripts/bench collected.

    report.py <results dir> <docs dir>

The results directory holds one Google Benchmark JSON file per (executable, problem) run, compile.tsv
(library, seconds, peak kB of goldstein's translation unit) and meta.txt (key<TAB>value lines). Every
ratio divides a library's median CPU time by the hand-written code's, measured in the same process.
"""
import json
import pathlib
import subprocess
import sys

PROBLEMS = [  # (benchmark prefix, title, fixed size?)
    ("sphere", "sphere (2 variables)", True),
    ("matyas", "matyas (2 variables)", True),
    ("goldstein", "goldstein (2 variables, 38 operations)", True),
    ("rosenbrock2", "Rosenbrock, n = 2", True),
    ("rosenbrock100", "Rosenbrock, n = 100", True),
    ("rosenbrock10000", "Rosenbrock, n = 10,000", True),
    ("least_squares100000", "least squares, 2 parameters, 100,000 points", False),
    ("chain10000", "scalar chain, 10,000 operations", False),
    ("smooth1e6", "`((x*x+3*x-1)/(x*x+1))**2`, 1e6 elements, gradient of every element", False),
    ("dynamic", "dynamic: sum of `f(x_i)`, length read at run time", False),
]
# The Hessian section (issue 11): value, gradient and full Hessian.
HESSIAN_PROBLEMS = [  # (benchmark prefix, title)
    ("goldstein_hessian", "goldstein (2 variables)"),
    ("rosenbrock2_hessian", "Rosenbrock, n = 2"),
    ("rosenbrock100_hessian", "Rosenbrock, n = 100 (the full 100 x 100 Hessian)"),
]
HAND = "hand-written"
# Libraries in the chart's order; their kind, and how each one computes a gradient in this comparison.
LIBRARIES = {
    "DeZero++ static": "compile time: the reverse sweep generated as straight-line code (Rosenbrock n: `windowed<2>`; least squares: a `sum_over` node; dynamic: per term)",
    "DeZero++ runtime": "runtime graph (DeZero's Variable/Function); arrays as one Variable",
    "DeZero++ bridge": "`elementwise`: one runtime node, per-element derivative from the static engine",
    "libtorch": "runtime graph (PyTorch autograd), 0-d tensors for scalars, one 1-d tensor for arrays (least "
    "squares: the samples as two), 1 thread",
    "ADOL-C tape+gradient": "taping (trace_on/off with keep = 1) and fos_reverse, both timed",
    "ADOL-C replay": "tape recorded once before timing; zos_forward + fos_reverse timed",
    "Sacado SFad": "forward mode, fixed-size derivative arrays (sums: per term or per element; least squares: "
    "one pass, 2 directions)",
    "Eigen AutoDiffScalar": "forward mode, fixed-size derivative vector (sums: per term or per element; least "
    "squares: one pass, 2 directions)",
    "Boost.Math autodiff": "forward mode, one polynomial variable per input (sums: per term or per element; "
    "least squares: one pass)",
}
# DeZero++ in blues and green, the peers in warm colours and greys.
COLOURS = {"DeZero++ static": "#08306b", "DeZero++ runtime": "#2171b5", "DeZero++ bridge": "#41ab5d",
           "libtorch": "#d94801", "ADOL-C tape+gradient": "#fd8d3c", "ADOL-C replay": "#fdd0a2",
           "Sacado SFad": "#a50f15", "Eigen AutoDiffScalar": "#737373", "Boost.Math autodiff": "#bdbdbd",
           "ADOL-C tape+hessian": "#fd8d3c", "Sacado DFad, whole function": "#fb6a4a",
           "Eigen AutoDiffScalar, whole function": "#d9d9d9", "DeZero++ runtime, gradients()": "#6baed6"}
# How each library computes the Hessian; "per term" at n = 100: each term's 2 x 2 Hessian added into the
# matrix (benchmarks/peers/problems.hpp, HessianByTerms), as the forward-mode libraries' gradients are.
HESSIAN_LIBRARIES = {
    "DeZero++ static": "compile time: `value_grad_hessian`, forward over reverse as straight-line code; n = 100 "
    "per term (see below)",
    "DeZero++ runtime": "double backprop as DeZero does it: `backward(false, true)` (create_graph) stores "
    "gradients with graphs in each `grad()`, then each component's `backward()` from cleared gradients gives a "
    "row",
    "DeZero++ runtime, gradients()": "double backprop without storing: `dezero::gradients(z, x, true)`, then "
    "`dezero::gradients` of each component (as libtorch's `autograd::grad`)",
    "libtorch": "double backward: `torch::autograd::grad` with `create_graph`, then one `grad` per gradient "
    "component (n = 100: one 1-d tensor, unit-vector seeds made with the input), 1 thread",
    "ADOL-C tape+hessian": "taping (keep = 1), `fos_reverse` for the gradient, then the `hessian` driver (the "
    "lower triangle, mirrored), all timed",
    "Eigen AutoDiffScalar": "nested `AutoDiffScalar<Matrix<AutoDiffScalar<Vector2d>, 2, 1>>` (forward over "
    "forward, fixed size); n = 100 per term",
    "Eigen AutoDiffScalar, whole function": "n = 100 only: the nested `AutoDiffScalar` with fixed-size "
    "derivative vectors of 100 over the whole sum, as for a function of unknown structure",
    "Sacado SFad": "nested `SFad<SFad<double, 2>, 2>` (forward over forward); n = 100 per term",
    "Sacado DFad, whole function": "n = 100 only: `DFad<DFad<double>>` over the whole sum",
    "Boost.Math autodiff": "`make_ftuple<double, 2, 2>`: a polynomial of order 2 in each variable; n = 100 per "
    "term",
}
RUNTIME_HESSIAN = ("DeZero++ runtime", "DeZero++ runtime, gradients()")
DEZERO = ("DeZero++ static",) + RUNTIME_HESSIAN
RUNTIME_GRAPH = ["libtorch", "ADOL-C tape+gradient"]  # the libraries the runtime engine competes with
COMPILE_NAMES = {"problems": HAND, "static_engine": "DeZero++ static", "runtime_engine": "DeZero++ runtime",
                 "torch": "libtorch", "adolc": "ADOL-C", "sacado": "Sacado SFad",
                 "eigen": "Eigen AutoDiffScalar", "boost": "Boost.Math autodiff"}


def load(results):
    """{problem: {library: (ns per gradient, ratio to hand-written in the same process)}}, hand's ns."""
    table, hand_ns = {p: {} for p in [q[0] for q in PROBLEMS] + [q[0] for q in HESSIAN_PROBLEMS]}, {}
    for path in sorted(results.glob("*.json")):
        runs = {}
        for b in json.loads(path.read_text())["benchmarks"]:
            if b.get("aggregate_name") != "median":
                continue
            assert b["time_unit"] == "ns", b
            problem, library = b["run_name"].split("/", 1)
            runs[library] = b["cpu_time"] / b["gradients"]
        hand = runs.pop(HAND, None)
        if hand is None:
            continue
        hand_ns.setdefault(problem, []).append(hand)
        for library, ns in runs.items():
            table[problem][library] = (ns, ns / hand)
    return table, {p: sorted(v)[len(v) // 2] for p, v in hand_ns.items()}


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.3g} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3g} µs"
    return f"{ns:.3g} ns"


def fmt_ratio(r):
    return f"{r:.2f}x" if r < 10 else f"{r:.3g}x"


def fastest(rows, among=None):
    rows = {k: v for k, v in rows.items() if among is None or k in among}
    return min(rows, key=lambda k: rows[k][1]) if rows else None


def goals(table):
    """The issue's goals, each as (met, sentence)."""
    out = []
    for problem, title, fixed in PROBLEMS:
        rows = table[problem]
        if fixed and "DeZero++ static" in rows:
            best, r = fastest(rows), rows["DeZero++ static"][1]
            ok = best == "DeZero++ static" and r <= 1.05
            others = f"fastest: {best}, {fmt_ratio(rows[best][1])}" if best != "DeZero++ static" else "fastest"
            out.append((ok, f"{problem}: static engine {fmt_ratio(r)} of hand-written ({others}; goal: fastest"
                            f" and <= 1.05x)"))
    for problem in ("chain10000", "goldstein", "dynamic"):
        rows = table[problem]
        if "DeZero++ runtime" not in rows:
            continue
        best = fastest(rows, RUNTIME_GRAPH + ["DeZero++ runtime"])
        peers = ", ".join(f"{k} {fmt_ratio(rows[k][1])}" for k in RUNTIME_GRAPH if k in rows)
        out.append((best == "DeZero++ runtime", f"{problem}: runtime engine "
                    f"{fmt_ratio(rows['DeZero++ runtime'][1])} against {peers or 'no runtime-graph peer'} "
                    f"(goal: fastest of the runtime-graph libraries)"))
    rows = table["smooth1e6"]
    if "DeZero++ bridge" in rows:
        best = fastest(rows)
        out.append((best == "DeZero++ bridge", f"smooth1e6: bridge {fmt_ratio(rows['DeZero++ bridge'][1])}"
                    f" (fastest: {best}, {fmt_ratio(rows[best][1])}; goal: fastest)"))
    return out


def chart(table, docs, problems=None, libraries=None, name="benchmarks",
          title="Value + full gradient: time relative to hand-written code (log scale, lower is better)"):
    problems = problems or [p for p, _, _ in PROBLEMS]
    libraries = [k for k in (libraries or LIBRARIES) if any(k in table[p] for p in problems)]
    if not libraries:  # none of these problems was run
        return
    dat = docs / f"{name}.dat"
    with dat.open("w") as f:
        f.write("problem " + " ".join(f'"{k}"' for k in libraries) + "\n")
        for problem in problems:
            cells = [f"{table[problem][k][1]:.6g}" if k in table[problem] else "NaN" for k in libraries]
            f.write(problem.removesuffix("_hessian") + " " + " ".join(cells) + "\n")
    script = f"""
set terminal svg size 1400,560 dynamic font "sans,12" background rgb "white"
set output "{docs / (name + '.svg')}"
set title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y
set yrange [0.5:*]
set ylabel "time / hand-written time"
set grid ytics
set key outside right top vertical
set xtics nomirror scale 0
set bmargin 4
set datafile missing "NaN"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb "black"
set label "hand-written = 1" at graph 0.005, first 1.15 font "sans,10"
array colour[{len(libraries)}] = [{", ".join(f'"{COLOURS.get(k, "#000000")}"' for k in libraries)}]
plot for [i=2:{len(libraries) + 1}] "{dat}" using i:xtic(1) title columnheader(i) linecolor rgb colour[i - 1]
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    dat.unlink()


def main():
    results, docs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    meta = dict(line.split("\t", 1) for line in (results / "meta.txt").read_text().splitlines() if "\t" in line)
    table, hand_ns = load(results)
    chart(table, docs)
    hessians = [p for p, _ in HESSIAN_PROBLEMS if table[p]]
    if hessians:
        chart(table, docs, hessians, HESSIAN_LIBRARIES, "benchmarks_hessian",
              "Value, gradient and full Hessian: time relative to hand-written code (log scale, lower is better)")
    md = [
        "# DeZero++ against other AD libraries",
        "",
        "Generated by `scripts/bench` on " + meta["date"] + " from revision `" + meta.get("revision", "unknown")
        + "`" + (" (`-dirty`: with changes not yet committed)" if meta.get("revision", "").endswith("-dirty") else "")
        + "; do not edit (run `scripts/bench` again). "
        "Where the time goes inside each DeZero++ engine is analysed by hand in "
        "[performance.md](performance.md).",
        "",
        "![time relative to hand-written code, per problem and library](benchmarks.svg)",
        "",
        "## How it is measured",
        "",
        f"- Machine: {meta['cpu']}, {meta['cores']} cores, {meta['os']}; shared with other work, so compare "
        "ratios (each library's time over the hand-written code's, measured in the same process) rather than "
        "absolute times across runs.",
        f"- Compiler: {meta['compiler']}; flags `{meta['flags']}` (CMake's Release flags, then -O2 for every "
        "library of `benchmarks/peers`: the last -O wins).",
        f"- Google Benchmark {meta['benchmark']}: each figure is the median CPU time of {meta['repetitions']} "
        f"repetitions (at least {meta['min_time']} s each) of value + full gradient, per gradient. The 2-variable "
        "problems evaluate 256 points per iteration; inputs come from seeded `std::mt19937_64` generators.",
        "- Tables are sorted by ratio. Each ratio divides by the hand-written time of the library's own "
        "process, so two libraries' times and ratios can rank differently by a few percent.",
        "- Before anything is timed, every library's value and gradient are compared with the hand-written "
        "ones (`benchmarks/handwritten.hpp`, relative 1e-12): a difference fails the run.",
        "- Each problem of each library runs in a process of its own (a library's state after one problem "
        "must not slow the next). glibc's trim and mmap thresholds are raised for every library, as in "
        "`benchmarks/runtime_engine.cpp`.",
        f"- Libraries (Debian 12 packages): {meta['versions']}.",
        "",
        "| library | how it computes a gradient here |",
        "|---|---|",
    ]
    md += [f"| {k} | {v} |" for k, v in LIBRARIES.items() if any(k in table[p] for p, _, _ in PROBLEMS)]
    md += ["", "## Results", ""]
    for problem, title, _ in PROBLEMS:
        rows = table[problem]
        if not rows:
            continue
        md += results_table(f"### {title}", rows, hand_ns[problem], "gradient")
    md += hessian_section(table, hand_ns)
    compile_rows = [line.split("\t") for line in (results / "compile.tsv").read_text().splitlines() if line]
    md += ["## Compile time of goldstein's gradient", "",
           "One translation unit per library (`benchmarks/peers/goldstein.cpp` with the library's header from "
           "`benchmarks/peers/`): goldstein's value and gradient through that library and nothing else, "
           "compiled with the benchmark's own command (from `compile_commands.json`, no ccache); CPU time "
           "(user + system: the machine is shared) and peak resident memory from `/usr/bin/time -v`, "
           f"{'one compilation' if meta['compile_runs'] == '1' else 'the median of ' + meta['compile_runs'] + ' compilations'}.",
           "",
           "| library | CPU seconds | peak compiler memory |", "|---|---|---|"]
    for name, seconds, kb in sorted(compile_rows, key=lambda r: float(r[1])):
        md.append(f"| {COMPILE_NAMES.get(name, name)} | {float(seconds):.2f} | {int(kb) // 1024} MB |")
    measured = [line.split() for line in (results / "static_compile.txt").read_text().splitlines()[1:]]
    runtime = {r[0]: r for r in measured if len(r) == 3 and r[0] in ("xtensor_add", "runtime_goldstein_gradient")}
    static_rows = [r for r in measured if len(r) == 3 and r[0] not in runtime]  # not the ratio line
    md += ["", "## Compile time of the static engine as expressions grow", "",
           "`benchmarks/compile_time/measure.sh` (g++ -O2, wall clock and peak resident memory, the median of 3 "
           "compilations): goldstein's value in doubles and its value and gradient through the static engine, "
           "with the same includes; then generated expressions of 64 to 512 nodes with shared subexpressions "
           "(`benchmarks/compile_time/generate.py`). Analysis, and user CPU times: docs/performance.md.", "",
           "| translation unit | seconds | peak compiler memory |", "|---|---|---|"]
    for name, seconds, mb in static_rows:
        md.append(f"| {name.replace('_', ' ')} | {float(seconds):.2f} | {mb} MB |")
    if len(runtime) == 2:
        (_, base_s, base_mb), (_, s, mb) = runtime["xtensor_add"], runtime["runtime_goldstein_gradient"]
        md += ["", "## Compile time of the runtime engine", "",
               "The same script: goldstein's value and gradient through `dezero/runtime.hpp` "
               "(`runtime_goldstein_gradient.cpp`) against a translation unit that only includes "
               "`<xtensor/xarray.hpp>` and adds two arrays (`xtensor_add.cpp`); issue 10 asks for at most 1.5x "
               "its time and memory. Analysis: docs/performance.md.", "",
               "| translation unit | seconds | peak compiler memory |", "|---|---|---|",
               f"| xtensor add | {float(base_s):.2f} | {base_mb} MB |",
               f"| goldstein gradient, runtime engine | {float(s):.2f} ({float(s) / float(base_s):.2f}x) "
               f"| {mb} MB ({int(mb) / int(base_mb):.2f}x) |"]
    md += ["", "## Goals (issue 4)", ""]
    for ok, sentence in goals(table):
        md.append(f"- {'met' if ok else '**not met**'}: {sentence}")
    md += ["", "## Notes", ""] + notes(table)
    (docs / "benchmarks.md").write_text("\n".join(md) + "\n")


def results_table(heading, rows, hand_ns, per):
    """One problem's table, sorted by ratio; `per`: what one evaluation gives (a gradient, a Hessian)."""
    md = [heading, "", f"Hand-written: {fmt_ns(hand_ns)} per {per} (the median of its timings in every "
          "process).", "", f"| library | per {per} | ratio to hand-written |", "|---|---|---|"]
    md += [f"| {library} | {fmt_ns(ns)} | {fmt_ratio(r)} |"
           for library, (ns, r) in sorted(rows.items(), key=lambda kv: kv[1][1])]
    return md + [""]


def hessian_section(table, hand_ns):
    """The Hessian section (issue 11, section 4): how, the tables, what is not measured and why, and in words
    where DeZero++ is not fastest."""
    problems = [(p, t) for p, t in HESSIAN_PROBLEMS if table[p]]
    if not problems:
        return []
    present = lambda k: any(k in table[p] for p, _ in problems)  # noqa: E731
    md = ["## Hessians (issue 11)", "",
          "![Hessian time relative to hand-written code, per problem and library](benchmarks_hessian.svg)", "",
          "Value, gradient and the full Hessian (every entry, zeros included: a 100 x 100 matrix for n = 100, "
          "written from scratch each time), per Hessian; the 2-variable problems at the same 256 points as the "
          "gradients. Before anything is timed, every library's value, gradient and each Hessian entry are "
          "compared with the hand-written ones (`benchmarks/handwritten_hessian.hpp`: goldstein by the product "
          "rule, Rosenbrock's band; relative 1e-12, as the gradients): a difference fails the run. Forward-mode "
          "libraries and the static engine reach Rosenbrock n = 100 per term (each term's 2 x 2 Hessian added "
          "into the matrix, as hand-written code does and as their gradients are reached above); the "
          "\"whole function\" rows differentiate the sum of 100 variables at once, as for a function whose "
          "structure is unknown.", "",
          "| library | how it computes the Hessian here |", "|---|---|"]
    md += [f"| {k} | {v} |" for k, v in HESSIAN_LIBRARIES.items() if present(k)]
    md.append("")
    for problem, title in problems:
        md += results_table(f"### Hessian: {title}", table[problem], hand_ns[problem], "Hessian")
    md += ["### Not measured", ""]
    if not any(present(k) for k in RUNTIME_HESSIAN):
        md.append("- DeZero++ runtime (double backprop): not in this build: its adapter "
                  "(`benchmarks/peers/runtime_engine.hpp`) needs the runtime engine's `create_graph`.")
    md += [
        "- DeZero++ static, Rosenbrock n = 100 as one expression: not supported. `value_grad_hessian` takes "
        "scalar arguments only (no `std::array` or Hana sequence, unlike `value_and_grad`), `windowed<2>` has "
        "no Hessian, and the Hessian of Rosenbrock written as one expression of n scalar arguments (a fold "
        "over the pairs) took g++ -O2 2 s to compile at n = 4, 65 s at n = 8 (6 s with branch issue11-static's "
        "second-order sweep), and did not finish in 150 s at n = 16 (by hand on this shared machine: "
        "`benchmarks/compile_time/rosenbrock_hessian_whole.cpp`): "
        "n = 100 is out of reach. The row above is per term.",
        "- Boost.Math autodiff over the whole 100-variable function: infeasible. Its Hessian needs order 2 in "
        "each of the 100 variables, one polynomial of 3^100 coefficients; the row above is per term.",
        "",
        "### Where DeZero++ is not fastest",
        ""]
    md += hessian_words(table, problems)
    rows = table["goldstein_hessian"]
    mine = [k for k in RUNTIME_HESSIAN if k in rows]
    if mine:
        peers = {k: rows[k] for k in ("libtorch", "ADOL-C tape+hessian") if k in rows}
        best = min(mine, key=lambda k: rows[k][1])
        ok = all(rows[best][1] < v[1] for v in peers.values())
        timed = lambda k: f"{fmt_ratio(rows[k][1])}, {fmt_ns(rows[k][0])}"  # noqa: E731
        line = (f"- {'met' if ok else '**not met**'}: goldstein's Hessian by the runtime engine "
                + ", ".join(f"{timed(k)} ({k})" for k in mine) + " against "
                + ", ".join(f"{k} {timed(k)}" for k in peers)
                + " (goal: ahead of libtorch's and ADOL-C's" + (f"; judged by the faster of the runtime engine's "
                                                                 f"two ways, {best}" if len(mine) > 1 else "")
                + ").")
        if ok != all(rows[best][0] < v[0] for v in peers.values()):
            line += (" The times per Hessian rank the other way: each ratio divides by the hand-written time of "
                     "its own process, and those differed between the processes of this run (the machine is "
                     "shared), so the two are level within this run's noise.")
        md += ["", "### Goal (issue 11)", "", line]
    md.append("")
    return md


def hessian_words(table, problems):
    """Sentences, one per problem, and what they rest on."""
    r = lambda problem, library: ratio(table, problem, library)  # noqa: E731
    first_order = all(k in table["goldstein"] for k in ("Sacado SFad", "Eigen AutoDiffScalar"))
    out = []
    for problem, title in problems:
        rows = table[problem]
        best = fastest(rows)
        mine = [k for k in DEZERO if k in rows]
        if not mine:
            continue
        best_mine = min(mine, key=lambda k: rows[k][1])
        parts = []
        if best not in DEZERO:
            parts.append(f"{best} is the fastest library ({r(problem, best)} of hand-written), ahead of "
                         f"{best_mine} ({r(problem, best_mine)})")
        else:
            others = {k: v for k, v in rows.items() if k not in DEZERO}
            runner = fastest(others)
            parts.append(f"{best} is the fastest library" + (f", ahead of {runner} ({r(problem, runner)})"
                                                              if runner else ""))
        if "DeZero++ static" in rows and rows["DeZero++ static"][1] > 1.05:
            parts.append(f"but the static engine takes {r(problem, 'DeZero++ static')} the hand-written "
                         "code's time: hand-written code is faster")
        peers = [k for k in ("libtorch", "ADOL-C tape+hessian") if k in rows]
        for k in RUNTIME_HESSIAN:
            if k not in rows:
                continue
            ahead = [p for p in peers if rows[p][1] < rows[k][1]]
            if ahead:
                parts.append(f"among the runtime-graph libraries " + ", ".join(f"{p} ({r(problem, p)})"
                                                                               for p in ahead)
                             + f" {'is' if len(ahead) == 1 else 'are'} faster than {k} ({r(problem, k)})")
            elif peers:
                parts.append(f"{k} ({r(problem, k)}) is ahead of " + ", ".join(f"{p} ({r(problem, p)})"
                                                                                for p in peers))
        out.append(f"- {title}: " + "; ".join(parts) + ".")
    if any("DeZero++ static" in table[p] and table[p]["DeZero++ static"][1] > 1.05 for p, _ in problems):
        out.append(
            "- Why the static engine trails the hand-written Hessian where it does (docs/static-engine.md, "
            "\"Limits\"): its second derivatives come from the rules' first-derivative maps, so it does not do "
            "the algebra a person does (Rosenbrock's `1200 x0^2 - 400 x1 + 2`: two multiplications more in the "
            "loop, 41 instructions a call against 40); a quotient pays DeZero's `Div` rule twice, which the "
            "engine keeps so that both engines round alike. Its own benchmark (`benchmarks/static_engine.cpp`, "
            "`BM_hessian_*`) shows the same ratios (issue 11's goal there is <= 1.1x).")
    slow = [p for p, _ in problems if all(k in table[p] for k in RUNTIME_HESSIAN)
            and table[p][RUNTIME_HESSIAN[0]][1] > 2 * table[p][RUNTIME_HESSIAN[1]][1]]
    if slow:
        out.append(
            "- The runtime engine's two ways: DeZero's (`backward` with `create_graph`, gradients stored in "
            "`grad()`) is slower than `dezero::gradients` on " + ", ".join(
                f"{p.removesuffix('_hessian')} ({r(p, RUNTIME_HESSIAN[0])} against {r(p, RUNTIME_HESSIAN[1])})"
                for p in slow)
            + ". A stored gradient whose graph holds its variable is a reference cycle, which the engine "
            "collects (docs/runtime-engine.md, \"Higher order\"): each reference into such a graph that the "
            "row loop drops (`cleargrad` of every variable before each row's `backward`) costs a walk over the "
            "graph it reaches, n per row and n rows, so the gap grows with n. `dezero::gradients` stores "
            "nothing, so it makes no cycle to collect: it is the way to take a Hessian on the runtime engine.")
    out.append(
        "- Nested forward mode (Eigen, Sacado, Boost) carries every second-order component through every "
        "operation: 2 x 2 per operation here, 100 x 100 for the whole-function rows (hence their "
        "milliseconds). Nested Sacado trails nested Eigen as its first-order SFad trails Eigen's in the "
        "gradient section" + (f" (goldstein {r('goldstein', 'Sacado SFad')} against "
                              f"{r('goldstein', 'Eigen AutoDiffScalar')})" if first_order else "")
        + "; not analysed further. Eigen's nested `AutoDiffScalar` has no `pow` whose exponent is a plain number "
        "(its pow takes the inner scalar type and then calls pow on two inner scalars, which does not compile), "
        "so `benchmarks/peers/eigen.hpp` adds one, built on Eigen's own first-order pow.")
    out.append(
        "- ADOL-C's `hessian` driver computes the Hessian row by row, one Hessian-vector product per row "
        "(`hess_vec`: a first-order forward and a second-order reverse sweep of the tape): 2n sweeps after "
        "the taping; libtorch builds the gradient's graph and runs n more backward "
        "passes through its dispatcher, on 0-d tensors for 2 variables.")
    return out


def ratio(table, problem, library):
    return fmt_ratio(table[problem][library][1]) if library in table[problem] else "n/a"


def notes(table):
    """The closing notes: why DeZero++ is not fastest where it is not, and what the figures rest on."""
    r = lambda problem, library: ratio(table, problem, library)  # noqa: E731
    out = []
    slow_static = [p for p, _, fixed in PROBLEMS if fixed and "DeZero++ static" in table[p]
                   and table[p]["DeZero++ static"][1] > 1.05]
    if slow_static:
        out.append(
            "- Static engine above 1.05x (" + ", ".join(f"{p} {r(p, 'DeZero++ static')}" for p in slow_static)
            + "). The static engine's own benchmark (`benchmarks/static_engine.cpp`, analysed in "
            "docs/performance.md) times the same functions in a loop of its own and can give other ratios. "
            "`value_and_grad` is inlined into the caller (`include/dezero/static/detail/inline.hpp`); "
            "`objdump -dC build/bench/benchmarks/peers/peers_dezero | grep 'call.*value_and_grad'` lists any "
            "call a compiler kept. The loops' buffers are page-aligned (identical loops ran 2x apart with "
            "other page offsets). Problems under 2 ns per gradient (sphere, matyas, "
            "Rosenbrock n = 2) also move by 10-30% between runs on this shared machine.")
    out.append(
        f"- Runtime engine against ADOL-C: ADOL-C appends each operation to a preallocated tape (a few bytes) "
        f"and sweeps flat arrays, where the runtime engine allocates DeZero's objects per operation (a "
        f"function, an output node and gradient nodes, with atomic reference counts: docs/performance.md, "
        f"\"Runtime engine\"). So on scalar graphs ADOL-C taping is faster: chain10000 "
        f"{r('chain10000', 'ADOL-C tape+gradient')} against {r('chain10000', 'DeZero++ runtime')}, goldstein "
        f"{r('goldstein', 'ADOL-C tape+gradient')} against {r('goldstein', 'DeZero++ runtime')}. On the "
        f"dynamic case the runtime engine is faster ({r('dynamic', 'DeZero++ runtime')} against "
        f"{r('dynamic', 'ADOL-C tape+gradient')}) because it treats the vector as one array Variable: eight "
        f"operations on arrays instead of eight per element. Reaching ADOL-C on scalars needs the node layout "
        f"docs/performance.md describes (function and output in one block, intrusive counts).")
    out.append(
        f"- Runtime engine on Rosenbrock n = 10,000 ({r('rosenbrock10000', 'DeZero++ runtime')}, against "
        f"{r('rosenbrock100', 'DeZero++ runtime')} at n = 100): the cost per operation grows with the graph "
        f"(about 90,000 scalar nodes, some 40 MB of objects). Instructions per operation grow 1.6x (1,400 to 2,200, "
        f"callgrind) while time grows about 8x; the rest is cache misses: building, sweeping and freeing touch objects that "
        f"no longer fit in the caches, several per operation, from free lists in the order the last graph "
        f"was freed. backward already walks the graph in the reverse of its construction (creation "
        f"order, docs/runtime-engine.md), which took 1.5x off; what remains needs objects laid out in "
        f"construction order (an arena per graph), as a tape is.")
    if "DeZero++ bridge" in table["smooth1e6"]:
        best = fastest(table["smooth1e6"])
        if best != "DeZero++ bridge":
            out.append(
                f"- 1e6 elements: {best} ({r('smooth1e6', best)}) is faster than the bridge "
                f"({r('smooth1e6', 'DeZero++ bridge')}). A forward-mode scalar whose derivative is one "
                f"number, applied element by element, compiles to the hand-written loop: one pass that writes "
                f"values and derivatives. The bridge is a runtime operation: its forward pass keeps the "
                f"derivatives, and the backward pass multiplies them by the output gradient, an array of ones "
                f"that `backward()` allocates and fills: two more passes over memory than the loop "
                f"(docs/performance.md).")
    out += [
        "- libtorch pays its dispatcher and a tensor per operation (microseconds on 0-d tensors), and on "
        "arrays one pass and one fresh allocation per operation, on one thread here.",
        "- Forward-mode libraries reach a sum's gradient term by term (Rosenbrock) or element by element "
        "(elementwise, dynamic): n directions at once would cost O(n^2). With one input (chain10000) forward "
        "mode is the hand-written derivative loop. The static engine works term by term too, since its "
        "expressions have a size fixed at compile time; it has no chain10000 (a 10,000-operation expression "
        "is not a type one compiles).",
        "- Taping libraries: \"ADOL-C tape+gradient\" is the main figure (the graph changes with the inputs "
        "in real use, so it is taped each time); \"ADOL-C replay\" reuses a tape recorded before timing, "
        "which is valid only because none of these problems branches on its inputs.",
        "- Sacado's reverse mode (Rad, `Sacado_trad.hpp`) is not compared: Debian's build crashed in "
        "`ADcontext::Gradcomp()` on a two-line program. Sacado's expressions hold their operands by "
        "reference, so the generic formulas (which return `auto`) dangle with Sacado types; "
        "`benchmarks/peers/sacado.hpp` writes them again with the result type, as Sacado's users must.",
        "- Compile time: the runtime engine's translation unit includes `dezero/dezero.hpp` (xtensor and "
        "both engines); the static engine's includes only `dezero/static.hpp`.",
    ]
    return out


if __name__ == "__main__":
    main()
