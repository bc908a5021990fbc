// csapcheck_bench: generates synthetic Terraform plans and measures simdjson alone, the csapcheck
// scan (load + evaluate the bundled rule pack), peak resident memory and start-up time against the
// targets of DESIGN.md §7. It prints tables and `BENCH key=value ...` lines; it asserts nothing.
//
//   csapcheck_bench [--sizes 10000,100000] [--all] [--out DIR] [--csapcheck PATH] [--seed N]
//                   [--runs N] [--regen] [--no-startup] [--no-rss]
//   csapcheck_bench gen N FILE [--seed S]      write one plan and exit
//
// Internal: `csapcheck_bench --child MODE FILE` runs one measured workload in a fresh process
// (MODE: idle, load, ondemand, dom, scan) so that the parent can read its peak RSS from wait4.
#include <fcntl.h>
#include <fmt/core.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "csap_version.h"
#include "engine/engine.h"
#include "json_walk.h"
#include "model/deployment.h"
#include "plan_gen.h"
#include "rules/ruleset.h"

#if __has_include("ingest/terraform.h")
#include "ingest/terraform.h"
#define CSAP_BENCH_HAVE_LOADER 1
#else
#define CSAP_BENCH_HAVE_LOADER 0
#endif

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string simdjson_version() {
  return fmt::format("{}.{}.{}", static_cast<int>(simdjson::SIMDJSON_VERSION_MAJOR),
                     static_cast<int>(simdjson::SIMDJSON_VERSION_MINOR),
                     static_cast<int>(simdjson::SIMDJSON_VERSION_REVISION));
}

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
double mbps(std::uint64_t bytes, double s) {
  return s > 0 ? static_cast<double>(bytes) / 1e6 / s : 0;
}
double mib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

// ---- results: tables on stdout, BENCH lines on stdout and in OUT/results.txt ------------------

std::FILE* g_results = nullptr;

class Line {
 public:
  explicit Line(std::string_view kind) { s_ = "BENCH kind=" + std::string(kind); }
  Line& kv(std::string_view k, std::string_view v) {
    s_ += " " + std::string(k) + "=";
    if (v.empty() || v.find_first_of(" \t\"=") != std::string_view::npos) {
      s_ += '"';
      for (char c : v) s_ += (c == '"' ? '\'' : c);
      s_ += '"';
    } else {
      s_ += v;
    }
    return *this;
  }
  Line& kv(std::string_view k, double v) { return kv(k, fmt::format("{:.6g}", v)); }
  Line& kv(std::string_view k, std::uint64_t v) { return kv(k, std::to_string(v)); }
  Line& kv(std::string_view k, int v) { return kv(k, std::to_string(v)); }
  void emit() {
    std::fputs(s_.c_str(), stdout);
    std::fputc('\n', stdout);
    if (g_results) {
      std::fputs(s_.c_str(), g_results);
      std::fputc('\n', g_results);
      std::fflush(g_results);
    }
    std::fflush(stdout);
  }

 private:
  std::string s_;
};

class Table {
 public:
  explicit Table(std::vector<std::string> head) : rows_{std::move(head)} {}
  void row(std::vector<std::string> r) { rows_.push_back(std::move(r)); }
  void print() const {
    std::vector<std::size_t> w;
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (w.size() <= i) w.push_back(0);
        w[i] = std::max(w[i], display_width(r[i]));
      }
    for (std::size_t ri = 0; ri < rows_.size(); ++ri) {
      std::string line = "|";
      for (std::size_t i = 0; i < rows_[ri].size(); ++i) {
        const std::string& c = rows_[ri][i];
        line += " " + c + std::string(w[i] - display_width(c), ' ') + " |";
      }
      fmt::print("{}\n", line);
      if (ri == 0) {
        std::string sep = "|";
        for (std::size_t x : w) sep += std::string(x + 2, '-') + "|";
        fmt::print("{}\n", sep);
      }
    }
    fmt::print("\n");
    std::fflush(stdout);
  }

 private:
  static std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
  std::vector<std::vector<std::string>> rows_;
};

std::string f1(double v) {
  return fmt::format("{:.1f}", v);
}
std::string f3(double v) {
  return fmt::format("{:.3f}", v);
}
std::string ms(double s) {
  return fmt::format("{:.1f} ms", s * 1e3);
}
std::string with_commas(std::uint64_t v) {
  const std::string d = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(d[i]);
  }
  return s;
}

// ---- environment ---------------------------------------------------------------------------

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto p = line.find(':');
      if (p != std::string::npos) return line.substr(p + 2);
    }
  }
  return "unknown";
}

// The 1-minute load average: figures taken while other work shares the cores are not comparable.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

