// The static engine alone: expression types whose reverse-mode derivatives are generated at compile
// time (docs/static-engine.md). Needs nothing but the standard library: no xtensor, no Boost.
//
//   auto [v, g] = dezero::value_and_grad([](auto x, auto y) { using std::sin; return x * sin(y);
//   }, 1.0, 2.0);
#pragma once

#include "dezero/ops/math.hpp"
#include "dezero/ops/rules.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/hessian.hpp"
#include "dezero/static/jacobian.hpp"
#include "dezero/static/math.hpp"
#include "dezero/static/operators.hpp"
#include "dezero/static/placeholders.hpp"
#include "dezero/static/value_and_grad.hpp"
