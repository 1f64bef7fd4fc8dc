// DeZero++: both engines, the bridge between them, the graph as a picture and the test functions. Include
// dezero/static.hpp (no xtensor) or dezero/runtime.hpp for one engine alone.
#pragma once

#include "dezero/bridge/elementwise.hpp"
#include "dezero/runtime.hpp"
#include "dezero/runtime/dot_graph.hpp"
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"