std::string run_capture(const std::string& cmd) {
  std::string out;
  if (std::FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

fs::path source_dir() {
  return fs::path(__FILE__).parent_path().parent_path();
}

std::string git_commit() {
  const std::string c =
      run_capture("git -C '" + source_dir().string() + "' rev-parse --short HEAD 2>/dev/null");
  if (c.empty()) return "unknown";
  const std::string dirty = run_capture("git -C '" + source_dir().string() +
                                        "' status --porcelain --untracked-files=no 2>/dev/null");
  return dirty.empty() ? c : c + "+dirty";
}

fs::path self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : p;
}

bool is_executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::optional<fs::path> find_csapcheck(const std::string& given) {
  if (!given.empty())
    return is_executable(given) ? std::optional<fs::path>(fs::absolute(given)) : std::nullopt;
  std::vector<fs::path> candidates;
  const fs::path exe_dir = self_exe().parent_path();
  if (!exe_dir.empty()) candidates.push_back(exe_dir / "csapcheck");
  std::error_code ec;
  for (const fs::path& base :
       {fs::current_path(ec), fs::current_path(ec).parent_path(), exe_dir.parent_path()}) {
    if (base.empty()) continue;
    for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      const std::string n = it->path().filename().string();
      if (n.rfind("build", 0) == 0) candidates.push_back(it->path() / "csapcheck");
    }
  }
  for (const auto& c : candidates)
    if (is_executable(c)) return fs::canonical(c, ec);
  return std::nullopt;
}

// ---- child processes -----------------------------------------------------------------------

struct ChildResult {
  bool started = false;
  int exit_code = -1;  // -1: killed by a signal
  int signal = 0;
  long maxrss_kib = 0;
  double wall = 0;
  std::string stdout_text;  // first bytes of stdout (when captured)
  std::string stderr_text;  // first bytes of stderr
};

