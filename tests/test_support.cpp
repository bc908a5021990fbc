#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

namespace csap::testing {
namespace fs = std::filesystem;

fs::path source_dir() {
  return fs::path(CSAP_SOURCE_DIR);
}
fs::path shared_dir() {
  if (const char* s = std::getenv("CSAP_SHARED_DIR")) return fs::path(s);
  return fs::path(CSAP_SHARED_DIR);
}
std::string binary() {
  return CSAP_BINARY;
}
bool have_shared() {
  return fs::is_directory(shared_dir() / "corpus");
}

int run(const std::string& cmd, std::string* out, bool merge_stderr) {
  std::string full = merge_stderr ? cmd + " 2>&1" : cmd;
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  std::string acc;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) acc.append(buf.data(), n);
  int status = ::pclose(p);
  if (out) *out = std::move(acc);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("csapcheck-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}
fs::path TempDir::write(const std::string& name, const std::string& content) const {
  fs::path p = path_ / name;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

}  // namespace csap::testing
