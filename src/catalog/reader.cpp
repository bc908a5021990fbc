#include "catalog/reader.h"

namespace csap::catalog::detail {
namespace {

bool has_hangul(std::string_view s) {
  // Hangul syllables U+AC00..U+D7A3 and jamo U+1100..U+11FF, U+3130..U+318F in UTF-8.
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    auto c0 = static_cast<unsigned char>(s[i]);
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c0 >= 0xEA && c0 <= 0xED) {
      unsigned cp =
          ((c0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3F);
      if (cp >= 0xAC00 && cp <= 0xD7A3) return true;
    }
    if (c0 == 0xE1 && (c1 == 0x84 || c1 == 0x85 || c1 == 0x86 || c1 == 0x87)) return true;
    if (c0 == 0xE3 && (c1 == 0x84 || c1 == 0x85 || c1 == 0x86)) return true;
  }
  return false;
}

}  // namespace

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

Text guess_text(std::string s) {
  Text t;
  if (has_hangul(s))
    t.ko = std::move(s);
  else
    t.en = std::move(s);
  return t;
}

}  // namespace csap::catalog::detail