std::string read_head(const fs::path& p, std::size_t max) {
  std::ifstream in(p, std::ios::binary);
  std::string s(max, '\0');
  in.read(s.data(), static_cast<std::streamsize>(max));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

// Runs argv with stdin from /dev/null; stdout and stderr go to files in `scratch` (or /dev/null).
ChildResult run_child_direct(const std::vector<std::string>& argv, const fs::path& scratch,
                             bool capture) {
  ChildResult r;
  const fs::path out_path = scratch / ".child.out", err_path = scratch / ".child.err";
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = capture ? ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)
                            : ::open("/dev/null", O_WRONLY);
    const int err = capture ? ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)
                            : ::open("/dev/null", O_WRONLY);
    if (in >= 0) ::dup2(in, 0);
    if (out >= 0) ::dup2(out, 1);
    if (err >= 0) ::dup2(err, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage ru {};
  if (::wait4(pid, &status, 0, &ru) < 0) return r;
  r.wall = since(t0);
  r.started = true;
  r.maxrss_kib = ru.ru_maxrss;
  if (WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    r.signal = WTERMSIG(status);
  if (capture) {
    r.stdout_text = read_head(out_path, 4096);
    r.stderr_text = read_head(err_path, 4096);
    std::error_code ec;
    fs::remove(out_path, ec);
    fs::remove(err_path, ec);
  }
  return r;
}

// Linux keeps the peak RSS of the forked copy across exec (ru_maxrss = max(parent's RSS at fork,
// the program's own peak)), so children are not forked from this process once it has grown: a
// small spawner process, forked at start-up while this process is still small, runs them.
struct Spawner {
  pid_t pid = -1;
  int to = -1, from = -1;
};
Spawner g_spawner;

bool write_full(int fd, const void* p, std::size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    const ssize_t w = ::write(fd, c, n);
    if (w <= 0) return false;
    c += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}
bool read_full(int fd, void* p, std::size_t n) {
  char* c = static_cast<char*>(p);
  while (n > 0) {
    const ssize_t r = ::read(fd, c, n);
    if (r <= 0) return false;
    c += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}
bool write_str(int fd, const std::string& s) {
  const std::uint64_t n = s.size();
  return write_full(fd, &n, sizeof n) && write_full(fd, s.data(), s.size());
}
bool read_str(int fd, std::string& s) {
  std::uint64_t n = 0;
  if (!read_full(fd, &n, sizeof n) || n > (1u << 20)) return false;
  s.resize(n);
  return read_full(fd, s.data(), n);
}

void start_spawner() {
  int down[2], up[2];
  if (::pipe(down) != 0 || ::pipe(up) != 0) return;
  const pid_t pid = ::fork();
  if (pid < 0) return;
  if (pid == 0) {
    ::close(down[1]);
    ::close(up[0]);
    for (;;) {
      std::string scratch, capture, count;
      if (!read_str(down[0], scratch) || !read_str(down[0], capture) || !read_str(down[0], count))
        ::_exit(0);
      std::vector<std::string> argv(std::stoul(count));
      for (auto& a : argv)
        if (!read_str(down[0], a)) ::_exit(0);
      const ChildResult r = run_child_direct(argv, scratch, capture == "1");
      const std::string head = fmt::format("{} {} {} {} {:.9f}", r.started ? 1 : 0, r.exit_code,
                                           r.signal, r.maxrss_kib, r.wall);
      if (!write_str(up[1], head) || !write_str(up[1], r.stdout_text) ||
          !write_str(up[1], r.stderr_text))
        ::_exit(0);
    }
  }
  ::close(down[0]);
  ::close(up[1]);
  g_spawner = {pid, down[1], up[0]};
}

void stop_spawner() {
  if (g_spawner.pid <= 0) return;
  ::close(g_spawner.to);
  ::close(g_spawner.from);
  int status = 0;
  ::waitpid(g_spawner.pid, &status, 0);
  g_spawner = {};
}

ChildResult run_child(const std::vector<std::string>& argv, const fs::path& scratch, bool capture) {
  if (g_spawner.pid <= 0) return run_child_direct(argv, scratch, capture);
  ChildResult r;
  bool ok = write_str(g_spawner.to, scratch.string()) &&
            write_str(g_spawner.to, capture ? "1" : "0") &&
            write_str(g_spawner.to, std::to_string(argv.size()));
  for (const auto& a : argv) ok = ok && write_str(g_spawner.to, a);
  std::string head;
  if (!ok || !read_str(g_spawner.from, head) || !read_str(g_spawner.from, r.stdout_text) ||
      !read_str(g_spawner.from, r.stderr_text))
    return r;
  int started = 0;
  std::istringstream in(head);
  in >> started >> r.exit_code >> r.signal >> r.maxrss_kib >> r.wall;
  r.started = started != 0;
  return r;
}

std::string first_line(const std::string& s) {
  auto p = s.find('\n');
  std::string l = s.substr(0, p);
  return l.size() > 160 ? l.substr(0, 160) + "…" : l;
}

// ---- measurements --------------------------------------------------------------------------

struct SimdResult {
  bool ok = false;
  std::string error;
  double load = 0;      // padded_string::load, best
  double od_walk = 0;   // On-Demand iterate + full traversal (file in memory), best
  double od_total = 0;  // load + walk in one run, best
  double dom_walk = 0;  // DOM parse + walk, best (file in memory)
  double dom_total = 0;
  bool counts_agree = false;
  csap::bench::WalkCounts counts;
};

SimdResult measure_simdjson(const fs::path& file, int runs) {
  SimdResult r;
  r.load = r.od_walk = r.od_total = r.dom_walk = r.dom_total = 1e30;
  csap::bench::WalkCounts od_counts, dom_counts;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    simdjson::padded_string buf;
    if (auto e = simdjson::padded_string::load(file.string()).get(buf)) {
      r.error = simdjson::error_message(e);
      return r;
    }
    const double load = since(t0);
    auto t1 = Clock::now();
    if (!csap::bench::ondemand_walk(buf, od_counts, &r.error)) return r;
    const double walk = since(t1);
    r.load = std::min(r.load, load);
    r.od_walk = std::min(r.od_walk, walk);
    r.od_total = std::min(r.od_total, load + walk);
    // DOM: a fresh parser each run, as a one-shot process would have.
    simdjson::dom::parser parser;
    auto t2 = Clock::now();
    if (!csap::bench::dom_walk(parser, buf, dom_counts, &r.error)) return r;
    const double dom = since(t2);
    r.dom_walk = std::min(r.dom_walk, dom);
    r.dom_total = std::min(r.dom_total, load + dom);
  }
  r.counts = od_counts;
  r.counts_agree = od_counts == dom_counts;
  r.ok = true;
  return r;
}

struct ScanResult {
  bool available = false;
  std::string why;  // when not available
  double rules_load = 0;
  std::size_t rules = 0;
  double load = 1e30, eval2 = 1e30, eval1 = 1e30, scan2 = 1e30, scan1 = 1e30, free_time = 1e30;
  std::size_t resources = 0;
  std::size_t findings = 0;
  std::map<std::string, std::size_t> by_status;
};

#if CSAP_BENCH_HAVE_LOADER
csap::Result<csap::rules::RuleSet> load_bundled_rules() {
  csap::rules::LoadRulesOptions o;
  o.bundled = true;
  return csap::rules::load_rules(o);
}
#endif

ScanResult measure_scan(const fs::path& file, int runs) {
  ScanResult r;
#if CSAP_BENCH_HAVE_LOADER
  auto t0 = Clock::now();
  auto rules = load_bundled_rules();
  r.rules_load = since(t0);
  if (!rules) {
    r.why = "bundled rules do not load: " + rules.error().str();
    return r;
  }
  r.rules = rules->rules.size();
  for (int i = 0; i < runs; ++i) {
    auto d = std::make_unique<csap::Deployment>();
    auto t1 = Clock::now();
    auto loaded = csap::ingest::load_terraform_file(file, *d);
    const double load = since(t1);
    if (!loaded) {
      r.why = "loader failed: " + loaded.error().str();
      return r;
    }
    csap::engine::Options o2;
    o2.jobs = 2;
    auto t2 = Clock::now();
    auto findings = csap::engine::run(*rules, *d, o2);
    const double eval2 = since(t2);
    csap::engine::Options o1;
    o1.jobs = 1;
    auto t3 = Clock::now();
    auto findings1 = csap::engine::run(*rules, *d, o1);
    const double eval1 = since(t3);
    if (i == 0) {
      r.resources = d->resources.size();
      r.findings = findings.size();
      for (const auto& f : findings)
        ++r.by_status[std::string(csap::engine::status_name(f.status))];
      if (findings1.size() != findings.size())
        r.why = "jobs=1 and jobs=2 disagree on the number of findings";
    }
    auto t4 = Clock::now();
    findings.clear();
    findings.shrink_to_fit();
    findings1.clear();
    findings1.shrink_to_fit();
    d.reset();
    const double freed = since(t4);
    r.load = std::min(r.load, load);
    r.eval2 = std::min(r.eval2, eval2);
    r.eval1 = std::min(r.eval1, eval1);
    r.scan2 = std::min(r.scan2, load + eval2);
    r.scan1 = std::min(r.scan1, load + eval1);
    r.free_time = std::min(r.free_time, freed);
  }
  r.available = true;
#else
  (void)file;
  (void)runs;
  r.why = "the Terraform loader (src/ingest/terraform.h) is not in this build";
#endif
  return r;
}

// The workloads a child process runs for the peak-RSS measurements.
int child_main(const std::string& mode, const std::string& file) {
  if (mode == "idle") return 0;
  simdjson::padded_string buf;
  if (mode == "load" || mode == "ondemand" || mode == "dom") {
    if (auto e = simdjson::padded_string::load(file).get(buf)) {
      std::fprintf(stderr, "%s\n", simdjson::error_message(e));
      return 3;
    }
  }
  std::string err;
  csap::bench::WalkCounts c;
  if (mode == "load") return buf.size() > 0 ? 0 : 3;
  if (mode == "ondemand") return csap::bench::ondemand_walk(buf, c, &err) ? 0 : 3;
  if (mode == "dom") {
    simdjson::dom::parser parser;
    return csap::bench::dom_walk(parser, buf, c, &err) ? 0 : 3;
  }
  if (mode == "scan") {
#if CSAP_BENCH_HAVE_LOADER
    auto rules = load_bundled_rules();
    if (!rules) {
      std::fprintf(stderr, "%s\n", rules.error().str().c_str());
      return 3;
    }
    csap::Deployment d;
    auto loaded = csap::ingest::load_terraform_file(file, d);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().str().c_str());
      return 3;
    }
    csap::engine::Options o;
    o.jobs = 2;
    auto findings = csap::engine::run(*rules, d, o);
    std::printf("%zu\n", findings.size());
    return 0;
#else
    std::fprintf(stderr, "loader not in this build\n");
    return 4;
#endif
  }
