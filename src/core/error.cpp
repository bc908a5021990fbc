#include "core/error.h"

#include <fmt/format.h>

namespace csap {

std::string SourceLoc::str() const {
  if (file.empty()) return pointer.empty() ? std::string() : fmt::format("(at {})", pointer);
  if (line > 0 && column > 0) return fmt::format("{}:{}:{}", file, line, column);
  if (line > 0) return fmt::format("{}:{}", file, line);
  if (!pointer.empty()) return fmt::format("{} (at {})", file, pointer);
  return file;
}

std::string Error::str() const {
  std::string w = where.str();
  if (w.empty()) return message;
  return fmt::format("{}: {}", w, message);
}

int exit_code(const Error& e) {
  switch (e.code) {
    case Exit::kOk:
    case Exit::kFindings:
    case Exit::kUsage:
    case Exit::kBadInput:
    case Exit::kInternal:
      return static_cast<int>(e.code);
  }
  return static_cast<int>(Exit::kInternal);
}

}  // namespace csap
