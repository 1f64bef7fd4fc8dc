// DeZero++: both engines, the static engine's objectives over vectors (dezero/sequence.hpp with Boost.Hana,
// windowed sums, sum_over), the bridge between them, the graph as a picture and the test functions. Include
// dezero/static.hpp (no xtensor, no Boost) or dezero/runtime.hpp for one engine alone; dezero/eigen.hpp
// (Eigen matrices of Variables) is not included here: it needs Eigen.
#pragma once

#include "dezero/bridge/elementwise.hpp"
#include "dezero/runtime.hpp"
#include "dezero/runtime/dot_graph.hpp"
#include "dezero/sequence.hpp"
#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"
#include "dezero/test_functions.hpp"
