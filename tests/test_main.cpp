#define BOOST_TEST_MODULE dezero
#include <boost/test/unit_test.hpp>
