// A boost::hana::tuple of outputs for dezero::jacobian and dezero::value_and_jacobian
// (dezero/static/jacobian.hpp), apart so that dezero/static.hpp needs no Boost; dezero/sequence.hpp includes
// it.
#pragma once

#include <cstddef>

#include <boost/hana/tuple.hpp>
#include <boost/hana/unpack.hpp>

#include "dezero/static/detail/inline.hpp"
#include "dezero/static/expression.hpp"
#include "dezero/static/jacobian.hpp"

namespace dezero::static_engine::detail {

template <class... T>
struct output_list<boost::hana::tuple<T...>> {
  static constexpr std::size_t size = (operand<T> && ...) ? sizeof...(T) : 0;
  template <class G>
  DEZERO_INLINE static constexpr auto unpack(const boost::hana::tuple<T...>& outputs, const G& g) {
    return boost::hana::unpack(outputs, g);
  }
};

}  // namespace dezero::static_engine::detail
