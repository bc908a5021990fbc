#include "core/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <streambuf>
#include <system_error>

#include "core/text.h"

namespace csap {
namespace fs = std::filesystem;

std::pair<int, int> line_col(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (bytes[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

namespace {

// Length of the valid UTF-8 sequence at p (0 if invalid).
std::size_t utf8_seq(const unsigned char* p, std::size_t left) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (left < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

}  // namespace

Result<void> check_text(std::string_view bytes, const std::string& file) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() >= 4 && ((u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0) ||
                            (u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF)))
    return fail("the file is UTF-32 encoded; save it as UTF-8", {file});
  if (bytes.size() >= 2 && ((u(0) == 0xFF && u(1) == 0xFE) || (u(0) == 0xFE && u(1) == 0xFF)))
    return fail("the file is UTF-16 encoded; save it as UTF-8", {file});
  // UTF-16 without a byte-order mark: ASCII text interleaved with NUL bytes.
  if (bytes.size() >= 2 && ((u(0) != 0 && u(1) == 0) || (u(0) == 0 && u(1) != 0)))
    return fail("the file looks UTF-16 encoded (no byte-order mark); save it as UTF-8", {file});
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    // Fast path over ASCII.
    while (i < n && p[i] < 0x80 && p[i] != 0) ++i;
    if (i >= n) break;
    if (p[i] == 0) {
      auto [l, c] = line_col(bytes, i);
      return fail("binary file: it contains NUL bytes, not text", {file, l, c});
    }
    std::size_t len = utf8_seq(p + i, n - i);
    if (len == 0) {
      auto [l, c] = line_col(bytes, i);
      return fail(fmt::format("invalid UTF-8 (byte 0x{:02X})", p[i]), {file, l, c});
    }
    i += len;
  }
  return {};
}

Result<std::optional<std::string>> transcode_to_utf8(std::string_view bytes,
                                                     const std::string& file) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  int unit = 0;
  bool big = false;
  if (bytes.size() >= 4 && u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0) {
    unit = 4;
  } else if (bytes.size() >= 4 && u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF) {
    unit = 4;
    big = true;
  } else if (bytes.size() >= 2 && u(0) == 0xFF && u(1) == 0xFE) {
    unit = 2;
  } else if (bytes.size() >= 2 && u(0) == 0xFE && u(1) == 0xFF) {
    unit = 2;
    big = true;
  } else {
    return std::nullopt;
  }
  const char* name = unit == 2 ? (big ? "UTF-16BE" : "UTF-16LE") : (big ? "UTF-32BE" : "UTF-32LE");
  std::string out;
  out.reserve(bytes.size() / static_cast<std::size_t>(unit) + bytes.size() / 4);
  auto code_unit = [&](std::size_t i) -> std::uint32_t {
    std::uint32_t v = 0;
    for (int k = 0; k < unit; ++k) {
      const std::size_t at = i + static_cast<std::size_t>(big ? k : unit - 1 - k);
      v = (v << 8) | u(at);
    }
    return v;
  };
  auto error = [&](std::string what) -> Result<std::optional<std::string>> {
    // Where the bad unit is, in the text decoded so far.
    const std::size_t nl = out.rfind('\n');
    const int line = static_cast<int>(std::count(out.begin(), out.end(), '\n')) + 1;
    const int col =
        static_cast<int>(nl == std::string::npos ? out.size() : out.size() - nl - 1) + 1;
    return fail(fmt::format("invalid {} text: {}", name, what), {file, line, col});
  };
  const std::size_t n = bytes.size();
  for (std::size_t i = static_cast<std::size_t>(unit); i < n;) {
    if (n - i < static_cast<std::size_t>(unit)) return error("the file ends inside a character");
    std::uint32_t cp = code_unit(i);
    i += static_cast<std::size_t>(unit);
    if (unit == 2 && cp >= 0xD800 && cp < 0xDC00) {
      if (n - i < 2) return error("a high surrogate with no low surrogate after it");
      std::uint32_t lo = code_unit(i);
      if (lo < 0xDC00 || lo >= 0xE000)
        return error(fmt::format("a high surrogate (U+{:04X}) not followed by a low one", cp));
      i += 2;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xD800 && cp < 0xE000) {
      return error(fmt::format("a lone surrogate (U+{:04X})", cp));
    } else if (cp > 0x10FFFF) {
      return error(fmt::format("a code point past U+10FFFF (0x{:X})", cp));
    }
    append_utf8(out, cp);
  }
  return std::optional<std::string>(std::move(out));
}

Result<std::string> read_text_file(const fs::path& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const std::string name = path.string();
  if (fs::is_directory(path, ec)) return fail("is a directory, not a file", {name});
  auto size = fs::file_size(path, ec);
  if (ec) return fail(fmt::format("cannot read: {}", ec.message()), {name});
  if (size > max_bytes)
    return fail(fmt::format("file too large ({} bytes; the limit is {} bytes)", size, max_bytes),
                {name});
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open the file", {name});
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (auto ok = check_text(data, name); !ok) return std::unexpected(ok.error());
  if (data.size() >= 3 && data.compare(0, 3, "\xEF\xBB\xBF") == 0) data.erase(0, 3);
  return data;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr);
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

Result<std::string> sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open the file", {path.string()});
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), buf.size());
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md.data(), &len);
  EVP_MD_CTX_free(ctx);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

