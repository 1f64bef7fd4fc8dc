// Forward over forward: every slot's value, its gradient and its Hessian in one forward pass, with the
// components that are 0 known at compile time and never computed.
//
// A slot y = rule(x0, x1) has tangent component C, the sum over its operands J of the rule's derivative map
// applied to x_J's component C (as the first-order forward mode computes it), and second-order component
// (C, D) the derivative of that along argument D. That derivative is the same derivative map, evaluated on
// values of one tangent (`dual<double, 1>`, dezero/static/dual.hpp) that carry their component D: the
// operand's tangent carries its (C, D) component, y and the operands their component D. So the second
// derivatives come from the rules' first derivative maps, as in forward over reverse; no formula is added.
//
// Which components are not 0 is decided from the DAG's types, as the first-order mode's dependency masks:
//   - tangent C of a slot exists when the slot depends on argument C (program::dependencies);
//   - (C, D) exists, for C <= D, when for some operand J with a component C either J's own (C, D) exists
//     or the derivative map of J still varies along D: whether it does is the *type* of the map evaluated
//     with duals exactly where y and the operands depend on D (Mul's `gy * x1` with only x0 varying is a
//     double: x * y has no (x, x) component; exp's `gy * y` varies wherever exp's argument does).
// A component that does not exist is no term at all (`no_tangent`), not a 0.0 the compiler could not drop
// (`0.0 * x` and `x + 0.0` do not fold in IEEE arithmetic). Only (C, D) with C <= D is computed, so the
// Hessian, mirrored, is symmetric bit for bit.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "dezero/static/detail/inline.hpp"
#include "dezero/static/dual.hpp"
#include "dezero/static/scaled.hpp"
#include "dezero/static/sweep.hpp"

namespace dezero::static_engine::detail {

using mask = unsigned long long;

DEZERO_INLINE constexpr bool has(mask m, std::size_t bit) { return ((m >> bit) & 1u) != 0; }

// The bit of component (C, D), C <= D, in a slot's mask of second-order components (N <= 8).
template <std::size_t N>
constexpr std::size_t pair_bit(std::size_t c, std::size_t d) {
  return c * N + d;
}

template <bool Varies>
using along_type = std::conditional_t<Varies, dual<double, 1>, double>;

// Whether the derivative map of operand J, given its tangent as a number, varies along a direction along
// which y varies when Y, x0 when X0, x1 when X1: its result is then a dual.
template <class Rule, std::size_t J, bool Y, bool X0, bool X1>
constexpr bool map_varies() {
  if constexpr (Rule::arity == 1)
    return is_dual<decltype(std::declval<const Rule&>().template grad<J>(0.0, along_type<Y>{},
                                                                         along_type<X0>{}))>;
  else
    return is_dual<decltype(std::declval<const Rule&>().template grad<J>(
        0.0, along_type<Y>{}, along_type<X0>{}, along_type<X1>{}))>;
}

// map_varies of operand J for every combination, as a number for the constexpr mask computation: bit
// Y + 2 X0 + 4 X1.
template <class Rule, std::size_t J>
constexpr mask varying() {
  if constexpr (J >= Rule::arity || ops::blocks_gradient<Rule, J>) {
    return 0;
  } else {
    constexpr std::size_t combinations = Rule::arity == 1 ? 4 : 8;
    return []<std::size_t... B>(std::index_sequence<B...>) {
      return ((mask{map_varies<Rule, J, (B & 1) != 0, (B & 2) != 0, (B & 4) != 0>()} << B) | ...);
    }
    (std::make_index_sequence<combinations>{});
  }
}

DEZERO_INLINE constexpr double operator+(double a, no_tangent) { return a; }
DEZERO_INLINE constexpr double operator+(no_tangent, double b) { return b; }
DEZERO_INLINE constexpr void store(double& t, double s) { t = s; }
DEZERO_INLINE constexpr void store(double&, no_tangent) {}

// The code of every slot of rule Rule with operands of kinds K0 and K1 (no_operand for a unary rule).
template <class Rule, class K0, class K1, std::size_t N>
struct second_step {
  static constexpr bool unary = std::is_same_v<K1, no_operand>;
  template <std::size_t J>
  using kind = std::conditional_t<J == 0, K0, K1>;
  // The first-order components, as the first-order forward mode computes them (`scaled`, which folds the
  // rules' constant factors: 3 * (2 * x) is 6 * x).
  using first = step<Rule, K0, K1>;

