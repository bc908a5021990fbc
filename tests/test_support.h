// Helpers shared by the tests: where the sources, the binary and ../shared are.
#pragma once
#include <filesystem>
#include <string>

namespace csap::testing {

std::filesystem::path source_dir();  // the project's top directory
std::filesystem::path shared_dir();  // ../shared beside the clone (may be absent)
std::string binary();                // path of the built csapcheck
bool have_shared();                  // true when ../shared/corpus exists

// Runs a shell command; returns its exit status and fills `out` with stdout (and stderr when
// `merge_stderr`).
int run(const std::string& cmd, std::string* out = nullptr, bool merge_stderr = false);

// A fresh temporary directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace csap::testing

// Skips the current test with a clear message when ../shared is not beside the clone.
#define CSAP_REQUIRE_SHARED()                                                                \
  do {                                                                                       \
    if (!::csap::testing::have_shared())                                                     \
      GTEST_SKIP() << "../shared/corpus is not beside this clone; corpus tests are skipped"; \
  } while (0)
