// Errors, exit codes and source locations shared by every layer.
#pragma once
#include <expected>
#include <string>
#include <utility>
#include <vector>

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
  Error() = default;
  Error(Exit c, std::string m, SourceLoc w = {})
      : code(c), message(std::move(m)), where(std::move(w)) {}

  Exit code = Exit::kBadInput;
  std::string message;
  SourceLoc where;
  // Problems found before this one that stopped the work (e.g. every bad line of an attestation
  // file); shown before it, one line each.
  std::vector<Error> details;

  // One line: "file:line:col: message".
  std::string str() const;
};

// The process exit code of an error: the one place an error kind becomes an exit status.
int exit_code(const Error& e);

// A value or the error that prevented it. A dropped Result does not compile (-Werror).
template <class T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
  Result(const std::expected<T, Error>& e) : std::expected<T, Error>(e) {}
  Result(std::expected<T, Error>&& e) : std::expected<T, Error>(std::move(e)) {}
};

inline std::unexpected<Error> fail(std::string message, SourceLoc where = {},
                                   Exit code = Exit::kBadInput) {
  return std::unexpected(Error{code, std::move(message), std::move(where)});
}

// The error of `r`, to pass up as another Result's error: `if (!r) return forward(r);`.
template <class T>
std::unexpected<Error> forward(const std::expected<T, Error>& r) {
  return std::unexpected(r.error());
}

}  // namespace csap
