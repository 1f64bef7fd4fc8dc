// DeZero++: both engines, the sequence interface (Boost.Hana), the bridge between them and the test
// functions. Include dezero/static.hpp (no xtensor) or dezero/runtime.hpp for one engine alone.
#pragma once

#include "dezero/bridge/elementwise.hpp"
#include "dezero/runtime.hpp"
#include "dezero/sequence.hpp"
#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"
#include "dezero/test_functions.hpp"