  // The tangent component C of an operand of kind Kind (an argument's is 1).
  template <class Kind, std::size_t C, class T>
  DEZERO_INLINE static constexpr double tangent(const T& t, std::size_t i) {
    if constexpr (std::is_same_v<Kind, from_argument>)
      return 1.0;
    else
      return t[i][C].value();
  }

  // A value as it varies along D: with its component D when it depends on D (Deps), else itself.
  template <class Kind, std::size_t D, mask Deps, class X, class T>
  DEZERO_INLINE static constexpr auto along(const X& x, const T& t, std::size_t i) {
    if constexpr (!has(Deps, D)) {
      return x;
    } else {
      dual<double, 1> d;
      d.v = x;
      d.t[0] = tangent<Kind, D>(t, i);
      return d;
    }
  }

  // Operand J's tangent component C as the input of its derivative map, with its (C, D) component when it
  // has one (Carries).
  template <std::size_t J, std::size_t C, std::size_t D, bool Carries, class T, class H>
  DEZERO_INLINE static constexpr auto seed(const T& t, const H& h, std::size_t i) {
    if constexpr (Carries) {
      dual<double, 1> g;
      g.v = t[i][C].value();
      g.t[0] = h[i][pair_bit<N>(C, D)];
      return g;
    } else {
      return tangent<kind<J>, C>(t, i);
    }
  }

  // Operand J's term of component (C, D): the derivative along D of its term of component C.
  template <std::size_t J, std::size_t C, std::size_t D, mask DJ, mask PJ, bool Varies, class A, class T,
            class H, class... Xs>
  DEZERO_INLINE static constexpr auto second(const Rule& rule, const A& y, const T& t, const H& h,
                                             std::size_t i, const Xs&... xs) {
    constexpr bool carries = has(PJ, pair_bit<N>(C, D));  // the operand's own (C, D)
    if constexpr (!has(DJ, C) || (!carries && !Varies)) {
      return no_tangent{};
    } else {
      const auto r = rule.template grad<J>(seed<J, C, D, carries>(t, h, i), y, xs...);
      static_assert(is_dual<std::remove_cvref_t<decltype(r)>>, "dezero: internal: second-order mask");
      return static_cast<double>(r.t[0]);
    }
  }

  // The terms of component (C, D), from one operand or two; Vj: whether operand j's derivative map varies
  // along D.
  template <std::size_t C, std::size_t D, mask D0, mask D1, mask P0, mask P1, bool V0, bool V1, class Y,
            class T, class H, class A>
  DEZERO_INLINE static constexpr auto terms(const Rule& rule, const Y& y, const T& t, const H& h,
                                            std::size_t i0, std::size_t, const A& a) {
    return second<0, C, D, D0, P0, V0>(rule, y, t, h, i0, along<K0, D, D0>(a, t, i0));
  }
  template <std::size_t C, std::size_t D, mask D0, mask D1, mask P0, mask P1, bool V0, bool V1, class Y,
            class T, class H, class A, class B>
  DEZERO_INLINE static constexpr auto terms(const Rule& rule, const Y& y, const T& t, const H& h,
                                            std::size_t i0, std::size_t i1, const A& a, const B& b) {
    const auto a_d = along<K0, D, D0>(a, t, i0);
    const auto b_d = along<K1, D, D1>(b, t, i1);
    return second<0, C, D, D0, P0, V0>(rule, y, t, h, i0, a_d, b_d) +
           second<1, C, D, D1, P1, V1>(rule, y, t, h, i1, a_d, b_d);
  }

  // Tangent component C, as the first-order forward mode computes it.
  template <std::size_t C, mask D0, mask D1, class T, class... Xs>
  DEZERO_INLINE static constexpr auto first_terms(const Rule& rule, const double& y, const T& t,
                                                  std::size_t i0, std::size_t i1, const Xs&... xs) {
    if constexpr (unary)
      return first::template contribution<C, 0, K0, D0>(rule, y, t, i0, xs...);
    else
      return first::template contribution<C, 0, K0, D0>(rule, y, t, i0, xs...) +
             first::template contribution<C, 1, K1, D1>(rule, y, t, i1, xs...);
  }

