// dezero/static.hpp stands alone: it must not pull in the runtime engine or xtensor.
#include "dezero/static.hpp"

#if defined(XTENSOR_CONFIG_HPP) || defined(XTENSOR_ARRAY_HPP)
#error "dezero/static.hpp includes xtensor"
#endif
#ifdef BOOST_CONTAINER_SMALL_VECTOR_HPP
#error "dezero/static.hpp includes the runtime engine"
#endif

static_assert(dezero::grad([](auto x, auto y) { return x * y - y; }, 3.0, 2.0)[1] == 2.0);
