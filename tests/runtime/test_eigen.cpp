// Eigen matrices of runtime Variables (dezero/eigen.hpp): sums, dot products, norms, matrix-vector and
// matrix-matrix products, and generic code written once for double and Variable giving the same values and
// the right gradients (against hand-written derivatives and central differences at seeded random points).
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <Eigen/Core>
#include <boost/test/unit_test.hpp>

#include "dezero/eigen.hpp"

namespace {

using Eigen::Dynamic;
template <class T>
using Vector = Eigen::Matrix<T, Dynamic, 1>;
template <class T>
using Matrix = Eigen::Matrix<T, Dynamic, Dynamic>;

Eigen::VectorXd random_vector(Eigen::Index n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> dist(-2.0, 2.0);
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) x(i) = dist(rng);
  return x;
}
Eigen::MatrixXd random_matrix(Eigen::Index r, Eigen::Index c, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  Eigen::MatrixXd a(r, c);
  for (Eigen::Index j = 0; j < c; ++j)
    for (Eigen::Index i = 0; i < r; ++i) a(i, j) = dist(rng);
  return a;
}

// Leaves: one Variable per element.
dezero::VectorX leaves(const Eigen::VectorXd& x) { return x.cast<dezero::Variable>(); }
Eigen::VectorXd gradient(const dezero::VectorX& x) {
  Eigen::VectorXd g(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) g(i) = x(i).grad() ? x(i).grad()->item() : 0.0;
  return g;
}

// Generic code, written once.
template <class T>
T rosenbrock(const Vector<T>& x) {
  const Eigen::Index n = x.size();
  const auto a = x.head(n - 1);
  const auto b = x.tail(n - 1);
  return (100.0 * (b - a.cwiseAbs2()).cwiseAbs2() + (1.0 - a.array()).matrix().cwiseAbs2()).sum();
}

// x^T A x + |B x| + sum(B B^T): products, a norm, a sum.
template <class T>
T quadratic(const Vector<T>& x, const Matrix<double>& a, const Matrix<double>& b) {
  const Matrix<T> at = a.cast<T>(), bt = b.cast<T>();
  const Vector<T> ax = at * x;
  Vector<T> bx = bt * x;
  bx += x;
  const Matrix<T> xxt = x * x.transpose();  // matrix-matrix (outer) product
  return x.dot(ax) + bx.norm() + (bt * xxt).sum();
}

template <class F>
Eigen::VectorXd central_differences(const F& f, Eigen::VectorXd x) {
  const double h = 0x1p-17;
  Eigen::VectorXd d(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double xi = x(i);
    x(i) = xi + h;
    const double up = f(x);
    x(i) = xi - h;
    const double down = f(x);
    x(i) = xi;
    d(i) = (up - down) / (2 * h);
  }
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eigen_matrices_of_variables)

BOOST_AUTO_TEST_CASE(sum_dot_norm) {
  Eigen::VectorXd xd(3);
  xd << 1.0, -2.0, 2.0;
  dezero::VectorX x = leaves(xd);
  dezero::Variable s = x.sum() + x.dot(x) + x.norm();  // 1 + 9 + 3
  BOOST_TEST(s.item() == 13.0);
  s.backward();
  const Eigen::VectorXd g = gradient(x);
  for (Eigen::Index i = 0; i < 3; ++i)
    BOOST_TEST(g(i) == 1.0 + 2.0 * xd(i) + xd(i) / 3.0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(rosenbrock_generic_code) {
  std::mt19937_64 rng(12);
  for (Eigen::Index n : {2, 5, 40}) {
    const Eigen::VectorXd xd = random_vector(n, rng);
    dezero::VectorX x = leaves(xd);
    dezero::Variable y = rosenbrock(x);
    // The same operations; Eigen sums doubles in SIMD packets, Variables one by one: the order differs.
    BOOST_TEST(y.item() == rosenbrock(xd), boost::test_tools::tolerance(1e-14));
    y.backward();
    const Eigen::VectorXd g = gradient(x);
    Eigen::VectorXd hand = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i + 1 < n; ++i) {
      const double t = xd(i + 1) - xd(i) * xd(i), u = 1 - xd(i);
      hand(i) += -400 * t * xd(i) - 2 * u;
      hand(i + 1) += 200 * t;
    }
    const Eigen::VectorXd d = central_differences([](const Eigen::VectorXd& v) { return rosenbrock(v); }, xd);
    for (Eigen::Index i = 0; i < n; ++i) {
      BOOST_TEST(std::abs(g(i) - hand(i)) <= 1e-12 * (1 + std::abs(hand(i))));
      BOOST_TEST(std::abs(g(i) - d(i)) <= 1e-6 * (1 + std::abs(hand(i))));
    }
  }
}

// Matrix-vector and matrix-matrix products of sizes that take Eigen's blocked kernels (above 20) and its
// coefficient-based ones (below).
BOOST_AUTO_TEST_CASE(products_and_norms) {
  std::mt19937_64 rng(5);
  for (Eigen::Index n : {3, 24}) {
    const Eigen::VectorXd xd = random_vector(n, rng);
    const Eigen::MatrixXd a = random_matrix(n, n, rng), b = random_matrix(n, n, rng);
    dezero::VectorX x = leaves(xd);
    dezero::Variable y = quadratic(x, a, b);
    const double plain = quadratic(xd, a, b);
    BOOST_TEST(y.item() == plain, boost::test_tools::tolerance(1e-13));
    y.backward();
    const Eigen::VectorXd g = gradient(x);
    // d/dx of x^T A x + |B x + x| + 1^T B x x^T 1.
    const Eigen::VectorXd bx = b * xd + xd;
    const Eigen::MatrixXd bi = b + Eigen::MatrixXd::Identity(n, n);
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(n);
    const double sx = xd.sum();
    const Eigen::VectorXd hand = (a + a.transpose()) * xd + bi.transpose() * bx / bx.norm() +
                                 b.transpose() * ones * sx + ones * (ones.dot(b * xd));
    const Eigen::VectorXd d =
        central_differences([&](const Eigen::VectorXd& v) { return quadratic(v, a, b); }, xd);
    for (Eigen::Index i = 0; i < n; ++i) {
      BOOST_TEST(g(i) == hand(i), boost::test_tools::tolerance(1e-12));
      BOOST_TEST(std::abs(g(i) - d(i)) <= 1e-6 * (1 + std::abs(hand(i))));
    }
  }
}

// A matrix of Variables as the leaves: the gradient of sum(A * B) with respect to A is 1 (B 1)^T.
BOOST_AUTO_TEST_CASE(matrix_leaves) {
  std::mt19937_64 rng(8);
  const Eigen::MatrixXd ad = random_matrix(4, 3, rng), bd = random_matrix(3, 5, rng);
  dezero::MatrixX a = ad.cast<dezero::Variable>();
  const dezero::MatrixX b = bd.cast<dezero::Variable>();
  dezero::Variable s = (a * b).sum();
  BOOST_TEST(s.item() == (ad * bd).sum(), boost::test_tools::tolerance(1e-14));
  s.backward();
  const Eigen::VectorXd row = bd.rowwise().sum();
  for (Eigen::Index i = 0; i < 4; ++i)
    for (Eigen::Index j = 0; j < 3; ++j)
      BOOST_TEST(a(i, j).grad()->item() == row(j), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_SUITE_END()
