// Bilingual text: every user-facing string exists in Korean and English.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace csap {

enum class Lang { kKo, kEn };

struct Text {
  std::string ko;
  std::string en;
  // The text in `lang`, falling back to the other language when missing.
  const std::string& get(Lang lang) const {
    if (lang == Lang::kKo) return ko.empty() ? en : ko;
    return en.empty() ? ko : en;
  }
  bool empty() const { return ko.empty() && en.empty(); }
};

// Language from --lang, else from LC_ALL / LC_MESSAGES / LANG (ko_* → Korean), else English.
Lang detect_lang(std::string_view flag);

// Appends the UTF-8 encoding of the code point `cp` (at most U+10FFFF; callers check surrogates).
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace csap
