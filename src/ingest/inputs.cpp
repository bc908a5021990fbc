// The input registry and the reading of inputs: files, directories, standard input and FIFOs.
#include "ingest/inputs.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>

#include "core/files.h"
#include "ingest/json.h"
#include "ingest/loaders.h"

namespace csap::ingest {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPlanSuffixes[] = {".json"};
constexpr std::string_view kStateSuffixes[] = {".json", ".tfstate"};
constexpr std::string_view kPlanKeys[] = {"resource_changes", "planned_values"};

// The registry. To add an input (Terraform source, a cloud inventory): write its loader in its own
// file (a content test over the Sniff, the suffixes it reads in a directory or a test that claims
// a whole directory, a load function into the Deployment), declare the functions in
// ingest/loaders.h and add one line here. Detection asks the entries in this order.
const InputLoader kLoaders[] = {
    {"terraform-plan", "Terraform plan as JSON (terraform show -json PLAN)",
     detail::plan_by_content, kPlanKeys, kPlanSuffixes, nullptr, detail::load_plan},
    {"terraform-state",
     "Terraform state (version 4), or terraform show -json of a state",
     detail::state_by_content,
     {},
     kStateSuffixes,
     nullptr,
     detail::load_state},
};

std::vector<std::string_view> all_decisive_keys() {
  std::vector<std::string_view> out;
  for (const auto& l : kLoaders)
    out.insert(out.end(), l.decisive_keys.begin(), l.decisive_keys.end());
  return out;
}

// ---- reading ---------------------------------------------------------------------------------

struct Bytes {
  const char* data = nullptr;
  std::size_t size = 0;
};

// Copies bytes into the arena with simdjson's padding (zeros) after them.
Bytes into_arena(std::string_view bytes, Arena& arena) {
  char* buf = static_cast<char*>(arena.allocate(bytes.size() + simdjson::SIMDJSON_PADDING, 64));
  if (!bytes.empty()) std::memcpy(buf, bytes.data(), bytes.size());
  std::memset(buf + bytes.size(), 0, simdjson::SIMDJSON_PADDING);
  return {buf, bytes.size()};
}

Result<Bytes> read_regular(int fd, std::uint64_t size, const std::string& name, Arena& arena) {
  // Read, never mapped: a mapped file that is truncated or replaced while it is read would end the
  // process with SIGBUS, and csapcheck reads files other programs write. A file that changes while
  // it is read yields bytes that fail to parse (an input error), never a signal.
  char* buf = static_cast<char*>(arena.allocate(size + simdjson::SIMDJSON_PADDING, 64));
  if (size >= (8u << 20)) {
    // Large inputs: ask for huge pages (fewer page faults while reading).
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto lo = (reinterpret_cast<std::uintptr_t>(buf) + page - 1) & ~(page - 1);
    auto hi = (reinterpret_cast<std::uintptr_t>(buf) + size) & ~(page - 1);
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  }
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, buf + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(fmt::format("cannot read: {}", std::strerror(errno)), {name});
    }
    if (n == 0) break;  // truncated while reading: parsing reports it
    got += static_cast<std::size_t>(n);
  }
  std::memset(buf + got, 0, simdjson::SIMDJSON_PADDING);
  return Bytes{buf, got};
}

// A pipe, FIFO or other stream: read to its end, up to the size limit. Binary content is refused
// from its first block, so that a device like /dev/zero is not read to the limit.
Result<Bytes> read_stream(int fd, const std::string& name, Arena& arena) {
  std::string data;
  std::size_t got = 0;
  for (;;) {
    if (data.size() - got < (1u << 16))
      data.resize(std::max<std::size_t>(data.size() * 2, 1u << 16));
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(fmt::format("cannot read: {}", std::strerror(errno)), {name});
    }
    if (n == 0) break;
    if (got == 0) {
      std::string_view head(data.data(), static_cast<std::size_t>(n));
      const bool bom = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") ||
                       head.starts_with(std::string_view("\0\0\xFE\xFF", 4));
      if (!bom && head.find('\0') != std::string_view::npos)
        return fail("binary data: it contains NUL bytes, not text", {name});
    }
    got += static_cast<std::size_t>(n);
    if (got > kMaxInputBytes)
      return fail(fmt::format("input too large (more than {} bytes)", kMaxInputBytes), {name});
  }
  return into_arena(std::string_view(data.data(), got), arena);
}

