// DeZero++: everything. Include dezero/static.hpp or dezero/runtime.hpp for one engine alone.
#pragma once

#include "dezero/runtime.hpp"
#include "dezero/test_functions.hpp"
