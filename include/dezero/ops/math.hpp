// Scalar math that the standard library lacks but generic code and the rules want: `square`.
// Found by ordinary lookup from namespace dezero and by `using dezero::square;` in user code; the engines
// add their own overloads, found by argument-dependent lookup.
#pragma once

#include <concepts>

namespace dezero {

template <class T>
requires std::is_arithmetic_v<T>
constexpr T square(T x) noexcept { return x * x; }

}  // namespace dezero