// A FIFO opened before its writer: wait (bounded) for the writer to open it and write or close.
Result<void> wait_for_writer(int fd, const std::string& name, int wait_ms) {
  for (int waited = 0;; waited += 100) {
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, 100);
    if (n < 0 && errno != EINTR)
      return fail(fmt::format("cannot read: {}", std::strerror(errno)), {name});
    if (n > 0 && p.revents) return {};
    if (waited >= wait_ms)
      return fail(fmt::format("nothing writes to this FIFO (waited {} ms)", wait_ms), {name});
  }
}

Result<Bytes> read_input(const fs::path& path, Arena& arena, const LoadOptions& opts) {
  const std::string name = path.string();
  const bool stdin_ = name == "-";
  // O_NONBLOCK: opening a FIFO nobody writes to returns at once (it then reads as empty).
  int fd = stdin_ ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ELOOP) return fail("symbolic link loop", {name});
    if (errno == ENOENT) return fail("no such file", {name});
    return fail(fmt::format("cannot open: {}", std::strerror(errno)), {name});
  }
  struct Closer {
    int fd;
    bool own;
    ~Closer() {
      if (own) ::close(fd);
    }
  } closer{fd, !stdin_};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail("cannot read the file", {name});
  if (S_ISDIR(st.st_mode)) return fail("is a directory, not a file", {name});
  if (S_ISFIFO(st.st_mode) && !stdin_) {
    if (auto w = wait_for_writer(fd, name, opts.fifo_wait_ms); !w)
      return std::unexpected(w.error());
  }
  if (!stdin_) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  if (::isatty(fd))
    return fail("is a terminal: give a file, or pipe the plan into standard input", {name});
  if (!S_ISREG(st.st_mode)) return read_stream(fd, name, arena);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > kMaxInputBytes)
    return fail(
        fmt::format("file too large ({} bytes; the limit is {} bytes)", size, kMaxInputBytes),
        {name});
  return read_regular(fd, size, name, arena);
}

// ---- detection and loading -------------------------------------------------------------------

constexpr std::string_view kNotRecognised = "not a Terraform plan or state";

// Loads one input's bytes. Returns false (with `why_not`) when no entry recognises it.
Result<bool> load_bytes(Bytes raw, const std::string& name, Deployment& d, const LoadOptions& opts,
                        std::string* why_not) {
  if (raw.size == 0) return fail("empty file: not a Terraform plan or state", {name});
  // Hash in parallel with parsing: both only read the buffer.
  auto hash = std::async(std::launch::async,
                         [raw] { return sha256_hex(std::string_view(raw.data, raw.size)); });
  auto finish_hash = [&hash] { return hash.get(); };
  Source src{name, raw.data, raw.size, nullptr};
  // Windows PowerShell saves UTF-16: transcode it (and UTF-32) to UTF-8.
  auto utf8 = transcode_to_utf8(std::string_view(raw.data, raw.size), name);
  if (!utf8) {
    finish_hash();
    return std::unexpected(utf8.error());
  }
  if (*utf8) {
    Bytes b = into_arena(**utf8, d.arena());
    src.data = b.data;
    src.size = b.size;
  }
  if (src.size >= 3 && std::memcmp(src.data, "\xEF\xBB\xBF", 3) == 0) {  // UTF-8 byte-order mark
    src.data += 3;
    src.size -= 3;
  }
  detail::JsonDoc jd;
  const bool json = detail::looks_like_json(std::string_view(src.data, src.size));
  if (json) {
    jd.open(src.data, src.size, name);
    src.json = &jd;
  }
  const InputLoader* entry = nullptr;
  if (!opts.kind.empty()) {
    entry = find_input_loader(opts.kind);
    if (!entry) {
      finish_hash();
      return fail(fmt::format("unknown input kind '{}' (known: {})", opts.kind, input_kind_names()),
                  {}, Exit::kUsage);
    }
  } else {
    Sniff s;
    s.name = name;
    s.bytes = std::string_view(src.data, src.size);
    if (json) {
      static const std::vector<std::string_view> decisive = all_decisive_keys();
      if (auto r = detail::sniff_json(jd, s, decisive); !r) {
        finish_hash();
        return std::unexpected(r.error());
      }
    }
    for (const auto& l : kLoaders)
      if (l.by_content(s)) {
        entry = &l;
        break;
      }
    if (!entry) {
      finish_hash();
      if (!json) {
        // Say what is wrong with the bytes: not text, or not JSON.
        if (auto ok = check_text(s.bytes, name); !ok) return std::unexpected(ok.error());
        jd.open(src.data, src.size, name);
        simdjson::error_code e = jd.iterate_error;
        simdjson::ondemand::json_type t{};
        if (!e) e = jd.doc.type().get(t);
        if (e)
          return std::unexpected(detail::json_syntax_error(e, src.data, src.size, name, nullptr));
        s.top_level = detail::type_name(t);  // a JSON string or number
      }
      *why_not = !s.top_level.empty()
                     ? fmt::format("the top level is {}, not an object", s.top_level)
                     : "no Terraform plan or state keys (format_version with "
                       "resource_changes/planned_values, or version with resources)";
      return false;
    }
  }
  auto in = entry->load(src, d, opts);
  std::string sha = finish_hash();
  if (!in) return std::unexpected(in.error());
  in->path = name;
  in->sha256 = std::move(sha);
  in->bytes = raw.size;
  d.inputs.push_back(std::move(*in));
  return true;
}

