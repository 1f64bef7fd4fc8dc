// DeZero's Config (step 18): global switches, here per thread, and scoped guards that set them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace dezero {

struct Config {
  // When false, operations compute values only: no creator, no generation, no graph kept alive.
  // Thread-local so that no_grad in one thread does not change what another thread builds.
  static inline thread_local bool enable_backprop = true;
};

// Sets a Config switch for the lifetime of the guard and restores the previous value when the scope ends,
// also when it ends by an exception. Guards nest.
class [[nodiscard]] ConfigGuard {
 public:
  ConfigGuard(bool& flag, bool value) : flag_(flag), old_(flag) { flag_ = value; }
  ConfigGuard(const ConfigGuard&) = delete;
  ConfigGuard& operator=(const ConfigGuard&) = delete;
  ~ConfigGuard() { flag_ = old_; }

 private:
  bool& flag_;
  bool old_;
};

// using_config("enable_backprop", false), as DeZero's context manager; an unknown name throws
// std::invalid_argument.
inline ConfigGuard using_config(std::string_view name, bool value) {
  if (name == "enable_backprop") return ConfigGuard(Config::enable_backprop, value);
  throw std::invalid_argument("using_config: Config has no switch named '" + std::string(name) + "'");
}

inline ConfigGuard no_grad() { return ConfigGuard(Config::enable_backprop, false); }

}  // namespace dezero
