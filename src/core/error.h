// Errors, exit codes and source locations shared by every layer.
#pragma once
#include <expected>
#include <string>
#include <utility>

namespace csap {

// Process exit codes (DESIGN.md §5).
enum class Exit : int {
  kOk = 0,        // nothing fails at or above --fail-on
  kFindings = 1,  // something does
  kUsage = 2,     // usage error
  kBadInput = 3,  // unreadable or malformed input, catalog, rule, mapping, attestation
  kInternal = 4,  // a bug
};

// Where something is: a file, and a line/column (1-based) or a JSON pointer when known.
struct SourceLoc {
  SourceLoc() = default;
  SourceLoc(std::string f, int l = 0, int c = 0, std::string p = {})
      : file(std::move(f)), line(l), column(c), pointer(std::move(p)) {}
  SourceLoc(const char* f) : file(f) {}

  std::string file;
  int line = 0;
  int column = 0;
  std::string pointer;  // JSON pointer, e.g. /resource_changes/3/change

  std::string str() const;  // "file:12:5", "file (at /a/b)", "file"
};

struct Error {
  Exit code = Exit::kBadInput;
  std::string message;
  SourceLoc where;

  // One line: "file:line:col: message".
  std::string str() const;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, SourceLoc where = {},
                                   Exit code = Exit::kBadInput) {
  return std::unexpected(Error{code, std::move(message), std::move(where)});
}

}  // namespace csap
