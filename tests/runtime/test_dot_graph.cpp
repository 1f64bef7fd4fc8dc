// The graph as a picture (DeZero steps 25-26, reference B1): DeZero's DOT text exactly, with ids normalised
// to n0, n1, ... in order of first appearance; images drawn by the real Graphviz `dot`.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"
#include "dezero/dezero.hpp"
#include "dot_counts.hpp"

using dezero::NDArray;
using dezero::Variable;

namespace {

using Counts = dezero::test::DotCounts;
using dezero::test::count_dot;

std::string first_bytes(const std::filesystem::path& file, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dot_graph)

BOOST_AUTO_TEST_CASE(b1_the_example_exactly) {  // [38]
  Variable x0(1.0), x1(1.0);
  x0.set_name("x0");
  x1.set_name("x1");
  Variable y = x0 + x1;
  y.set_name("y");
  BOOST_TEST(dezero::get_dot_graph(y, false) ==
             "digraph g {\n"
             "n0 [label=\"y\", color=orange, style=filled]\n"
             "n1 [label=\"Add\", color=lightblue, style=filled, shape=box]\n"
             "n2 -> n1\n"
             "n3 -> n1\n"
             "n1 -> n0\n"
             "n2 [label=\"x0\", color=orange, style=filled]\n"
             "n3 [label=\"x1\", color=orange, style=filled]\n"
             "}");
  BOOST_TEST(dezero::get_dot_graph(y) ==
             "digraph g {\n"
             "n0 [label=\"y: () float64\", color=orange, style=filled]\n"
             "n1 [label=\"Add\", color=lightblue, style=filled, shape=box]\n"
             "n2 -> n1\n"
             "n3 -> n1\n"
             "n1 -> n0\n"
             "n2 [label=\"x0: () float64\", color=orange, style=filled]\n"
             "n3 [label=\"x1: () float64\", color=orange, style=filled]\n"
             "}");
}

BOOST_AUTO_TEST_CASE(b1_labels) {  // [36]
  Variable x(NDArray{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, "x");
  BOOST_TEST(dezero::get_dot_graph(x) ==
             "digraph g {\nn0 [label=\"x: (2, 3) float64\", color=orange, style=filled]\n}");
  BOOST_TEST(dezero::get_dot_graph(Variable(NDArray{1.0, 2.0})) ==
             "digraph g {\nn0 [label=\"(2,) float64\", color=orange, style=filled]\n}");
  BOOST_TEST(dezero::get_dot_graph(Variable()) ==
             "digraph g {\nn0 [label=\"\", color=orange, style=filled]\n}");
}

BOOST_AUTO_TEST_CASE(b1_variables_are_not_deduplicated) {  // [38]: x*x prints x twice
  Variable x(3.0);
  x.set_name("x");
  Variable y = x * x;
  BOOST_TEST(dezero::get_dot_graph(y, false) ==
             "digraph g {\n"
             "n0 [label=\"\", color=orange, style=filled]\n"
             "n1 [label=\"Mul\", color=lightblue, style=filled, shape=box]\n"
             "n2 -> n1\n"
             "n2 -> n1\n"
             "n1 -> n0\n"
             "n2 [label=\"x\", color=orange, style=filled]\n"
             "n2 [label=\"x\", color=orange, style=filled]\n"
             "}");
}

BOOST_AUTO_TEST_CASE(step26_goldstein) {  // [40]
  Variable x(1.0), y(1.0);
  Variable z = dezero::goldstein(x, y);
  z.backward();
  x.set_name("x");
  y.set_name("y");
  z.set_name("z");
  const std::string dot = dezero::get_dot_graph(z, false);
  const Counts c = count_dot(dot);
  BOOST_TEST(c.lines == 217);
  BOOST_TEST(c.functions == 38);
  BOOST_TEST(c.labels == (std::map<std::string, int>{{"Add", 10}, {"Mul", 17}, {"Pow", 6}, {"Sub", 5}}));
  BOOST_TEST(c.variables == 71);
  BOOST_TEST(c.edges == 108);
  // 57 distinct variables: x, y, 38 outputs and 17 constants.
  std::map<std::string, int> distinct;
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);)
    if (line.find("color=orange") != std::string::npos) ++distinct[line.substr(0, line.find(' '))];
  BOOST_TEST(distinct.size() == 57u);
  const std::string head = "digraph g {\nn0 [label=\"z\", color=orange, style=filled]\nn1 [label=\"Mul\"";
  BOOST_TEST(dot.substr(0, head.size()) == head);
  BOOST_TEST(dot.back() == '}');
}

