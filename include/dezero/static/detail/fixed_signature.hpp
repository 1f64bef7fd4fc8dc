// Whether a callable has one fixed signature (a function, or a class with a non-template operator(), as a
// lambda without `auto`): it cannot be generic, whatever it accepts by conversion. Asked before calling it
// on placeholders, which may convert to double only to fail there with a message of their own.
#pragma once

#include <type_traits>

namespace dezero::static_engine::detail {

template <class F>
concept fixed_signature = std::is_function_v<std::remove_pointer_t<std::remove_cvref_t<F>>> || requires {
  &std::remove_cvref_t<F>::operator();
};

}  // namespace dezero::static_engine::detail
