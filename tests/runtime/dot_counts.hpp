// What DeZero's steps count of a graph's DOT text (reference B1, B2 42, B2 51): the lines between the braces,
// sorted into its three kinds, and the functions' labels.
#pragma once

#include <map>
#include <sstream>
#include <string>

namespace dezero::test {

struct DotCounts {
  int lines = 0, functions = 0, variables = 0, edges = 0;
  std::map<std::string, int> labels;  // function labels
};

inline DotCounts count_dot(const std::string& dot) {
  DotCounts c;
  std::istringstream in(dot);
  std::string line;
  std::getline(in, line);  // digraph g {
  while (std::getline(in, line) && line != "}") {
    ++c.lines;
    if (line.find("shape=box") != std::string::npos) {
      ++c.functions;
      const auto start = line.find("label=\"") + 7;
      ++c.labels[line.substr(start, line.find('"', start) - start)];
    } else if (line.find("color=orange") != std::string::npos) {
      ++c.variables;
    } else if (line.find(" -> ") != std::string::npos) {
      ++c.edges;
    }
  }
  return c;
}

}  // namespace dezero::test