  // Slot k's components: tangent C for each C, then (C, D) for each pair (P = C N + D) with C <= D.
  // Function templates, not lambdas: g++'s points-to analysis took 60% of the compile time of a 128-node
  // Hessian when every component was a lambda capturing the sweep's arrays.
  template <mask D0, mask D1, mask P0, mask P1, mask V0, mask V1, std::size_t... C, std::size_t... P, class T,
            class H, class... Xs>
  DEZERO_INLINE static constexpr void components(std::index_sequence<C...>, std::index_sequence<P...>,
                                                 const Rule& rule, const double& y, T& t, H& h, std::size_t k,
                                                 std::size_t i0, std::size_t i1, const Xs&... xs) {
    constexpr mask Dk = D0 | D1;
    (store(t[k][C], first_terms<C, D0, D1>(rule, y, t, i0, i1, xs...)), ...);
    (pair<P / N, P % N, Dk, D0, D1, P0, P1, V0, V1>(rule, y, t, h, k, i0, i1, xs...), ...);
  }

  template <std::size_t C, std::size_t D, mask Dk, mask D0, mask D1, mask P0, mask P1, mask V0, mask V1,
            class T, class H, class... Xs>
  DEZERO_INLINE static constexpr void pair(const Rule& rule, const double& y, const T& t, H& h, std::size_t k,
                                           std::size_t i0, std::size_t i1, const Xs&... xs) {
    if constexpr (C <= D && has(Dk, C) && has(Dk, D)) {
      constexpr std::size_t vary = has(Dk, D) + 2 * has(D0, D) + 4 * has(D1, D);
      store(h[k][pair_bit<N>(C, D)], terms<C, D, D0, D1, P0, P1, has(V0, vary), has(V1, vary)>(
                                         rule, along<from_slot, D, Dk>(y, t, k), t, h, i0, i1, xs...));
    }
  }

  // Slot k: its value v[k], tangent t[k] and second-order components h[k]. Dj and Pj: operand j's
  // dependencies and second-order components; Vj: its varying().
  template <mask D0, mask D1, mask P0, mask P1, mask V0, mask V1, class C0, class C1, class X, class Val,
            class T, class H>
  DEZERO_INLINE static constexpr void forward(const Rule& rule, const C0& c0, const C1& c1, const X& x,
                                              Val& v, T& t, H& h, std::size_t k, std::size_t i0,
                                              std::size_t i1) {
    const auto& a = read<K0>::in(x, v, i0, c0);
    constexpr auto c = std::make_index_sequence<N>{};
    constexpr auto p = std::make_index_sequence<N * N>{};
    if constexpr (unary) {
      v[k] = static_cast<double>(rule(a));
      components<D0, D1, P0, P1, V0, V1>(c, p, rule, v[k], t, h, k, i0, i1, a);
    } else {
      const auto& b = read<K1>::in(x, v, i1, c1);
      v[k] = static_cast<double>(rule(a, b));
      components<D0, D1, P0, P1, V0, V1>(c, p, rule, v[k], t, h, k, i0, i1, a, b);
    }
  }
};

// The forward-over-forward program of expression type E of N <= 8 arguments.
template <class E, std::size_t N>
struct second_order {
  static_assert(N <= 8, "dezero: internal: forward over forward keeps (C, D) components in 64 bits");
  using p = program<E, N>;
  static constexpr std::size_t size = p::size;
  static_assert(std::is_same_v<typename p::root, ref_slot<size - 1>>);

  template <std::size_t... K, class... Slot>
  static constexpr std::array<std::array<mask, 2>, size> varying_of(const slots<size, indexed<K, Slot>...>*) {
    return {std::array<mask, 2>{varying<typename slot_traits<Slot>::rule_type, 0>(),
                                varying<typename slot_traits<Slot>::rule_type, 1>()}...};
  }
  static constexpr auto varies = varying_of(p::plan);

  // Whether operand j of slot k has a term in the slot's component (c, d), c <= d, given the operand's own
  // components pj: the condition under which second_step::second computes one.
  static constexpr bool has_term(std::size_t k, std::size_t j, std::size_t c, std::size_t d, mask pj) {
    const auto& od = p::operand_dependencies[k];
    const std::size_t vary = has(p::dependencies[k], d) + 2 * has(od[0], d) + 4 * has(od[1], d);
    return has(od[j], c) && (has(pj, pair_bit<N>(c, d)) || has(varies[k][j], vary));
  }

  // For every slot, its (C, D) components that are not 0.
  static constexpr std::array<mask, size> pairs = [] {
    std::array<mask, size> m{};
    for (std::size_t k = 0; k < size; ++k)
      for (std::size_t j = 0; j < 2; ++j) {
        const long target = p::targets[k][j];
        const mask pj =
            target >= 0 && target < static_cast<long>(size) ? m[static_cast<std::size_t>(target)] : 0;
        for (std::size_t c = 0; c < N; ++c)
          for (std::size_t d = c; d < N; ++d)
            if (has_term(k, j, c, d, pj)) m[k] |= mask{1} << pair_bit<N>(c, d);
      }
    return m;
  }();