namespace {

bool has_suffix(const std::string& name, const std::vector<std::string>& suffixes) {
  for (const auto& s : suffixes)
    if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return true;
  return false;
}

struct DirKey {
  dev_t dev;
  ino_t ino;
  auto operator<=>(const DirKey&) const = default;
};

Result<void> walk(const fs::path& dir, const std::vector<std::string>& suffixes,
                  std::vector<DirKey>& stack, std::vector<fs::path>& out, int depth) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return fail("cannot read the directory", {dir.string()});
  DirKey key{st.st_dev, st.st_ino};
  if (std::find(stack.begin(), stack.end(), key) != stack.end())
    return fail("symbolic link loop: this directory contains itself", {dir.string()});
  if (depth > 64) return fail("directory tree too deep (more than 64 levels)", {dir.string()});
  stack.push_back(key);
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  if (ec) return fail(fmt::format("cannot read the directory: {}", ec.message()), {dir.string()});
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    std::error_code ec2;
    if (e.is_directory(ec2)) {
      if (!name.empty() && name[0] == '.') continue;
      if (auto r = walk(e.path(), suffixes, stack, out, depth + 1); !r) return r;
    } else if (e.is_regular_file(ec2) && has_suffix(name, suffixes)) {
      out.push_back(e.path());
    } else if (e.is_symlink(ec2) && !fs::exists(e.path(), ec2) && has_suffix(name, suffixes)) {
      return fail("broken symbolic link", {e.path().string()});
    }
  }
  stack.pop_back();
  return {};
}

}  // namespace

