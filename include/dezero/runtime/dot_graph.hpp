// DeZero's graph as a picture (steps 25-26, dezero/utils.py): the DOT text of the graph that computed a
// Variable, and an image of it drawn by Graphviz's `dot` (Debian package graphviz, needed only to draw).
//
//   std::string text = dezero::get_dot_graph(z, false);   // DeZero's text, ids n0, n1, ... (see below)
//   dezero::plot_dot_graph(z, true, "goldstein.svg");     // png, svg, pdf, ...: any type dot knows
//
// The text is DeZero's, line for line: the output's variable, then for each function taken from a LIFO
// stack (each once) its box, the edges from its inputs and to its outputs, and its inputs' variables, which
// are not deduplicated (a variable used twice is printed twice, as DeZero does). DeZero's ids are Python's
// id(); here they are n0, n1, ... in order of first appearance, the form docs/runtime-engine.md compares.
#pragma once

#include <sys/wait.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dezero/runtime/core.hpp"

namespace dezero {

// Thrown by plot_dot_graph when Graphviz's `dot` is missing or fails; the message names the program, the
// Debian package and the DOT file left behind.
class graphviz_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail::dot {

// Python's id(), normalised: n0, n1, ... in the order the text first names an object.
class Ids {
 public:
  std::string operator()(const void* object) {
    const auto [it, fresh] = ids_.try_emplace(object, ids_.size());
    std::string id = std::to_string(it->second);  // not "n" + ...: g++ 12 warns falsely there (PR 105329)
    id.insert(id.begin(), 'n');
    return id;
  }

 private:
  std::unordered_map<const void*, std::size_t> ids_;
};

// _dot_var: the name, and with verbose the shape and dtype (`x: (2, 3) float64`, unnamed `() float64`).
inline std::string variable(const Variable& v, bool verbose, Ids& id) {
  std::string label = v.name();
  if (verbose && !v.value().empty()) {
    if (!label.empty()) label += ": ";
    label += to_string(v.shape()) + " " + std::string(v.dtype());
  }
  return id(node_id(v)) + " [label=\"" + label + "\", color=orange, style=filled]\n";
}

// _dot_func: the box, an edge from each input (in order, repeats kept) and to each output (a dropped one is
// Python's None, one object of its own).
inline std::string function(const FunctionBase& f, Ids& id) {
  const std::string self = id(&f);
  std::string text = self + " [label=\"" + f.name() + "\", color=lightblue, style=filled, shape=box]\n";
  for (const Variable& x : f.inputs()) text += id(node_id(x)) + " -> " + self + "\n";
  for (const std::optional<Variable>& y : f.outputs())
    text += self + " -> " + id(y ? node_id(*y) : nullptr) + "\n";
  return text;
}

// A word for the shell, quoted.
inline std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace detail::dot

// DeZero's get_dot_graph. A leaf (no creator) gives its variable alone (DeZero fails on it).
inline std::string get_dot_graph(const Variable& output, bool verbose = true) {
  detail::dot::Ids id;
  std::string text = detail::dot::variable(output, verbose, id);
  std::vector<const FunctionBase*> functions;
  std::unordered_set<const FunctionBase*> seen;
  const auto add = [&](const FunctionBase* f) {
    if (f && seen.insert(f).second) functions.push_back(f);
  };
  add(output.creator().get());
  while (!functions.empty()) {  // a stack, not a recursion: graphs of any depth
    const FunctionBase* f = functions.back();
    functions.pop_back();
    text += detail::dot::function(*f, id);
    for (const Variable& x : f->inputs()) {
      text += detail::dot::variable(x, verbose, id);
      add(x.creator().get());
    }
  }
  return "digraph g {\n" + text + "}";
}

// DeZero's plot_dot_graph: writes the DOT text to ~/.dezero/tmp_graph.dot (the directory is made; the
// system's temporary directory without HOME) and runs `dot <that file> -T <to_file's extension> -o
// <to_file>`. std::invalid_argument if to_file has no extension; graphviz_error if dot is missing or fails.
// One file for every call, as DeZero's: two threads plotting at once overwrite each other's text.
inline void plot_dot_graph(const Variable& output, bool verbose = true,
                           const std::string& to_file = "graph.png") {
  const std::string type = std::filesystem::path(to_file).extension().string();
  if (type.size() < 2)
    throw std::invalid_argument("plot_dot_graph: '" + to_file +
                                "' has no extension to name the image type (png, svg, pdf, ...)");
  const char* home = std::getenv("HOME");
  const std::filesystem::path dir =
      (home && *home ? std::filesystem::path(home) : std::filesystem::temp_directory_path()) / ".dezero";
  std::filesystem::create_directories(dir);
  const std::filesystem::path dot_file = dir / "tmp_graph.dot";
  {
    std::ofstream out(dot_file);
    out << get_dot_graph(output, verbose);
    if (!out) throw std::runtime_error("plot_dot_graph: cannot write " + dot_file.string());
  }
  const std::string command = "dot " + detail::dot::quoted(dot_file.string()) + " -T " +
                              detail::dot::quoted(type.substr(1)) + " -o " + detail::dot::quoted(to_file);
  const int status = std::system(command.c_str());
  if (status == 0) return;
  const int code = status > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 127)
    throw graphviz_error(
        "plot_dot_graph: Graphviz's program `dot` was not found; install the Debian package "
        "graphviz (apt-get install graphviz). The DOT text is in " +
        dot_file.string());
  throw graphviz_error("plot_dot_graph: Graphviz's `dot` failed (exit status " + std::to_string(code) +
                       ") to write " + to_file + " (package graphviz). The DOT text is in " +
                       dot_file.string());
}

}  // namespace dezero
