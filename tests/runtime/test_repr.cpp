// Variable printing against strings produced by DeZero on numpy 1.24 (str of float64/int64 arrays).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include <xtensor/xbuilder.hpp>

#include "dezero/runtime.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

NDArray arange(double n, dezero::Shape shape = {}) {
  NDArray a = xt::arange(n);
  if (!shape.empty()) a.reshape(shape);
  return a;
}

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

BOOST_AUTO_TEST_SUITE(repr)

BOOST_AUTO_TEST_CASE(scalar_prints_as_python_float) {
  BOOST_TEST(dezero::repr(Variable(2.0)) == "variable(2.0)");
  BOOST_TEST(dezero::repr(Variable(-0.0)) == "variable(-0.0)");
  BOOST_TEST(dezero::repr(Variable(1e-5)) == "variable(1e-05)");
  BOOST_TEST(dezero::repr(Variable(1e20)) == "variable(1e+20)");
  BOOST_TEST(dezero::repr(Variable(123456789.0)) == "variable(123456789.0)");
  BOOST_TEST(dezero::repr(Variable(kNan)) == "variable(nan)");
  BOOST_TEST(dezero::repr(Variable(kInf)) == "variable(inf)");
  BOOST_TEST(dezero::repr(Variable(1.0 / 3.0)) == "variable(0.3333333333333333)");
  // A 0-d NDArray prints through its scalar too.
  BOOST_TEST(dezero::repr(Variable(NDArray(2.5))) == "variable(2.5)");
}

BOOST_AUTO_TEST_CASE(printing_a_scalar_keeps_it_inline) {
  Variable x(2.0);
  (void)dezero::repr(x);
  BOOST_TEST(x.value().is_scalar());
}

BOOST_AUTO_TEST_CASE(float_repr_matches_python) {
  using dezero::float_repr;
  BOOST_TEST(float_repr(1.5e-7) == "1.5e-07");
  BOOST_TEST(float_repr(0.0001) == "0.0001");
  BOOST_TEST(float_repr(0.0) == "0.0");
  BOOST_TEST(float_repr(-kInf) == "-inf");
  BOOST_TEST(float_repr(0.1) == "0.1");
  BOOST_TEST(float_repr(1e16) == "1e+16");
  BOOST_TEST(float_repr(9999999999999998.0) == "9999999999999998.0");
  BOOST_TEST(float_repr(1.2345e100) == "1.2345e+100");
  BOOST_TEST(float_repr(-2.5e-300) == "-2.5e-300");
}

BOOST_AUTO_TEST_CASE(no_data) {
  BOOST_TEST(dezero::repr(Variable()) == "variable(None)");
  std::ostringstream os;
  os << Variable();
  BOOST_TEST(os.str() == "variable(None)");
}

BOOST_AUTO_TEST_CASE(vectors) {
  BOOST_TEST(dezero::repr(Variable(NDArray{1., 2., 3.})) == "variable([1. 2. 3.])");
  BOOST_TEST(dezero::repr(Variable(NDArray{0.5, 1.25})) == "variable([0.5  1.25])");
  BOOST_TEST(dezero::repr(Variable(NDArray{1.5, -2.25, 3.})) == "variable([ 1.5  -2.25  3.  ])");
  BOOST_TEST(dezero::repr(Variable(NDArray{1. / 3., 2. / 3.})) == "variable([0.33333333 0.66666667])");
  BOOST_TEST(dezero::repr(Variable(NDArray{1e-5, 1.})) == "variable([1.e-05 1.e+00])");
  BOOST_TEST(dezero::repr(Variable(xt::empty<double>(dezero::Shape{0}))) == "variable([])");
  BOOST_TEST(dezero::array_str(NDArray{-0.}) == "[-0.]");
  BOOST_TEST(dezero::array_str(NDArray{0.0001, 0.1}) == "[0.0001 0.1   ]");
}

BOOST_AUTO_TEST_CASE(exponent_mode) {
  using dezero::array_str;
  BOOST_TEST(array_str(NDArray{1e8, 1.}) == "[1.e+08 1.e+00]");
  BOOST_TEST(array_str(NDArray{0.1, 100.5}) == "[1.000e-01 1.005e+02]");  // max/min > 1000
  BOOST_TEST(array_str(NDArray{1e100, -1.5e-300}) == "[ 1.0e+100 -1.5e-300]");
  // Padded mantissas take the value's own digits: visible on a subnormal, whose shortest form is short.
  BOOST_TEST(array_str(NDArray{5e-324}) == "[5.e-324]");
  BOOST_TEST(array_str(NDArray{5e-324, 0.123456789}) == "[4.94065646e-324 1.23456789e-001]");
}

BOOST_AUTO_TEST_CASE(rounding_at_eight_digits) {
  using dezero::array_str;
  BOOST_TEST(array_str(NDArray{0.001953125, 1.}) == "[0.00195312 1.        ]");  // exact tie: to even
  BOOST_TEST(array_str(NDArray{0.1, 0.123456789999}) == "[0.1        0.12345679]");
  BOOST_TEST(array_str(NDArray{0.999999999, 2.}) == "[1. 2.]");
}

