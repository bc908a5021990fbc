#include "core/text.h"

#include <cstdlib>

namespace csap {

Lang detect_lang(std::string_view flag) {
  if (flag == "ko") return Lang::kKo;
  if (flag == "en") return Lang::kEn;
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string_view(v).starts_with("ko") ? Lang::kKo : Lang::kEn;
  }
  return Lang::kEn;
}

}  // namespace csap
