// The registry of a generated differential test: each generated translation unit registers its cases, a
// seed and the runner that computes the case with the static engine, before main runs.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace dezero::differential {

template <class Result>
struct Registry {
  using Runner = Result (*)(const std::vector<double>& point);
  struct Entry {
    std::uint64_t seed;
    Runner run;
  };
  static std::vector<Entry>& cases() {
    static std::vector<Entry> entries;
    return entries;
  }
  struct Registration {
    Registration(std::initializer_list<Entry> entries) {
      cases().insert(cases().end(), entries.begin(), entries.end());
    }
  };
};

}  // namespace dezero::differential
