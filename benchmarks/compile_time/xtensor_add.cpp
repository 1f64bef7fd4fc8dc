// The baseline of the runtime engine's compile time (issue 10): xtensor's array type and one addition.
#include <xtensor/xarray.hpp>

xt::xarray<double> add(const xt::xarray<double>& a, const xt::xarray<double>& b) { return a + b; }
