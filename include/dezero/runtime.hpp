// The runtime engine alone: DeZero's Variable/Function graph over NDArrays (xtensor).
#pragma once

#include "dezero/runtime/config.hpp"
#include "dezero/runtime/core.hpp"
#include "dezero/runtime/ndarray.hpp"
#include "dezero/runtime/operations.hpp"
#include "dezero/runtime/repr.hpp"