#if CSAP_BENCH_HAVE_LOADER
  if (mode == "dump") {
    // Everything the scan produces, as text: for checking that a faster loader or engine gives
    // the same deployment and findings (diff the output of two builds).
    auto rules = load_bundled_rules();
    if (!rules) {
      std::fprintf(stderr, "%s\n", rules.error().str().c_str());
      return 3;
    }
    csap::Deployment d;
    auto loaded = csap::ingest::load_terraform_file(file, d);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", loaded.error().str().c_str());
      return 3;
    }
    for (const auto& in : d.inputs)
      std::printf("input %s %s %s %s %s %llu\n", in.path.c_str(), in.sha256.c_str(),
                  in.kind.c_str(), in.format_version.c_str(), in.tool_version.c_str(),
                  static_cast<unsigned long long>(in.bytes));
    for (std::size_t i = 0; i < d.resources.size(); ++i) {
      const auto& r = d.resources[i];
      std::string refs;
      for (const auto& ref : r.refs) refs += fmt::format(" {}>{}", ref.attr, ref.target);
      std::printf("res %zu %.*s|%.*s|%.*s|%.*s|%.*s|%.*s|%.*s|%s|%s|%s|%u|%d:%d|%s\n  %s\n  %s\n",
                  i, (int)r.address.size(), r.address.data(), (int)r.type.size(), r.type.data(),
                  (int)r.name.size(), r.name.data(), (int)r.module.size(), r.module.data(),
                  (int)r.provider.size(), r.provider.data(), (int)r.provider_source.size(),
                  r.provider_source.data(), (int)r.mode.size(), r.mode.data(),
                  csap::to_json(r.region, false).c_str(), csap::to_json(r.zone, false).c_str(),
                  csap::to_json(r.site, false).c_str(), r.input, r.line, r.column, refs.c_str(),
                  csap::to_json(r.values, false).c_str(), csap::to_json(r.values, true).c_str());
    }
    for (unsigned jobs : {1u, 2u}) {
      csap::engine::Options o;
      o.jobs = jobs;
      auto findings = csap::engine::run(*rules, d, o);
      for (const auto& f : findings)
        std::printf("finding j%u %s %u %d [%s] [%s] [%s] [%s] [%s]\n", jobs,
                    rules->rules[f.rule].id.c_str(), f.resource, static_cast<int>(f.status),
                    f.why.path.c_str(), f.why.op.c_str(), f.why.expected.c_str(),
                    f.why.actual.c_str(), f.error.c_str());
    }
    return 0;
  }
#endif
  std::fprintf(stderr, "unknown child mode %s\n", mode.c_str());
  return 2;
}

// ---- the run -------------------------------------------------------------------------------

struct Options {
  std::vector<std::uint64_t> sizes{10000, 100000};
  fs::path out = "/tmp/csapcheck-bench";
  std::string csapcheck;
  std::uint64_t seed = 1;
  int runs = 3;
  int startup_runs = 20;
  bool regen = false;
  bool startup = true;
  bool rss = true;
  std::string profile = "iaas-high";  // the CLI's scan needs a profile
};