Result<std::vector<fs::path>> expand_inputs(const std::vector<fs::path>& paths,
                                            const std::vector<std::string>& suffixes) {
  std::vector<fs::path> out;
  for (const auto& p : paths) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      // A symlink pointing to itself shows up here as ELOOP.
      if (ec == std::errc::too_many_symbolic_link_levels)
        return fail("symbolic link loop", {p.string()});
      return fail("no such file or directory", {p.string()});
    }
    if (fs::is_directory(st)) {
      std::vector<DirKey> stack;
      if (auto r = walk(p, suffixes, stack, out, 0); !r) return std::unexpected(r.error());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// ---- writing outputs
// ----------------------------------------------------------------------------------

namespace {

// An output stream on a file descriptor; remembers the first write error.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
  ~FdBuf() override { flush_buf(); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush_buf()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return flush_buf() ? 0 : -1; }

 private:
  bool flush_buf() {
    const char* p = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        break;
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    setp(buf_.data(), buf_.data() + buf_.size());
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> buf_{};
};

std::string errno_text(int e) {
  return std::error_code(e, std::generic_category()).message();
}

struct Target {
  OutputKind kind = OutputKind::kReplace;
  std::string path;     // what is written or replaced (a link's target for kReplace)
  bool exists = false;  // kReplace: a file is there now
  struct stat st {};    // kReplace: of that file
  std::string why;      // kRefuse
};

Target plan_output(const std::string& path) {
  Target t;
  t.path = path;
  if (path.empty() || path == "-") {
    t.kind = OutputKind::kStdout;
    return t;
  }
  struct stat link {};
  struct stat target {};
  bool have_link = ::lstat(path.c_str(), &link) == 0;
  bool have_target = have_link && ::stat(path.c_str(), &target) == 0;
  t.kind = output_kind(have_link ? &link : nullptr, have_target ? &target : nullptr, &t.why);
  if (t.kind == OutputKind::kReplace && have_link) {
    t.exists = true;
    t.st = target;
    if (S_ISLNK(link.st_mode)) {
      std::error_code ec;
      fs::path real = fs::canonical(path, ec);
      if (ec) {
        t.kind = OutputKind::kRefuse;
        t.why = fmt::format("cannot follow the symbolic link: {}", ec.message());
      } else {
        t.path = real.string();
      }
    }
  }
  return t;
}

// Creates a new, empty temporary file beside `path` (O_EXCL: never an existing one).
int create_temp_beside(const std::string& path, std::string& tmp) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = fmt::format("{}.tmp-{}-{}", path, ::getpid(), counter++);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// Gives the temporary file the mode (and, as root, the owner) of the file it replaces.
void keep_mode(int fd, const Target& t) {
  if (!t.exists) return;
  (void)::fchmod(fd, t.st.st_mode & 07777);
  if (::geteuid() == 0) (void)::fchown(fd, t.st.st_uid, t.st.st_gid);
}

Result<void> fail_write(const std::string& path, const std::string& what) {
  return fail(fmt::format("cannot write the output file: {}", what), {path});
}

// Writes through `fd` (standard output, a device or a FIFO). Closes nothing.
Result<void> write_fd(int fd, const std::string& name,
                      const std::function<void(std::ostream&)>& write) {
  FdBuf buf(fd);
  std::ostream out(&buf);
  write(out);
  out.flush();
  if (buf.error()) return fail_write(name, errno_text(buf.error()));
  if (!out) return fail_write(name, "write failed");
  return {};
}

Result<void> copy_file_to_fd(const std::string& from, int fd, const std::string& name) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return fail_write(name, "cannot read the temporary file back");
  return write_fd(fd, name, [&](std::ostream& out) { out << in.rdbuf(); });
}

int open_write_through(const std::string& path) {
  // No O_TRUNC on devices and FIFOs (meaningless there); a dangling link gets its target created.
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

Result<void> write_stdout(const std::function<void(std::ostream&)>& write) {
  write(std::cout);
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::cout.clear();
    return fail("cannot write to standard output", {"-"});
  }
  return {};
}

}  // namespace

OutputKind output_kind(const struct stat* link, const struct stat* target, std::string* why) {
  auto refuse = [&](const char* reason) {
    if (why) *why = reason;
    return OutputKind::kRefuse;
  };
  if (!link) return OutputKind::kReplace;  // a new file
  const bool is_link = S_ISLNK(link->st_mode);
  if (is_link && !target) return OutputKind::kWriteThrough;  // a dangling link: create its target
  const mode_t m = is_link ? target->st_mode : link->st_mode;
  if (S_ISREG(m)) return OutputKind::kReplace;
  if (S_ISCHR(m) || S_ISFIFO(m)) return OutputKind::kWriteThrough;
  if (S_ISDIR(m)) return refuse("is a directory");
  if (S_ISBLK(m)) return refuse("is a block device; csapcheck does not write onto disks");
  if (S_ISSOCK(m)) return refuse("is a socket");
  return refuse("is not a regular file");
}