Result<bool> load_path(const fs::path& path, Deployment& d, const LoadOptions& opts,
                       std::string* why_not) {
  auto bytes = read_input(path, d.arena(), opts);
  if (!bytes) return std::unexpected(bytes.error());
  return load_bytes(*bytes, path.string(), d, opts, why_not);
}

}  // namespace

bool Sniff::has(std::string_view key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::span<const InputLoader> input_loaders() {
  return kLoaders;
}

const InputLoader* find_input_loader(std::string_view kind) {
  for (const auto& l : kLoaders)
    if (l.kind == kind) return &l;
  return nullptr;
}

std::string input_kind_names() {
  std::string out;
  for (const auto& l : kLoaders) {
    if (!out.empty()) out += ", ";
    out += l.kind;
  }
  return out;
}

Result<void> load_input_file(const fs::path& path, Deployment& d, const LoadOptions& opts) {
  std::string why_not;
  auto r = load_path(path, d, opts, &why_not);
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(fmt::format("{}: {}", kNotRecognised, why_not), {path.string()});
  d.reindex();
  return {};
}

Result<void> load_input_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                              const LoadOptions& opts) {
  if (bytes.size() > kMaxInputBytes)
    return fail(fmt::format("input too large ({} bytes; the limit is {} bytes)", bytes.size(),
                            kMaxInputBytes),
                {name});
  std::string why_not;
  auto r = load_bytes(into_arena(bytes, d.arena()), name, d, opts, &why_not);
  if (!r) return std::unexpected(r.error());
  if (!*r) return fail(fmt::format("{}: {}", kNotRecognised, why_not), {name});
  d.reindex();
  return {};
}

Result<void> load_inputs(const std::vector<fs::path>& paths, Deployment& d,
                         const LoadOptions& opts) {
  const InputLoader* forced = nullptr;
  if (!opts.kind.empty() && !(forced = find_input_loader(opts.kind)))
    return fail(fmt::format("unknown input kind '{}' (known: {})", opts.kind, input_kind_names()),
                {}, Exit::kUsage);
  for (const auto& p : paths) {
    std::error_code ec;
    const bool dir = p != "-" && fs::is_directory(p, ec);
    if (!dir) {
      if (p != "-") {
        auto ex = expand_inputs({p}, {});  // existence, symbolic link loops
        if (!ex) return std::unexpected(ex.error());
      }
      std::string why_not;
      auto r = load_path(p, d, opts, &why_not);
      if (!r) return std::unexpected(r.error());
      if (!*r) return fail(fmt::format("{}: {}", kNotRecognised, why_not), {p.string()});
      continue;
    }
    // A directory: one entry may claim it whole; else the files the entries read.
    const InputLoader* claims = nullptr;
    for (const auto& l : kLoaders)
      if (l.by_directory && (!forced || forced == &l) && l.by_directory(p)) {
        claims = &l;
        break;
      }
    if (claims) {
      auto in = claims->load(Source{p.string(), nullptr, 0, nullptr}, d, opts);
      if (!in) return std::unexpected(in.error());
      in->path = p.string();
      d.inputs.push_back(std::move(*in));
      continue;
    }
    std::vector<std::string> suffixes;
    for (const auto& l : kLoaders) {
      if (forced && forced != &l) continue;
      for (auto s : l.suffixes)
        if (std::find(suffixes.begin(), suffixes.end(), s) == suffixes.end())
          suffixes.emplace_back(s);
    }
    auto files = expand_inputs({p}, suffixes);
    if (!files) return std::unexpected(files.error());
    for (const auto& f : *files) {
      std::string why_not;
      auto r = load_path(f, d, opts, &why_not);
      if (!r) return std::unexpected(r.error());
      if (!*r && opts.notes)
        opts.notes->push_back(
            fmt::format("{}: skipped: {} ({})", f.string(), kNotRecognised, why_not));
    }
  }
  d.reindex();
  return {};
}

}  // namespace csap::ingest
