#!/usr/bin/env python3
"""Writes gen_<n>.cpp: the gradient of one generated expression of n nodes with shared subexpressions, and
gen_hessian_<n>.cpp: its value, gradient and Hessian.

The expression is layered: each layer has `width` nodes, each combining two random nodes of the layer
below with +, -, * or a unary sin/cos/tanh, so every node is used about twice (a DAG, not a tree). Depth
stays at 8 layers: the compilers' cost grows with a shared type's unfolded tree size, see
docs/static-engine.md ("Limits"). The last layer is summed.
"""
import random
import sys


def generate(n: int, depth: int = 8, seed: int = 1, hessian: bool = False) -> str:
    rng = random.Random(seed)
    width = max(2, n // depth)
    signature = "dezero::ValueGradHessian<2> hessian(double a, double b) {" if hessian else \
        "double gradient_x(double a, double b) {"
    lines = ["#include \"dezero/static.hpp\"", "", signature,
             "  const auto f = [](auto x, auto y) {", "    using std::cos, std::sin, std::tanh;"]
    below = ["x", "y"]
    count = 0
    for layer in range(depth):
        current = []
        for i in range(width):
            name = f"t{layer}_{i}"
            a, b = rng.choice(below), rng.choice(below)
            op = rng.choice(["+", "-", "*", "sin", "cos", "tanh"])
            expr = f"{a} {op} {b}" if op in "+-*" else f"{op}({a})"
            lines.append(f"    const auto {name} = {expr};")
            current.append(name)
            count += 1
        below = current
    lines.append("    return " + " + ".join(below) + ";")
    result = "  return dezero::value_grad_hessian(f, a, b);" if hessian else "  return dezero::grad(f, a, b)[0];"
    lines += ["  };", result, "}", f"// {count} nodes", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    for n in map(int, sys.argv[1:]):
        with open(f"gen_{n}.cpp", "w") as out:
            out.write(generate(n))
        with open(f"gen_hessian_{n}.cpp", "w") as out:
            out.write(generate(n, hessian=True))
