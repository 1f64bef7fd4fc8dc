// Config, using_config and no_grad (step 18, reference items 21-22).
#include <stdexcept>
#include <thread>

#include "../support.hpp"
#include "dezero/runtime.hpp"

using dezero::Config;
using dezero::Variable;

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(default_is_enabled) { BOOST_TEST(Config::enable_backprop); }

BOOST_AUTO_TEST_CASE(guards_restore_and_nest) {
  {
    auto outer = dezero::no_grad();
    BOOST_TEST(!Config::enable_backprop);
    {
      auto inner = dezero::using_config("enable_backprop", true);
      BOOST_TEST(Config::enable_backprop);
      Variable x(2.0);
      BOOST_TEST(static_cast<bool>((x * x).creator()));
    }
    BOOST_TEST(!Config::enable_backprop);
  }
  BOOST_TEST(Config::enable_backprop);
}

BOOST_AUTO_TEST_CASE(restored_after_an_exception) {
  try {
    auto guard = dezero::no_grad();
    Variable(dezero::NDArray{1.0, 2.0, 3.0}) + Variable(dezero::NDArray{1.0, 2.0});
    BOOST_FAIL("shape mismatch not reported");
  } catch (const dezero::shape_error&) {
  }
  BOOST_TEST(Config::enable_backprop);
}

BOOST_AUTO_TEST_CASE(unknown_switch_is_reported) {
  BOOST_CHECK_EXCEPTION(static_cast<void>(dezero::using_config("enable_backprob", false)),
                        std::invalid_argument, [](const std::invalid_argument& e) {
                          return std::string(e.what()).find("enable_backprob") != std::string::npos;
                        });
  BOOST_TEST(Config::enable_backprop);
}

BOOST_AUTO_TEST_CASE(no_grad_is_per_thread) {
  auto guard = dezero::no_grad();
  bool other_thread_builds_graph = false;
  std::thread([&] {
    Variable x(2.0);
    other_thread_builds_graph = static_cast<bool>((x * x).creator());
  }).join();
  BOOST_TEST(other_thread_builds_graph);
  Variable x(2.0);
  BOOST_TEST(!(x * x).creator());
}

BOOST_AUTO_TEST_SUITE_END()
