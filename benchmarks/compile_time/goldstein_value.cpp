// The baseline of the compile-time measurement: goldstein's value in doubles, same includes.
#include "dezero/static.hpp"
#include "dezero/test_functions.hpp"

double goldstein_value(double x, double y) { return dezero::goldstein(x, y); }