void usage() {
  std::fputs(
      "usage: csapcheck_bench [--sizes N,N,...] [--all] [--out DIR] [--csapcheck PATH] [--seed N]\n"
      "                       [--profile P] [--runs N] [--regen] [--no-startup] [--no-rss]\n"
      "       csapcheck_bench gen N FILE [--seed S]\n"
      "  --sizes     resource counts to generate and measure (default 10000,100000)\n"
      "  --all       10000,100000,1000000 (the 1M plan is about 1.5 GB)\n"
      "  --out       where plans and results.txt go (default /tmp/csapcheck-bench)\n"
      "  --csapcheck the csapcheck binary for start-up and whole-process figures\n"
      "              (default: next to this program, else ./build*/csapcheck, "
      "../build*/csapcheck)\n"
      "  --profile   profile for the CLI's scan (default iaas-high)\n"
      "  --runs      runs per timing, best kept (default 3)\n"
      "  --regen     regenerate plans even when a cached one exists\n",
      stderr);
}

std::optional<std::uint64_t> parse_u64(const std::string& s) {
  try {
    std::size_t pos = 0;
    const unsigned long long v = std::stoull(s, &pos);
    if (pos != s.size()) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<fs::path> ensure_plan(const Options& o, std::uint64_t n, csap::bench::GenStats* gs) {
  const fs::path p =
      o.out / fmt::format("plan-{}-s{}-g{}.json", n, o.seed, csap::bench::kGeneratorVersion);
  std::error_code ec;
  if (!o.regen && fs::exists(p, ec)) {
    gs->bytes = fs::file_size(p, ec);
    gs->seconds = 0;
    gs->resources = 0;  // unknown without reading it; the scan reports the count
    fmt::print("plan {}: cached, {} bytes ({:.1f} MiB)\n", p.string(), with_commas(gs->bytes),
               mib(gs->bytes));
    return p;
  }
  // About 1.6 KB per resource; keep a margin for the temporary section files (about the same
  // again).
  struct statvfs sv {};
  if (::statvfs(o.out.c_str(), &sv) == 0) {
    const double need = static_cast<double>(n) * 1700.0 * 2.1;
    const double have = static_cast<double>(sv.f_bavail) * static_cast<double>(sv.f_frsize);
    if (have < need) {
      fmt::print(
          "plan of {} resources: skipped, needs about {:.1f} GiB free under {}, {:.1f} GiB "
          "available\n",
          with_commas(n), need / (1u << 30), o.out.string(), have / (1u << 30));
      Line("skip").kv("size", n).kv("reason", "disk").emit();
      return std::nullopt;
    }
  }
  csap::bench::GenOptions go;
  go.resources = n;
  go.seed = o.seed;
  std::string err;
  fmt::print("generating {} resources into {} ...\n", with_commas(n), p.string());
  std::fflush(stdout);
  if (!csap::bench::generate_plan(p, go, gs, &err)) {
    fmt::print("generation failed: {}\n", err);
    return std::nullopt;
  }
  fmt::print(
      "  {} resources ({} configuration blocks, {} modules), {} bytes ({:.1f} MiB, {:.0f} "
      "B/resource) in {:.2f} s ({:.0f} MB/s)\n",
      with_commas(gs->resources), with_commas(gs->config_resources), gs->modules,
      with_commas(gs->bytes), mib(gs->bytes),
      static_cast<double>(gs->bytes) / static_cast<double>(gs->resources), gs->seconds,
      mbps(gs->bytes, gs->seconds));
  Line("generate")
      .kv("size", n)
      .kv("resources", gs->resources)
      .kv("bytes", gs->bytes)
      .kv("seconds", gs->seconds)
      .emit();
  return p;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

void measure_startup(const Options& o, const std::optional<fs::path>& cli) {
  fmt::print("== start-up (target < 20 ms) ==\n");
  if (!cli) {
    fmt::print(
        "csapcheck binary: not available (build the csapcheck target or pass --csapcheck "
        "PATH)\n\n");
    Line("startup").kv("status", "not-available").emit();
    return;
  }
  Table t({"command", "median wall", "min", "max", "peak RSS", "exit", "target < 20 ms"});
  const std::vector<std::pair<std::string, std::vector<std::string>>> cmds = {
      {"csapcheck --version", {cli->string(), "--version"}},
      {"csapcheck rules list", {cli->string(), "rules", "list"}},
  };
  for (const auto& [label, argv] : cmds) {
    std::vector<double> walls;
    ChildResult last;
    // One warm-up run (page cache), then the measured runs.
    run_child(argv, o.out, false);
    for (int i = 0; i < o.startup_runs; ++i) {
      last = run_child(argv, o.out, false);
      if (!last.started) break;
      walls.push_back(last.wall);
    }
    const ChildResult probe = run_child(argv, o.out, true);
    if (walls.empty() || probe.exit_code != 0) {
      const std::string why = !probe.started ? "did not start"
                              : probe.signal ? fmt::format("killed by signal {}", probe.signal)
                                             : fmt::format("exit {}: {}", probe.exit_code,
                                                           first_line(probe.stderr_text));
      t.row({label, "not available", "", "", "", why, ""});
      Line("startup").kv("command", label).kv("status", "not-available").kv("reason", why).emit();
      continue;
    }
    const double med = median(walls);
    t.row({label, ms(med), ms(*std::min_element(walls.begin(), walls.end())),
           ms(*std::max_element(walls.begin(), walls.end())),
           fmt::format("{:.1f} MiB", last.maxrss_kib / 1024.0), std::to_string(probe.exit_code),
           med < 0.020 ? "met" : "NOT met"});
    Line("startup")
        .kv("command", label)
        .kv("median_s", med)
        .kv("runs", static_cast<int>(walls.size()))
        .kv("maxrss_kib", static_cast<std::uint64_t>(last.maxrss_kib))
        .kv("target_met", med < 0.020 ? "yes" : "no")
        .emit();
  }
  t.print();
}

void measure_size(const Options& o, std::uint64_t n, const std::optional<fs::path>& cli) {
  csap::bench::GenStats gs;
  auto plan = ensure_plan(o, n, &gs);
  if (!plan) return;
  const std::uint64_t bytes = gs.bytes;
  const std::string size = std::to_string(n);
  fmt::print("\n== {} resources: {} ({:.1f} MiB); load average {} on {} cores ==\n", with_commas(n),
             plan->filename().string(), mib(bytes), load_average(),
             std::thread::hardware_concurrency());
  Line("load").kv("size", size).kv("loadavg", load_average()).emit();

  // simdjson alone.
  SimdResult sj = measure_simdjson(*plan, o.runs);
  if (!sj.ok) {
    fmt::print("simdjson failed on the generated plan: {}\n", sj.error);
    Line("simdjson").kv("size", size).kv("status", "error").kv("reason", sj.error).emit();
    return;
  }
  fmt::print(
      "simdjson {} (kernel: {}), best of {}; {} values, {:.1f} MiB of key and string bytes, {} "
      "numbers; DOM and On-Demand counts {}\n",
      simdjson_version(), simdjson::get_active_implementation()->name(), o.runs,
      with_commas(sj.counts.nodes), mib(sj.counts.string_bytes), with_commas(sj.counts.numbers),
      sj.counts_agree ? "agree" : "DISAGREE");
  Table t({"what", "time", "MB/s", "note"});
  t.row({"padded_string::load", ms(sj.load), f1(mbps(bytes, sj.load)), "read the file"});
  t.row({"On-Demand full walk", ms(sj.od_walk), f1(mbps(bytes, sj.od_walk)), "file in memory"});
  t.row({"load + On-Demand walk", ms(sj.od_total), f1(mbps(bytes, sj.od_total)), "the baseline"});
  t.row({"DOM parse + walk", ms(sj.dom_walk), f1(mbps(bytes, sj.dom_walk)), "file in memory"});
  t.row({"load + DOM parse + walk", ms(sj.dom_total), f1(mbps(bytes, sj.dom_total)),
         "for reference"});
  t.print();
  Line("simdjson")
      .kv("size", size)
      .kv("mode", "ondemand")
      .kv("bytes", bytes)
      .kv("load_s", sj.load)
      .kv("walk_s", sj.od_walk)
      .kv("total_s", sj.od_total)
      .kv("mbps", mbps(bytes, sj.od_total))
      .kv("walk_mbps", mbps(bytes, sj.od_walk))
      .kv("values", sj.counts.nodes)
      .emit();
  Line("simdjson")
      .kv("size", size)
      .kv("mode", "dom")
      .kv("bytes", bytes)
      .kv("walk_s", sj.dom_walk)
      .kv("total_s", sj.dom_total)
      .kv("mbps", mbps(bytes, sj.dom_total))
      .kv("walk_mbps", mbps(bytes, sj.dom_walk))
      .emit();

  // The csapcheck scan, in process.
  ScanResult sc = measure_scan(*plan, o.runs);
  const double baseline = mbps(bytes, sj.od_total);
  if (!sc.available) {
    fmt::print("csapcheck scan: not available ({})\n\n", sc.why);
    Line("scan").kv("size", size).kv("status", "not-available").kv("reason", sc.why).emit();
  } else {
    std::string statuses;
    for (const auto& [k, v] : sc.by_status)
      statuses += (statuses.empty() ? "" : ", ") + with_commas(v) + " " + k;
    fmt::print(
        "csapcheck scan (in process), best of {}: {} resources, {} rules (loaded in {}), {} "
        "findings ({})\n",
        o.runs, with_commas(sc.resources), sc.rules, ms(sc.rules_load), with_commas(sc.findings),
        statuses);
    if (!sc.why.empty()) fmt::print("note: {}\n", sc.why);
    const double res = static_cast<double>(sc.resources);
    Table s({"what", "time", "MB/s", "resources/s", "share"});
    s.row({"load (ingest)", ms(sc.load), f1(mbps(bytes, sc.load)),
           with_commas(static_cast<std::uint64_t>(res / sc.load)),
           fmt::format("{:.0f}%", 100 * sc.load / sc.scan2)});
    s.row({"evaluate, jobs=2", ms(sc.eval2), f1(mbps(bytes, sc.eval2)),
           with_commas(static_cast<std::uint64_t>(res / sc.eval2)),
           fmt::format("{:.0f}%", 100 * sc.eval2 / sc.scan2)});
    s.row({"evaluate, jobs=1", ms(sc.eval1), f1(mbps(bytes, sc.eval1)),
           with_commas(static_cast<std::uint64_t>(res / sc.eval1)), ""});
    s.row({"scan = load + evaluate, jobs=2", ms(sc.scan2), f1(mbps(bytes, sc.scan2)),
           with_commas(static_cast<std::uint64_t>(res / sc.scan2)), "100%"});
    s.row({"scan = load + evaluate, jobs=1", ms(sc.scan1), f1(mbps(bytes, sc.scan1)),
           with_commas(static_cast<std::uint64_t>(res / sc.scan1)), ""});
    s.row({"free the deployment and findings", ms(sc.free_time), "", "", "not in scan"});
    s.print();
    const double r2 = mbps(bytes, sc.scan2) / baseline, r1 = mbps(bytes, sc.scan1) / baseline;
    Table g({"target", "measured", "target value", "verdict"});
    g.row({"scan MB/s ÷ simdjson (load + On-Demand walk) MB/s, jobs=2", f3(r2), "≥ 0.333",
           r2 >= 1.0 / 3 ? "met" : "NOT met"});
    g.row({"same, jobs=1", f3(r1), "≥ 0.333", r1 >= 1.0 / 3 ? "met" : "NOT met"});
    g.row({"same, against the walk alone (file in memory), jobs=2",
           f3(mbps(bytes, sc.scan2) / mbps(bytes, sj.od_walk)), "(info)", ""});
    if (sc.resources >= 90000 && sc.resources <= 110000)
      g.row({"100 000 resources in under a second (2 cores)", ms(sc.scan2), "< 1000 ms",
             sc.scan2 < 1.0 ? "met" : "NOT met"});
    g.print();
    Line("scan")
        .kv("size", size)
        .kv("bytes", bytes)
        .kv("resources", static_cast<std::uint64_t>(sc.resources))
        .kv("rules", static_cast<std::uint64_t>(sc.rules))
        .kv("findings", static_cast<std::uint64_t>(sc.findings))
        .kv("fail", static_cast<std::uint64_t>(sc.by_status["fail"]))
        .kv("unknown", static_cast<std::uint64_t>(sc.by_status["unknown"]))
        .kv("rules_load_s", sc.rules_load)
        .kv("load_s", sc.load)
        .kv("eval_j2_s", sc.eval2)
        .kv("eval_j1_s", sc.eval1)
        .kv("scan_j2_s", sc.scan2)
        .kv("scan_j1_s", sc.scan1)
        .kv("free_s", sc.free_time)
        .kv("mbps_j2", mbps(bytes, sc.scan2))
        .kv("mbps_j1", mbps(bytes, sc.scan1))
        .kv("resources_per_s_j2", res / sc.scan2)
        .emit();
    Line("ratio")
        .kv("size", size)
        .kv("scan_over_simdjson_j2", r2)
        .kv("scan_over_simdjson_j1", r1)
        .kv("target", 1.0 / 3)
        .kv("target_met", r2 >= 1.0 / 3 ? "yes" : "no")
        .emit();
  }

  // Peak RSS, each in a fresh process.
  if (!o.rss) return;
  const fs::path self = self_exe();
  Table m({"process", "peak RSS", "× input", "wall", "target < 3×"});
  auto add = [&](const std::string& label, const std::string& mode,
                 const std::vector<std::string>& argv, bool target) {
    ChildResult c = run_child(argv, o.out, true);
    if (!c.started || c.signal || (c.exit_code != 0 && c.exit_code != 1)) {
      const std::string why =
          !c.started ? "did not start"
          : c.signal ? fmt::format("killed by signal {}", c.signal)
                     : fmt::format("exit {}: {}", c.exit_code, first_line(c.stderr_text));
      m.row({label, "not available", "", "", why});
      Line("rss")
          .kv("size", size)
          .kv("process", mode)
          .kv("status", "not-available")
          .kv("reason", why)
          .emit();
      return;
    }
    const double mult = static_cast<double>(c.maxrss_kib) * 1024.0 / static_cast<double>(bytes);
    m.row({label, fmt::format("{:.1f} MiB", c.maxrss_kib / 1024.0), fmt::format("{:.2f}", mult),
           fmt::format("{:.2f} s", c.wall), target ? (mult < 3 ? "met" : "NOT met") : ""});
    Line("rss")
        .kv("size", size)
        .kv("process", mode)
        .kv("maxrss_kib", static_cast<std::uint64_t>(c.maxrss_kib))
        .kv("multiple", mult)
        .kv("wall_s", c.wall)
        .emit();
  };
  const std::string ps = plan->string();
  add("bench process, idle (the floor of these figures)", "idle",
      {self.string(), "--child", "idle", ps}, false);
  add("padded_string::load only", "load", {self.string(), "--child", "load", ps}, false);
  add("simdjson On-Demand walk", "ondemand", {self.string(), "--child", "ondemand", ps}, false);
  add("simdjson DOM parse + walk", "dom", {self.string(), "--child", "dom", ps}, false);
#if CSAP_BENCH_HAVE_LOADER
  add("scan in process (rules + load + evaluate, jobs=2)", "scan",
      {self.string(), "--child", "scan", ps}, true);
#else
  m.row({"scan in process", "not available", "", "", "loader not in this build"});
  Line("rss").kv("size", size).kv("process", "scan").kv("status", "not-available").emit();
#endif
  if (cli)
    add("csapcheck scan FILE --profile " + o.profile + " --format json -o /dev/null", "cli",
        {cli->string(), "scan", ps, "--profile", o.profile, "-q", "--format", "json", "-o",
         "/dev/null"},
        true);
  else
    m.row({"csapcheck scan (CLI)", "not available", "", "", "no csapcheck binary"});
  fmt::print("peak resident memory (ru_maxrss of a separate process; includes the file buffer):\n");
  m.print();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "--child") return child_main(args[1], args[2]);
  if (!args.empty() && args[0] == "gen") {
    if (args.size() < 3) {
      usage();
      return 2;
    }
    auto n = parse_u64(args[1]);
    csap::bench::GenOptions go;
    if (!n) {
      usage();
      return 2;
    }
    go.resources = *n;
    if (args.size() >= 5 && args[3] == "--seed") {
      auto s = parse_u64(args[4]);
      if (!s) {
        usage();
        return 2;
      }
      go.seed = *s;
    }
    csap::bench::GenStats gs;
    std::string err;
    if (!csap::bench::generate_plan(args[2], go, &gs, &err)) {
      std::fprintf(stderr, "csapcheck_bench: %s\n", err.c_str());
      return 3;
    }
    std::printf("%llu resources, %llu bytes, %.2f s\n",
                static_cast<unsigned long long>(gs.resources),
                static_cast<unsigned long long>(gs.bytes), gs.seconds);
    return 0;
  }

  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    }
    if (a == "--all") {
      o.sizes = {10000, 100000, 1000000};
      continue;
    }
    if (a == "--regen") {
      o.regen = true;
      continue;
    }
    if (a == "--no-startup") {
      o.startup = false;
      continue;
    }
    if (a == "--no-rss") {
      o.rss = false;
      continue;
    }
    auto v = value();
    if (!v) {
      usage();
      return 2;
    }
    if (a == "--sizes") {
      o.sizes.clear();
      std::stringstream ss(*v);
      std::string part;
      while (std::getline(ss, part, ',')) {
        auto n = parse_u64(part);
        if (!n || *n == 0) {
          usage();
          return 2;
        }
        o.sizes.push_back(*n);
      }
    } else if (a == "--out") {
      o.out = *v;
    } else if (a == "--profile") {
      o.profile = *v;
    } else if (a == "--csapcheck") {
      o.csapcheck = *v;
    } else if (a == "--seed") {
      auto n = parse_u64(*v);
      if (!n) {
        usage();
        return 2;
      }
      o.seed = *n;
    } else if (a == "--runs") {
      auto n = parse_u64(*v);
      if (!n || *n == 0) {
        usage();
        return 2;
      }
      o.runs = static_cast<int>(*n);
    } else {
      usage();
      return 2;
    }
  }

  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) {
    std::fprintf(stderr, "csapcheck_bench: cannot create %s: %s\n", o.out.c_str(),
                 ec.message().c_str());
    return 3;
  }
  o.out = fs::absolute(o.out);
  g_results = std::fopen((o.out / "results.txt").c_str(), "a");

  start_spawner();
  const auto cli = find_csapcheck(o.csapcheck);
  if (!o.csapcheck.empty() && !cli)
    fmt::print("warning: --csapcheck {}: not an executable file\n", o.csapcheck);
  const std::string commit = git_commit();
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&now));
  fmt::print("csapcheck_bench — csapcheck {} (commit {}), {}\n", CSAPCHECK_VERSION, commit, date);
  fmt::print(
      "machine: {}, {} cores, load average {}; simdjson {} ({}); loader {}; csapcheck binary: {}\n",
      cpu_model(), std::thread::hardware_concurrency(), load_average(), simdjson_version(),
      simdjson::get_active_implementation()->name(),
      CSAP_BENCH_HAVE_LOADER ? "in this build" : "not in this build",
      cli ? cli->string() : "not found");
  fmt::print(
      "MB = 10^6 bytes, MiB = 2^20 bytes; times are the best of {} runs unless marked median.\n\n",
      o.runs);
  Line("run")
      .kv("date", date)
      .kv("commit", commit)
      .kv("version", CSAPCHECK_VERSION)
      .kv("cpu", cpu_model())
      .kv("cores", static_cast<int>(std::thread::hardware_concurrency()))
      .kv("loadavg", load_average())
      .kv("simdjson", simdjson_version())
      .kv("kernel", simdjson::get_active_implementation()->name())
      .kv("loader", CSAP_BENCH_HAVE_LOADER ? "yes" : "no")
      .kv("csapcheck", cli ? cli->string() : "none")
      .emit();

  if (o.startup) measure_startup(o, cli);
  for (std::uint64_t n : o.sizes) measure_size(o, n, cli);
  stop_spawner();
  if (g_results) std::fclose(g_results);
  return 0;
}