Result<void> write_path_atomically(const std::string& path,
                                   const std::function<std::string(const std::string&)>& write) {
  Target t = plan_output(path);
  if (t.kind == OutputKind::kRefuse) return fail_write(path, t.why);
  if (t.kind != OutputKind::kReplace) {
    // Built in a private temporary file, then copied out.
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    std::string tmp;
    int tfd =
        create_temp_beside((ec ? fs::path("/tmp") : dir).append("csapcheck-out").string(), tmp);
    if (tfd < 0) return fail_write(path, "cannot create a temporary file: " + errno_text(errno));
    (void)::fchmod(tfd, 0600);  // private until copied out
    ::close(tfd);
    std::string err = write(tmp);
    Result<void> r;
    if (!err.empty()) {
      r = fail_write(path, err);
    } else if (t.kind == OutputKind::kStdout) {
      std::cout.flush();
      r = copy_file_to_fd(tmp, STDOUT_FILENO, "-");
    } else {
      int fd = open_write_through(path);
      if (fd < 0) {
        r = fail_write(path, errno_text(errno));
      } else {
        r = copy_file_to_fd(tmp, fd, path);
        if (::close(fd) != 0 && r) r = fail_write(path, errno_text(errno));
      }
    }
    fs::remove(tmp, ec);
    return r;
  }
  std::string tmp;
  int fd = create_temp_beside(t.path, tmp);
  if (fd < 0) return fail_write(path, "cannot create a temporary file: " + errno_text(errno));
  keep_mode(fd, t);
  ::close(fd);
  std::string err = write(tmp);
  std::error_code ec;
  if (!err.empty()) {
    fs::remove(tmp, ec);
    return fail_write(path, err);
  }
  if (::rename(tmp.c_str(), t.path.c_str()) != 0) {
    int e = errno;
    fs::remove(tmp, ec);
    return fail_write(path, errno_text(e));
  }
  return {};
}

Result<void> write_file_atomically(const std::string& path,
                                   const std::function<void(std::ostream&)>& write) {
  Target t = plan_output(path);
  switch (t.kind) {
    case OutputKind::kStdout:
      return write_stdout(write);
    case OutputKind::kRefuse:
      return fail_write(path, t.why);
    case OutputKind::kWriteThrough: {
      int fd = open_write_through(path);
      if (fd < 0) return fail_write(path, errno_text(errno));
      auto r = write_fd(fd, path, write);
      if (::close(fd) != 0 && r) return fail_write(path, errno_text(errno));
      return r;
    }
    case OutputKind::kReplace:
      break;
  }
  std::string tmp;
  int fd = create_temp_beside(t.path, tmp);
  if (fd < 0) return fail_write(path, "cannot create a temporary file: " + errno_text(errno));
  keep_mode(fd, t);
  auto r = write_fd(fd, path, write);
  if (::close(fd) != 0 && r) r = fail_write(path, errno_text(errno) + " (disk full?)");
  std::error_code ec;
  if (!r) {
    fs::remove(tmp, ec);
    return r;
  }
  if (::rename(tmp.c_str(), t.path.c_str()) != 0) {
    int e = errno;
    fs::remove(tmp, ec);
    return fail_write(path, errno_text(e));
  }
  return {};
}

Result<void> check_output_not_input(const std::string& output,
                                    const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return {};
  struct stat out {};
  if (::stat(output.c_str(), &out) != 0) return {};  // nothing there yet
  for (const auto& in : inputs) {
    struct stat st {};
    if (in.empty() || in == "-" || ::stat(in.c_str(), &st) != 0) continue;
    if (st.st_dev == out.st_dev && st.st_ino == out.st_ino)
      return fail(fmt::format("the output is also an input ({}); nothing was written", in),
                  {output});
  }
  return {};
}

Result<std::string> sha256_fd(int fd, const std::string& name) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buf{};
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      EVP_MD_CTX_free(ctx);
      return fail(fmt::format("cannot read the file: {}", errno_text(e)), {name});
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md.data(), &len);
  EVP_MD_CTX_free(ctx);
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

}  // namespace csap