  static constexpr mask operand_pairs(std::size_t k, std::size_t j) {
    const long target = p::targets[k][j];
    return target >= 0 && target < static_cast<long>(size) ? pairs[static_cast<std::size_t>(target)] : 0;
  }

  // The work of each mode, counted as applications of a derivative map (docs/static-engine.md, "Second and
  // higher derivatives"). Forward over forward: per edge, one for each tangent component of the operand and
  // one (on duals of one component) for each second-order component it contributes to. Forward over reverse
  // (dezero/static/hessian.hpp) carries all N components everywhere: per edge, N in the forward sweep and
  // N + 1 in the reverse one (the map on duals: its value and N components).
  static constexpr std::array<std::size_t, 2> work = [] {
    std::size_t fof = 0, edges = 0;
    for (std::size_t k = 0; k < size; ++k)
      for (std::size_t j = 0; j < 2; ++j) {
        if (p::targets[k][j] < 0) continue;
        ++edges;
        for (std::size_t c = 0; c < N; ++c) {
          fof += has(p::operand_dependencies[k][j], c);
          for (std::size_t d = c; d < N; ++d) fof += has_term(k, j, c, d, operand_pairs(k, j));
        }
      }
    return std::array<std::size_t, 2>{fof, edges * (2 * N + 1)};
  }();
  static constexpr bool pays = work[0] <= work[1];

  // Entry (I, J) of the Hessian is the root's component (min, max): both halves are the same number.
  template <std::size_t I, std::size_t J, class H>
  DEZERO_INLINE static constexpr double entry(const H& h) {
    constexpr std::size_t bit = I <= J ? pair_bit<N>(I, J) : pair_bit<N>(J, I);
    if constexpr (has(pairs[size - 1], bit))
      return h[size - 1][bit];
    else
      return 0.0;
  }
  template <std::size_t I, std::size_t... J, class H>
  DEZERO_INLINE static constexpr std::array<double, N> row(std::index_sequence<J...>, const H& h) {
    return {entry<I, J>(h)...};
  }
  template <class R, std::size_t... I, class V, class T, class H>
  DEZERO_INLINE static constexpr R result(std::index_sequence<I...> i, const V& v, const T& t, const H& h) {
    constexpr std::size_t root = size - 1;
    return R{v[root], {(has(p::dependencies[root], I) ? t[root][I].value() : 0.0)...}, {row<I>(i, h)...}};
  }

  template <class Slot>
  using traits = slot_traits<Slot>;
  template <class Slot>
  using code = second_step<typename traits<Slot>::rule_type, typename traits<Slot>::kind0,
                           typename traits<Slot>::kind1, N>;

  // The value, gradient and Hessian as R{value, grad, hessian}, built in one aggregate initialisation from
  // the root's components: written element by element into a result on the stack, g++ copied it out with
  // 16-byte loads of 8-byte stores, a store-forwarding stall per point (sphere's Hessian ran at 6x).
  template <class R, std::size_t... K, class... Slot>
  DEZERO_INLINE static constexpr R run(const slots<size, indexed<K, Slot>...>*, const E& e,
                                       const std::array<double, N>& args) {
    const auto x = load(args, std::make_index_sequence<N>{});
    buffer<double, size> v{};
    buffer<buffer<scaled, N>, size> t{};
    buffer<buffer<double, N * N>, size> h{};
    [[maybe_unused]] const int sequence[] = {
        0,
        (code<Slot>::template forward<p::operand_dependencies[K][0], p::operand_dependencies[K][1],
                                      operand_pairs(K, 0), operand_pairs(K, 1), varies[K][0], varies[K][1]>(
             traits<Slot>::rule::from(&e), traits<Slot>::constant0::from(&e),
             traits<Slot>::constant1::from(&e), x, v, t, h, K, traits<Slot>::index0, traits<Slot>::index1),
         0)...};
    return result<R>(std::make_index_sequence<N>{}, v, t, h);
  }
};

// Which mode computes the Hessian of E: forward over forward when it needs no more derivative-map
// applications than forward over reverse (and N <= 8; for a function that returns an argument there is
// nothing to compute).
template <class E, std::size_t N>
constexpr bool forward_over_forward_pays() {
  if constexpr (N > 8 || program<E, N>::size == 0)
    return false;
  else
    return second_order<E, N>::pays;
}

}  // namespace dezero::static_engine::detail
