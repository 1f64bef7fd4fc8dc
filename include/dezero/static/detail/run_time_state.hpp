// Whether an expression holds state that its evaluation writes (sum_over keeps its local derivatives
// between the sweeps): such an expression must be an object of its own call, never a shared constant
// (dezero/static/sequence.hpp builds constant expressions once, as constexpr objects).
#pragma once

#include "dezero/static/expression.hpp"

namespace dezero::static_engine::detail {

// Specialised to true by a rule whose evaluation writes into the rule object.
template <class Rule>
inline constexpr bool rule_writes_state = false;

template <class E>
inline constexpr bool writes_state = false;
template <class Rule, class... Args>
inline constexpr bool writes_state<node<Rule, Args...>> = rule_writes_state<Rule> ||
                                                          (writes_state<Args> || ...);

}  // namespace dezero::static_engine::detail