BOOST_AUTO_TEST_CASE(nan_and_inf_in_arrays) {
  using dezero::array_str;
  BOOST_TEST(array_str(NDArray{1., kNan, kInf}) == "[ 1. nan inf]");
  BOOST_TEST(array_str(NDArray{-kInf, 1.}) == "[-inf   1.]");
  BOOST_TEST(array_str(NDArray{kNan, -kInf}) == "[ nan -inf]");
  BOOST_TEST(array_str(NDArray{1e-5, kNan}) == "[1.e-05    nan]");
}

BOOST_AUTO_TEST_CASE(matrices) {
  BOOST_TEST(dezero::repr(Variable(xt::ones<double>(dezero::Shape{1, 1}))) == "variable([[1.]])");
  BOOST_TEST(dezero::repr(Variable(NDArray{{1., 2.5}, {3., 4.}})) ==
             "variable([[1.  2.5]\n          [3.  4. ]])");
  BOOST_TEST(dezero::repr(Variable(NDArray{{1., 2., 3.}, {4., 5., 6.}})) ==
             "variable([[1. 2. 3.]\n          [4. 5. 6.]])");
}

BOOST_AUTO_TEST_CASE(blank_lines_between_blocks) {
  BOOST_TEST(dezero::repr(Variable(arange(8., {2, 2, 2}))) ==
             "variable([[[0. 1.]\n           [2. 3.]]\n         \n          [[4. 5.]\n           [6. 7.]]])");
  BOOST_TEST(
      dezero::array_str(arange(24., {2, 3, 2, 2})) ==
      "[[[[ 0.  1.]\n   [ 2.  3.]]\n\n  [[ 4.  5.]\n   [ 6.  7.]]\n\n  [[ 8.  9.]\n   [10. 11.]]]\n\n\n"
      " [[[12. 13.]\n   [14. 15.]]\n\n  [[16. 17.]\n   [18. 19.]]\n\n  [[20. 21.]\n   [22. 23.]]]]");
}

BOOST_AUTO_TEST_CASE(line_wrapping) {
  BOOST_TEST(dezero::array_str(arange(30.)) ==
             "[ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
             " 18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]");
  BOOST_TEST(dezero::repr(Variable(arange(30.))) ==
             "variable([ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.\n"
             "          18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.])");
  NDArray a = xt::linspace(0., 1., 20);
  BOOST_TEST(dezero::array_str(a) ==
             "[0.         0.05263158 0.10526316 0.15789474 0.21052632 0.26315789\n"
             " 0.31578947 0.36842105 0.42105263 0.47368421 0.52631579 0.57894737\n"
             " 0.63157895 0.68421053 0.73684211 0.78947368 0.84210526 0.89473684\n"
             " 0.94736842 1.        ]");
}

BOOST_AUTO_TEST_CASE(summarised) {
  BOOST_TEST(dezero::repr(Variable(arange(1001.))) == "variable([   0.    1.    2. ...  998.  999. 1000.])");
  BOOST_TEST(dezero::array_str(arange(1000.)).find("...") == std::string::npos);  // threshold is size > 1000
  BOOST_TEST(dezero::array_str(arange(1001., {1001, 1})) ==
             "[[   0.]\n [   1.]\n [   2.]\n ...\n [ 998.]\n [ 999.]\n [1000.]]");
  // Widths come from the shown corners only: 0..119 and 1480..1599, so max/min > 1000 selects exp mode.
  BOOST_TEST(dezero::array_str(arange(1600., {40, 40})) ==
             "[[0.000e+00 1.000e+00 2.000e+00 ... 3.700e+01 3.800e+01 3.900e+01]\n"
             " [4.000e+01 4.100e+01 4.200e+01 ... 7.700e+01 7.800e+01 7.900e+01]\n"
             " [8.000e+01 8.100e+01 8.200e+01 ... 1.170e+02 1.180e+02 1.190e+02]\n"
             " ...\n"
             " [1.480e+03 1.481e+03 1.482e+03 ... 1.517e+03 1.518e+03 1.519e+03]\n"
             " [1.520e+03 1.521e+03 1.522e+03 ... 1.557e+03 1.558e+03 1.559e+03]\n"
             " [1.560e+03 1.561e+03 1.562e+03 ... 1.597e+03 1.598e+03 1.599e+03]]");
}

BOOST_AUTO_TEST_CASE(int_layout) {
  using dezero::array_str_int;
  BOOST_TEST(array_str_int(NDArray{{1., 2., 3.}, {4., 5., 6.}}) == "[[1 2 3]\n [4 5 6]]");
  BOOST_TEST(array_str_int(NDArray{{1., -2.}, {30., 4.}}) == "[[ 1 -2]\n [30  4]]");
  BOOST_TEST(array_str_int(arange(2000., {2, 1000})) ==
             "[[   0    1    2 ...  997  998  999]\n [1000 1001 1002 ... 1997 1998 1999]]");
  NDArray wide = (arange(40., {4, 10}) - 20.) * 123456.;
  BOOST_TEST(array_str_int(wide) ==
             "[[-2469120 -2345664 -2222208 -2098752 -1975296 -1851840 -1728384 -1604928\n"
             "  -1481472 -1358016]\n"
             " [-1234560 -1111104  -987648  -864192  -740736  -617280  -493824  -370368\n"
             "   -246912  -123456]\n"
             " [       0   123456   246912   370368   493824   617280   740736   864192\n"
             "    987648  1111104]\n"
             " [ 1234560  1358016  1481472  1604928  1728384  1851840  1975296  2098752\n"
             "   2222208  2345664]]");
}

BOOST_AUTO_TEST_SUITE_END()
