// Printing a Variable exactly as DeZero does: `variable(...)` around numpy 1.24's str() of the data, so that
// an example's output can be compared with the Python book's character for character.
//
// array_str follows numpy/core/arrayprint.py (FloatingFormat, IntegerFormat, _formatArray) with the default
// print options; float_repr is Python's repr(float). Digits come from std::to_chars, whose shortest and
// fixed-precision outputs are the same correctly rounded digits as numpy's Dragon4.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "dezero/runtime/core.hpp"
#include "dezero/runtime/ndarray.hpp"

namespace dezero {

namespace detail::repr {

// numpy's default print options.
inline constexpr int precision = 8;
inline constexpr std::size_t threshold = 1000;
inline constexpr std::size_t edgeitems = 3;
inline constexpr long linewidth = 75;

// A finite double as decimal digits: value = 0.digits * 10^point (Python's decpt); zero is {"0", 1}.
struct Decimal {
  bool negative = false;
  std::string digits;
  int point = 0;

  int fraction_digits() const { return std::max(0, static_cast<int>(digits.size()) - point); }
};

// Reads to_chars output in either notation ("-12.5", "1.25e-07") and drops leading and trailing zeros.
inline Decimal parse(const char* first, const char* last) {
  Decimal d;
  if (*first == '-') {
    d.negative = true;
    ++first;
  }
  bool after_dot = false;
  for (; first != last && *first != 'e'; ++first) {
    if (*first == '.') {
      after_dot = true;
    } else {
      d.digits += *first;
      if (!after_dot) ++d.point;
    }
  }
  if (first != last) {
    ++first;  // 'e'; from_chars takes '-' but not '+'
    if (*first == '+') ++first;
    int exponent = 0;
    std::from_chars(first, last, exponent);
    d.point += exponent;
  }
  const std::size_t lead = d.digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    d.digits = "0";
    d.point = 1;
    return d;
  }
  d.digits.erase(0, lead);
  d.point -= static_cast<int>(lead);
  d.digits.erase(d.digits.find_last_not_of('0') + 1);
  return d;
}

inline Decimal shortest(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  return parse(buf, r.ptr);
}

// Dragon4 in numpy's 'unique' mode with a cutoff: the shortest round-trip digits when they fit within the
// cutoff, else the exact value correctly rounded at the cutoff (trailing zeros trimmed).
inline Decimal positional_digits(double x, int max_fraction) {
  Decimal d = shortest(x);
  if (d.fraction_digits() <= max_fraction) return d;
  char buf[400];  // fixed notation of the largest double plus the fraction
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, max_fraction);
  return parse(buf, r.ptr);
}

inline Decimal scientific_digits(double x, int max_fraction) {
  Decimal d = shortest(x);
  if (static_cast<int>(d.digits.size()) - 1 <= max_fraction) return d;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific, max_fraction);
  return parse(buf, r.ptr);
}

inline std::string integer_part(const Decimal& d) {
  std::string s = d.negative ? "-" : "";
  if (d.point <= 0) return s + "0";
  s += d.digits.substr(0, static_cast<std::size_t>(d.point));
  return s +
         std::string(static_cast<std::size_t>(std::max(0, d.point - static_cast<int>(d.digits.size()))), '0');
}

inline std::string fraction_part(const Decimal& d) {
  if (d.point >= static_cast<int>(d.digits.size())) return "";
  if (d.point >= 0) return d.digits.substr(static_cast<std::size_t>(d.point));
  return std::string(static_cast<std::size_t>(-d.point), '0') + d.digits;
}

// "e-05", "e+100": at least min_digits exponent digits.
inline std::string exponent_suffix(int exponent, int min_digits) {
  std::string digits = std::to_string(exponent < 0 ? -exponent : exponent);
  if (static_cast<int>(digits.size()) < min_digits)
    digits.insert(0, static_cast<std::size_t>(min_digits) - digits.size(), '0');
  return std::string(exponent < 0 ? "e-" : "e+") + digits;
}

inline std::string pad_left(std::string s, int width) {
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), ' ');
  return s;
}

