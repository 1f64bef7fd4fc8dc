// Misuses of sequences, windowed sums and sums over data (issue 12), one per ERROR_CASE; each must stop at
// one readable static_assert line. Compiled (and expected to fail) by the objective_error_* tests in
// tests/CMakeLists.txt.
#include <array>
#include <string>
#include <vector>

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>

#include "dezero/sequence.hpp"
#include "dezero/static.hpp"
#include "dezero/static/sum_over.hpp"
#include "dezero/static/windowed.hpp"

void misuse() {
  [[maybe_unused]] const std::vector<double> data{1.0, 2.0};
  [[maybe_unused]] const auto term = [](auto a, double d) { return a * d; };
#if ERROR_CASE == 1  // a sequence function that is not generic
  dezero::grad([](const std::array<double, 2>& x) { return x[0] * x[1]; }, std::array{1.0, 2.0});
#elif ERROR_CASE == 2   // a function of two arguments given one sequence
  dezero::grad([](auto x, auto y) { return x * y; }, std::array{1.0, 2.0});
#elif ERROR_CASE == 3   // a sequence of something else than numbers
  dezero::grad([](const auto& x) { return x; }, boost::hana::make_tuple(1.0, std::string("x")));
#elif ERROR_CASE == 4   // an empty sequence
  dezero::grad([](const auto&) { return 1.0; }, std::array<double, 0>{});
#elif ERROR_CASE == 5   // a result that is not an expression
  dezero::grad([](const auto&) { return std::string("x"); }, std::array{1.0});
#elif ERROR_CASE == 6   // a window of the wrong width
  dezero::windowed<3>([](auto a, auto b) { return a * b; });
#elif ERROR_CASE == 7   // a window term that is not generic
  dezero::windowed<2>([](double a, double b) { return a * b; });
#elif ERROR_CASE == 8   // data that is not a range
  dezero::grad([&](auto a) { return dezero::sum_over(3.0, term, a); }, 1.0);
#elif ERROR_CASE == 9   // data that would dangle
  dezero::grad([&](auto a) { return dezero::sum_over(std::vector<double>{1.0}, term, a); }, 1.0);
#elif ERROR_CASE == 10  // a sum term that is not generic
  dezero::grad(
      [&](auto a) {
        return dezero::sum_over(
            data, [](double p, double d) { return p * d; }, a);
      },
      1.0);
#elif ERROR_CASE == 11  // a sum term that cannot take the data's elements
  dezero::grad(
      [&](auto a) {
        return dezero::sum_over(
            data, [](auto p, const std::string& s) { return p * double(s.size()); }, a);
      },
      1.0);
#elif ERROR_CASE == 12  // three parameters
  dezero::grad(
      [&](auto a, auto b, auto c) {
        return dezero::sum_over(
            data, [](auto p, auto q, auto r, double d) { return p * q * r * d; }, a, b, c);
      },
      1.0, 2.0, 3.0);
#elif ERROR_CASE == 13  // an element past the end of the sequence (f written for a longer one)
  dezero::grad([](const auto& x) { return boost::hana::at_c<3>(x) * boost::hana::at_c<0>(x); },
               std::array{1.0, 2.0, 3.0});
#elif ERROR_CASE == 14  // a run-time index into the sequence
  dezero::grad([](const auto& x) { return x[1]; }, std::array{1.0, 2.0, 3.0});
#endif
}
