#include "core/files.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iostream>
#include <set>
#include <system_error>

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
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
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

namespace {

std::string temp_beside(const std::string& path) {
  return fmt::format("{}.tmp-{}", path, ::getpid());
}

}  // namespace

Result<void> write_path_atomically(const std::string& path,
                                   const std::function<std::string(const std::string&)>& write) {
  const std::string tmp = temp_beside(path);
  std::string err = write(tmp);
  std::error_code ec;
  if (!err.empty()) {
    fs::remove(tmp, ec);
    return fail(fmt::format("cannot write the output file: {}", err), {path});
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return fail(fmt::format("cannot write the output file: {}", ec.message()), {path});
  }
  return {};
}

Result<void> write_file_atomically(const std::string& path,
                                   const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return {};
  }
  return write_path_atomically(path, [&](const std::string& tmp) -> std::string {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return "cannot create it";
    write(out);
    out.flush();
    return out ? "" : "write failed (disk full?)";
  });
}

}  // namespace csap