// numpy's FloatingFormat (floatmode 'maxprec', sign '-'): one width for every element, chosen from them all.
class FloatFormat {
 public:
  explicit FloatFormat(const std::vector<double>& values) {
    std::vector<double> finite;
    bool negative_inf = false;
    double max_abs = 0.0, min_abs = 0.0;
    bool any_nonzero = false;
    for (double x : values) {
      if (std::isfinite(x)) {
        finite.push_back(x);
        if (x != 0.0) {
          const double a = std::fabs(x);
          max_abs = any_nonzero ? std::max(max_abs, a) : a;
          min_abs = any_nonzero ? std::min(min_abs, a) : a;
          any_nonzero = true;
        }
      } else if (std::isinf(x) && x < 0) {
        negative_inf = true;
      }
    }
    exp_format_ = any_nonzero && (max_abs >= 1e8 || min_abs < 1e-4 || max_abs / min_abs > 1000.0);

    if (!finite.empty() && exp_format_) {
      int exp_size = 0;
      for (double x : finite) {
        const Decimal d = scientific_digits(x, repr::precision);
        precision_ = std::max(precision_, static_cast<int>(d.digits.size()) - 1);
        pad_left_ = std::max(pad_left_, d.negative ? 2 : 1);
        const int e = d.point - 1;
        exp_size = std::max(exp_size, std::max(2, static_cast<int>(std::to_string(e < 0 ? -e : e).size())));
      }
      exp_size_ = exp_size;
      pad_right_ = exp_size_ + 2 + precision_;
    } else if (!finite.empty()) {
      for (double x : finite) {
        const Decimal d = positional_digits(x, repr::precision);
        pad_left_ = std::max(pad_left_, static_cast<int>(integer_part(d).size()));
        pad_right_ = std::max(pad_right_, d.fraction_digits());
      }
    }
    // nan and inf are right-aligned to the whole width, which must hold them.
    if (finite.size() != values.size()) {
      const int offset = pad_right_ + 1;
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (negative_inf ? 1 : 0) - offset});
    }
  }

  std::string operator()(double x) const {
    if (!std::isfinite(x)) {
      const char* word = std::isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
      return pad_left(word, pad_left_ + pad_right_ + 1);
    }
    if (exp_format_) {
      // numpy asks Dragon4 for at least `precision_` fraction digits here (min_digits), so they are the
      // value's exact digits, rounded: 4.94065646e-324, not 5.00000000e-324, beside an 8-digit neighbour.
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific, precision_);
      const Decimal d = parse(buf, r.ptr);
      std::string mantissa = d.digits.substr(1);
      mantissa.resize(static_cast<std::size_t>(precision_), '0');
      return pad_left(std::string(d.negative ? "-" : "") + d.digits[0], pad_left_) + "." + mantissa +
             exponent_suffix(d.point - 1, exp_size_);
    }
    const Decimal d = positional_digits(x, repr::precision);
    std::string fraction = fraction_part(d);
    fraction.resize(static_cast<std::size_t>(pad_right_), ' ');
    return pad_left(integer_part(d), pad_left_) + "." + fraction;
  }

 private:
  bool exp_format_ = false;
  int pad_left_ = 0;
  int pad_right_ = 0;
  int precision_ = 0;  // exp mode: fraction digits of every mantissa
  int exp_size_ = 2;
};