BOOST_AUTO_TEST_CASE(step27_taylor_sin) {  // [42]: 0 + t is Add(t, 0)
  Variable x(M_PI / 4);
  Variable y = [&] {
    Variable sum;
    double first = 0;  // y = 0 in DeZero: the first addition is 0 + t, made Add(t, 0) by __radd__
    bool started = false;
    for (int i = 0; i < 100000; ++i) {
      double factorial = 1;
      for (int k = 2; k <= 2 * i + 1; ++k) factorial *= k;
      const double c = std::pow(-1.0, i) / factorial;
      Variable t = c * pow(x, 2 * i + 1);
      sum = started ? sum + t : first + t;
      started = true;
      if (std::abs(t.item()) < 1e-4) break;
    }
    return sum;
  }();
  const Counts c = count_dot(dezero::get_dot_graph(y, false));
  BOOST_TEST(c.functions == 12);
  BOOST_TEST(c.labels == (std::map<std::string, int>{{"Add", 4}, {"Mul", 4}, {"Pow", 4}}));
  BOOST_TEST(c.variables == 21);
  BOOST_TEST(c.edges == 32);
}

// A function of two outputs, the second dropped: DeZero's edge to a dead weakref names id(None).
struct Split : dezero::Function {
  std::vector<NDArray> forward(const dezero::ArrayList& xs) override { return {xs[0] * 2.0, xs[0] * 3.0}; }
  std::vector<Variable> backward(const std::vector<Variable>& gys) override {
    return {gys[0] * 2.0 + gys[1] * 3.0};
  }
  std::string name() const override { return "Split"; }
};

BOOST_AUTO_TEST_CASE(a_dropped_output_is_none) {
  Variable x(2.0);
  x.set_name("x");
  Variable first = [&] {
    std::vector<Variable> ys = (*std::make_shared<Split>())(x);
    return ys[0];
  }();
  BOOST_TEST(dezero::get_dot_graph(first, false) ==
             "digraph g {\n"
             "n0 [label=\"\", color=orange, style=filled]\n"
             "n1 [label=\"Split\", color=lightblue, style=filled, shape=box]\n"
             "n2 -> n1\n"
             "n1 -> n0\n"
             "n1 -> n3\n"
             "n2 [label=\"x\", color=orange, style=filled]\n"
             "}");
}

// A HOME of the test's own, so that the tour, run at the same time by ctest -j2, does not overwrite the DOT
// file that plot_dot_graph leaves.
struct PrivateHome {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "dezero_test_dot_graph";
  std::string saved = std::getenv("HOME") ? std::getenv("HOME") : "";
  PrivateHome() {
    std::filesystem::create_directories(dir);
    setenv("HOME", dir.c_str(), 1);
  }
  ~PrivateHome() {
    setenv("HOME", saved.c_str(), 1);
    std::filesystem::remove_all(dir);
  }
};

BOOST_FIXTURE_TEST_CASE(plot_with_the_real_dot, PrivateHome) {  // [39]
  Variable x(1.0), y(1.0);
  Variable z = dezero::goldstein(x, y);
  for (const auto& [file, magic] : std::vector<std::pair<std::string, std::string>>{
           {"goldstein.png", "\x89PNG"}, {"goldstein.svg", "<?xml"}, {"goldstein.pdf", "%PDF"}}) {
    const std::filesystem::path out = dir / file;
    std::filesystem::remove(out);
    dezero::plot_dot_graph(z, true, out.string());
    BOOST_TEST(first_bytes(out, magic.size()) == magic);
  }
  // DeZero's file of DOT text, left where it says.
  std::ifstream in(dir / ".dezero" / "tmp_graph.dot");
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(text.str() == dezero::get_dot_graph(z, true));
}

BOOST_FIXTURE_TEST_CASE(plot_errors_name_the_program_the_package_and_the_file, PrivateHome) {
  Variable x(1.0);
  Variable y = x + 1.0;
  BOOST_CHECK_THROW(dezero::plot_dot_graph(y, true, "no_extension"), std::invalid_argument);
  const auto names_everything = [](const dezero::graphviz_error& e) {
    const std::string what = e.what();
    return what.find("dot") != std::string::npos && what.find("graphviz") != std::string::npos &&
           what.find("tmp_graph.dot") != std::string::npos;
  };
  // dot refuses an image type it does not know.
  BOOST_CHECK_EXCEPTION(dezero::plot_dot_graph(y, true, (dir / "g.nosuchtype").string()),
                        dezero::graphviz_error, names_everything);
  // dot missing: no PATH to find it on.
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", "/nonexistent", 1);
  BOOST_CHECK_EXCEPTION(dezero::plot_dot_graph(y, true, (dir / "graph.png").string()), dezero::graphviz_error,
                        [&](const dezero::graphviz_error& e) {
                          return names_everything(e) &&
                                 std::string(e.what()).find("not found") != std::string::npos;
                        });
  setenv("PATH", path.c_str(), 1);
}

BOOST_AUTO_TEST_SUITE_END()
