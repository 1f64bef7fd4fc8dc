// Random sums over run-time data for the static engine's sum_over (issue 12, section 6): a term drawn by
// the differential generator (generator.hpp) over K = 1 or 2 parameters and one data element (its last
// input), the data a short vector of random elements, the parameters the generated point's first K
// components. Pure functions of the seed, as generate() is; needs neither dezero nor Boost (the emitter
// includes it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "generator.hpp"

namespace dezero::differential {

struct SumOverCase {
  std::uint64_t seed = 0;
  Case term;                 // inputs: the K parameters, then the element
  std::vector<double> data;  // 1 .. 24 elements in [-2, 2]
  int parameters() const { return term.expression.inputs - 1; }
  // The term's case at element j: the parameters and data[j].
  Case at(std::size_t j) const {
    Case c = term;
    c.point.back() = data[j];
    return c;
  }
};

// Case `seed`: the first expression of 2 or 3 inputs from generate(seed * 8 + k), k = 0, 1, ...; elements
// where the term is not checkable by finite differences (checkable(), generator.hpp) are drawn again.
inline SumOverCase generate_sum_over(std::uint64_t seed) {
  for (std::uint64_t k = 0;; ++k) {
    Case c = generate(seed * 8 + k, static_limits);
    if (c.expression.inputs != 2 && c.expression.inputs != 3) continue;
    Random rng(seed * 0x9e3779b97f4a7c15ULL + k);
    const int n = 1 + rng.below(24);
    SumOverCase s{seed, c, {}};
    for (int tries = 0; static_cast<int>(s.data.size()) < n && tries < 20 * n; ++tries) {
      const double d = std::round(rng.uniform(-2, 2) * 0x1p20) * 0x1p-20;
      std::vector<double> point = c.point;
      point.back() = d;
      if (checkable(c.expression, point, c.depth)) s.data.push_back(d);
    }
    if (!s.data.empty()) return s;
  }
}

}  // namespace dezero::differential