// str() of the int64 holding an integral double.
inline std::string integer_str(double x) {
  if (x == 0.0) return "0";  // an int has no -0
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// numpy's IntegerFormat: '%{w}d' with w the longer of str(max) and str(min).
class IntFormat {
 public:
  explicit IntFormat(const std::vector<double>& values) {
    if (values.empty()) return;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    width_ = static_cast<int>(std::max(integer_str(*lo).size(), integer_str(*hi).size()));
  }
  std::string operator()(double x) const { return pad_left(integer_str(x), width_); }

 private:
  int width_ = 0;
};

// numpy's _formatArray with separator ' ' and no prefix, plus the element gathering of _leading_trailing.
class Layout {
 public:
  explicit Layout(const NDArray& a)
      : data_(a.data()),
        shape_(a.shape().begin(), a.shape().end()),
        strides_(a.strides().begin(), a.strides().end()),
        summary_(a.size() > threshold) {}

  // The elements the format is fitted to: all of them, or the edge items of every axis when summarised.
  std::vector<double> shown_values() const {
    std::vector<double> out;
    gather(0, 0, out);
    return out;
  }

  template <class Format>
  std::string format(const Format& f) const {
    return recurse(f, 0, 0, " ", linewidth);
  }

 private:
  bool summarised(std::size_t axis) const { return summary_ && 2 * edgeitems < shape_[axis]; }

  void gather(std::size_t axis, std::ptrdiff_t offset, std::vector<double>& out) const {
    if (axis == shape_.size()) {
      out.push_back(data_[offset]);
      return;
    }
    const std::size_t n = shape_[axis];
    for (std::size_t i = 0; i < n; ++i) {
      if (summarised(axis) && i == edgeitems) i = n - edgeitems;
      gather(axis + 1, offset + static_cast<std::ptrdiff_t>(i) * strides_[axis], out);
    }
  }

  // _extendLine: wrap before a word that would pass the width, unless the line holds only the indent.
  static void extend(std::string& s, std::string& line, const std::string& word, long width,
                     const std::string& indent) {
    if (static_cast<long>(line.size() + word.size()) > width && line.size() > indent.size()) {
      line.erase(line.find_last_not_of(' ') + 1);
      s += line + '\n';
      line = indent;
    }
    line += word;
  }

  template <class Format>
  std::string recurse(const Format& f, std::size_t axis, std::ptrdiff_t offset, const std::string& indent,
                      long width) const {
    if (axis == shape_.size()) return f(data_[offset]);
    const std::string next_indent = indent + ' ';
    const long next_width = width - 1;  // room for this level's ']'
    const std::size_t n = shape_[axis];
    const bool summary = summarised(axis);
    const std::size_t leading = summary ? edgeitems : 0;
    const std::size_t trailing = summary ? edgeitems : n;
    auto item = [&](std::size_t i) {
      return recurse(f, axis + 1, offset + static_cast<std::ptrdiff_t>(i) * strides_[axis], next_indent,
                     next_width);
    };

    std::string s;
    if (axis + 1 == shape_.size()) {
      const long elem_width = width - 1;
      std::string line = indent;
      for (std::size_t i = 0; i < leading; ++i) {
        extend(s, line, item(i), elem_width, indent);
        line += ' ';
      }
      if (summary) {
        extend(s, line, "...", elem_width, indent);
        line += ' ';
      }
      for (std::size_t i = trailing; i > 1; --i) {
        extend(s, line, item(n - i), elem_width, indent);
        line += ' ';
      }
      extend(s, line, item(n - 1), elem_width, indent);
      s += line;
    } else {
      // Blocks of a 3-d array are set apart by a blank line, of a 4-d array by two, ...
      const std::string line_sep(shape_.size() - axis - 1, '\n');
      for (std::size_t i = 0; i < leading; ++i) s += indent + item(i) + line_sep;
      if (summary) s += indent + "..." + line_sep;
      for (std::size_t i = trailing; i > 1; --i) s += indent + item(n - i) + line_sep;
      s += indent + item(n - 1);
    }
    return "[" + s.substr(indent.size()) + "]";
  }

  const double* data_;
  std::vector<std::size_t> shape_;
  std::vector<std::ptrdiff_t> strides_;
  bool summary_;
};

}  // namespace detail::repr

// Python's repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16 on.
inline std::string float_repr(double x) {
  using namespace detail::repr;
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  const Decimal d = shortest(x);
  const std::string sign = d.negative ? "-" : "";
  if (d.point <= -4 || d.point > 16) {
    const std::string rest = d.digits.size() > 1 ? "." + d.digits.substr(1) : "";
    return sign + d.digits[0] + rest + exponent_suffix(d.point - 1, 2);
  }
  const std::string fraction = fraction_part(d);
  return integer_part(d) + "." + (fraction.empty() ? "0" : fraction);
}

// numpy's str() of a float64 array; a 0-d array prints as its scalar.
inline std::string array_str(const NDArray& a) {
  if (a.dimension() == 0) return float_repr(*a.data());
  if (a.size() == 0) return "[]";
  const detail::repr::Layout layout(a);
  return layout.format(detail::repr::FloatFormat(layout.shown_values()));
}

// numpy's str() of an int64 array holding these (integral) values.
inline std::string array_str_int(const NDArray& a) {
  if (a.dimension() == 0) return detail::repr::integer_str(*a.data());
  if (a.size() == 0) return "[]";
  const detail::repr::Layout layout(a);
  return layout.format(detail::repr::IntFormat(layout.shown_values()));
}

// DeZero's Variable.__repr__: continuation lines are indented under the opening "variable(".
inline std::string repr(const Variable& v) {
  const detail::Data& d = v.value();
  if (d.empty()) return "variable(None)";
  const std::string body = d.is_scalar() ? float_repr(d.scalar()) : array_str(d.array());
  std::string out = "variable(";
  for (char c : body) {
    out += c;
    if (c == '\n') out += "         ";
  }
  return out + ")";
}

inline std::ostream& operator<<(std::ostream& os, const Variable& v) { return os << repr(v); }

}  // namespace dezero
