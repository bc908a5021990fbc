#include "evidence/evidence.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <map>

#include "core/files.h"
#include "core/yaml.h"
#include "core/yaml_quote.h"

namespace csap::evidence {
namespace fs = std::filesystem;
using namespace std::chrono;

// ---- dates
// ------------------------------------------------------------------------------------------

std::optional<sys_days> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d) return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

std::string format_date(sys_days d) {
  year_month_day ymd(d);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string today_local() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void evaluate(std::vector<Attestation>& attestations, std::vector<Waiver>& waivers,
              std::string_view today) {
  auto now = parse_date(today);
  auto expiry = [&](const std::string& expires, Text& problem, bool& soon) {
    soon = false;
    if (expires.empty() || !now) return true;
    auto e = parse_date(expires);
    if (!e) return true;  // the loader refuses bad dates
    if (*e < *now) {
      problem = {fmt::format("{}에 만료됨", expires), fmt::format("expired on {}", expires)};
      return false;
    }
    soon = (*e - *now).count() <= kSoonDays;
    return true;
  };
  for (auto& a : attestations) {
    a.problem = {};
    a.valid = expiry(a.expires, a.problem, a.expiring_soon);
    if (!a.valid) continue;
    for (const auto& ev : a.evidence) {
      if (!ev.unreadable.empty()) {
        a.valid = false;
        a.problem = {fmt::format("증적 파일을 읽을 수 없음: {} ({})", ev.path, ev.unreadable),
                     fmt::format("evidence file unreadable: {} ({})", ev.path, ev.unreadable)};
        break;
      }
      if (!ev.exists) {
        a.valid = false;
        a.problem = {fmt::format("증적 파일 없음: {}", ev.path),
                     fmt::format("evidence file missing: {}", ev.path)};
        break;
      }
      if (ev.changed) {
        a.valid = false;
        a.problem = {fmt::format("잠금(lock) 이후 증적 파일이 바뀜: {}", ev.path),
                     fmt::format("evidence file changed since it was locked: {}", ev.path)};
        break;
      }
    }
  }
  for (auto& w : waivers) {
    if (w.from_tag && !w.problem.empty()) {
      w.valid = false;
      continue;
    }
    w.problem = {};
    w.valid = expiry(w.expires, w.problem, w.expiring_soon);
  }
}

// ---- loading
// ----------------------------------------------------------------------------------------

namespace {

using yaml::Node;

// Opens `rel` (a normalised relative path) under the directory `root` component by component with
// O_NOFOLLOW: no symbolic link is followed, so nothing outside the root is ever opened. The final
// component is opened non-blocking (a FIFO does not hang) and described in `st`. Returns the
// descriptor, or -1 with errno set (ENOENT missing, ELOOP/ENOTDIR a link in the way).
int open_under(const fs::path& root, const fs::path& rel, struct stat* st) {
  int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  std::vector<std::string> parts;
  for (const auto& p : rel) parts.push_back(p.string());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY);
    int next = ::openat(dir, parts[i].c_str(), flags);
    int e = errno;
    ::close(dir);
    if (next < 0) {
      errno = e;
      return -1;
    }
    dir = next;
  }
  if (::fstat(dir, st) != 0) {
    int e = errno;
    ::close(dir);
    errno = e;
    return -1;
  }
  return dir;
}

class Reader {
 public:
  Reader(const LoadOptions& opts, Loaded& out) : opts_(opts), out_(out) {}

  void error(const std::string& file, const Node& n, std::string msg) {
    out_.errors.push_back(Error{Exit::kBadInput, std::move(msg), yaml::loc(file, n)});
  }

  // A scalar string field, or "" when absent or null. Wrong types are errors.
  std::string str(const std::string& file, const Node& entry, std::string_view key) {
    const Node* n = entry.get(key);
    if (!n || n->is_plain_null()) return {};
    if (!n->is_scalar()) {
      error(file, *n, fmt::format("'{}' must be a text, not a {}", key, n->kind_name()));
      return {};
    }
    return n->scalar;
  }

  std::string date(const std::string& file, const Node& entry, std::string_view key) {
    std::string s = str(file, entry, key);
    if (!s.empty() && !parse_date(s))
      error(file, *entry.get(key),
            fmt::format(
                "'{}' must be a date written YYYY-MM-DD that exists in the calendar, not '{}'", key,
                s));
    return s;
  }

  void unknown_keys(const std::string& file, const Node& entry,
                    std::initializer_list<std::string_view> known, std::string_view what) {
    for (const auto& [k, v] : entry.pairs) {
      if (std::find(known.begin(), known.end(), k.scalar) != known.end()) continue;
      std::string list;
      for (auto x : known) list += (list.empty() ? "" : ", ") + std::string(x);
      error(file, k, fmt::format("unknown key '{}' in {} (known: {})", k.scalar, what, list));
    }
  }

  bool check_control(const std::string& file, const Node& n, const std::string& id) {
    if (opts_.catalog && !opts_.catalog->find(id)) {
      error(file, n, fmt::format("control '{}' is not in catalog {}", id, opts_.catalog->id));
      return false;
    }
    return true;
  }

  void attestations(const std::string& file, const Node& list, const fs::path& root, bool root_ok,
                    const std::map<std::string, std::string>& lock) {
    if (list.is_plain_null()) return;
    if (!list.is_seq()) {
      error(file, list, fmt::format("'attestations' must be a list, not a {}", list.kind_name()));
      return;
    }
    std::size_t drafts = 0;
    for (const Node& e : list.items) {
      if (!e.is_map()) {
        error(file, e,
              fmt::format("an attestation must be a mapping (control, status, ...), not a {}",
                          e.kind_name()));
        continue;
      }
      std::size_t before = out_.errors.size();
      unknown_keys(
          file, e,
          {"control", "status", "statement", "reason", "evidence", "owner", "reviewed", "expires"},
          "an attestation");
      Attestation a;
      a.file = file;
      a.line = e.line;
      a.control = str(file, e, "control");
      if (a.control.empty()) {
        error(file, e, "an attestation needs 'control' (a control id of the catalog)");
        continue;
      }
      check_control(file, *e.get("control"), a.control);
      a.status = str(file, e, "status");
      a.statement = str(file, e, "statement");
      a.reason = str(file, e, "reason");
      a.owner = str(file, e, "owner");
      a.reviewed = date(file, e, "reviewed");
      a.expires = date(file, e, "expires");
      if (a.status.empty()) {
        // A skeleton entry not filled in yet: the control stays manual.
        ++drafts;
        continue;
      }
      if (std::find(std::begin(kStatuses), std::end(kStatuses), a.status) == std::end(kStatuses)) {
        error(file, *e.get("status"),
              fmt::format("unknown status '{}' (implemented, partial, planned or not-applicable)",
                          a.status));
      }
      if (a.says_not_applicable() && a.reason.empty())
        error(file, *e.get("status"),
              fmt::format("control {} is attested not-applicable without a 'reason'", a.control));
      if (!a.reviewed.empty() && !a.expires.empty()) {
        auto r = parse_date(a.reviewed), x = parse_date(a.expires);
        if (r && x && *x < *r)
          error(file, *e.get("expires"),
                fmt::format("'expires' ({}) is before 'reviewed' ({})", a.expires, a.reviewed));
      }
      if (auto it = seen_.find(a.control); it != seen_.end())
        error(file, *e.get("control"),
              fmt::format("control {} is attested twice (also at {})", a.control, it->second));
      else
        seen_[a.control] = fmt::format("{}:{}", file, e.line);
      if (const Node* ev = e.get("evidence"); ev && !ev->is_plain_null()) {
        std::vector<const Node*> paths;
        if (ev->is_scalar())
          paths.push_back(ev);
        else if (ev->is_seq())
          for (const auto& p : ev->items) paths.push_back(&p);
        else
          error(file, *ev, "'evidence' must be a list of file paths");
        for (const Node* p : paths) {
          if (!p->is_scalar() || p->scalar.empty()) {
            error(file, *p, "an evidence entry must be a file path");
            continue;
          }
          if (root_ok) resolve(file, *p, root, lock, a);
        }
      }
      if (out_.errors.size() == before) out_.attestations.push_back(std::move(a));
    }
    if (drafts)
      out_.notes.push_back(fmt::format(
          "{}: {} attestation(s) have no status yet and are not counted", file, drafts));
  }

  void resolve(const std::string& file, const Node& n, const fs::path& root,
               const std::map<std::string, std::string>& lock, Attestation& a) {
    EvidenceFile f;
    f.path = n.scalar;
    fs::path p(f.path);
    fs::path cand = (p.is_absolute() ? p : root / p).lexically_normal();
    fs::path rel = cand.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") {
      error(file, n,
            fmt::format("evidence path '{}' leads out of the evidence root {}", f.path,
                        root.string()));
      return;
    }
    std::error_code ec;
    fs::path real = fs::weakly_canonical(cand, ec);
    if (ec) real = cand;
    fs::path real_rel = real.lexically_relative(root);
    if (real_rel.empty() || *real_rel.begin() == "..") {
      error(file, n,
            fmt::format(
                "evidence path '{}' leads out of the evidence root {} through a symbolic link",
                f.path, root.string()));
      return;
    }
    f.resolved = real.string();
    f.key = rel.generic_string();
    // The file is opened once, walking down from the root without following any symbolic link,
    // and hashed through that descriptor: what is hashed is what was checked above.
    struct stat st {};
    int fd = open_under(root, real_rel, &st);
    const int err = fd < 0 ? errno : 0;
    if (fd < 0 ? err == EISDIR : S_ISDIR(st.st_mode)) {
      if (fd >= 0) ::close(fd);
      error(file, n, fmt::format("evidence path '{}' is a directory: list the files", f.path));
      return;
    }
    if (fd < 0) {
      if (err == ELOOP)
        f.unreadable = "a symbolic link was put in its way while it was read";
      else if (err != ENOENT)
        f.unreadable = std::error_code(err, std::generic_category()).message();
    } else if (!S_ISREG(st.st_mode)) {
      f.unreadable = "not a regular file";
    } else if (auto h = sha256_fd(fd, f.resolved); h) {
      f.exists = true;
      f.sha256 = *h;
    } else {
      f.unreadable = h.error().message;
    }
    if (fd >= 0) ::close(fd);
    if (auto it = lock.find(f.key); it != lock.end()) {
      f.locked_sha256 = it->second;
      f.changed = f.exists && f.sha256 != f.locked_sha256;
    }
    a.evidence.push_back(std::move(f));
  }

  void waivers(const std::string& file, const Node& list) {
    if (list.is_plain_null()) return;
    if (!list.is_seq()) {
      error(file, list, fmt::format("'waivers' must be a list, not a {}", list.kind_name()));
      return;
    }
    for (const Node& e : list.items) {
      if (!e.is_map()) {
        error(file, e,
              fmt::format("a waiver must be a mapping (rule, resource, reason, ...), not a {}",
                          e.kind_name()));
        continue;
      }
      std::size_t before = out_.errors.size();
      unknown_keys(file, e, {"rule", "control", "resource", "reason", "approved_by", "expires"},
                   "a waiver");
      Waiver w;
      w.source = fmt::format("{}:{}", file, e.line);
      w.rule = str(file, e, "rule");
      w.control = str(file, e, "control");
      w.resource = str(file, e, "resource");
      w.reason = str(file, e, "reason");
      w.approved_by = str(file, e, "approved_by");
      w.expires = date(file, e, "expires");
      if (w.rule.empty() == w.control.empty())
        error(file, e, "a waiver names either a 'rule' or a 'control' (one of the two)");
      if (!w.rule.empty() && opts_.rule_ids && !opts_.rule_ids->count(w.rule))
        error(file, *e.get("rule"),
              fmt::format("waiver names rule '{}' that does not exist", w.rule));
      if (!w.control.empty()) check_control(file, *e.get("control"), w.control);
      if (w.resource.empty())
        error(file, e,
              "a waiver needs 'resource' (a Terraform address; '*' matches any characters)");
      if (w.reason.empty()) error(file, e, "a waiver needs a 'reason'");
      if (w.approved_by.empty())
        error(file, e, "a waiver needs 'approved_by' (who accepted the risk)");
      if (w.expires.empty() && !e.get("expires"))
        error(file, e, "a waiver needs 'expires' (YYYY-MM-DD)");
      else if (w.expires.empty())
        error(file, *e.get("expires"), "a waiver needs 'expires' (YYYY-MM-DD)");
      if (out_.errors.size() == before) out_.waivers.push_back(std::move(w));
    }
  }

  void file(const std::string& path, bool attest) {
    auto docs = yaml::parse_file(path);
    if (!docs) {
      out_.errors.push_back(docs.error());
      return;
    }
    if (docs->empty() || docs->front().root.is_plain_null()) {
      out_.errors.push_back(Error{Exit::kBadInput,
                                  attest
                                      ? "the attestation file is empty (expected 'attestations:')"
                                      : "the waiver file is empty (expected 'waivers:')",
                                  {path}});
      return;
    }
    if (docs->size() > 1) {
      out_.errors.push_back(
          Error{Exit::kBadInput, "expected one YAML document", {path, (*docs)[1].line, 1}});
      return;
    }
    const Node& root = docs->front().root;
    if (!root.is_map()) {
      error(path, root,
            fmt::format("expected a mapping with '{}', not a {}",
                        attest ? "attestations" : "waivers", root.kind_name()));
      return;
    }
    if (attest)
      unknown_keys(path, root, {"attestations", "waivers"}, "an attestation file");
    else
      unknown_keys(path, root, {"waivers"}, "a waiver file");
    if (attest) {
      const Node* list = root.get("attestations");
      if (!list) {
        error(path, root, "an attestation file needs 'attestations:' (a list)");
      } else {
        fs::path root_dir = opts_.evidence_root.empty() ? fs::absolute(path).parent_path()
                                                        : fs::path(opts_.evidence_root);
        std::error_code ec;
        fs::path canon = fs::canonical(root_dir, ec);
        bool ok = !ec && fs::is_directory(canon, ec);
        if (!ok)
          out_.errors.push_back(
              Error{Exit::kBadInput,
                    fmt::format("evidence root {} is not a directory", root_dir.string()),
                    {path}});
        std::map<std::string, std::string> lock;
        std::string lp = lock_path_for(path);
        if (opts_.read_locks && fs::exists(lp)) {
          auto entries = read_lock(lp);
          if (!entries)
            out_.errors.push_back(entries.error());
          else
            for (auto& le : *entries) lock[le.key] = le.sha256;
        }
        attestations(path, *list, canon, ok, lock);
      }
    }
    if (const Node* w = root.get("waivers"))
      waivers(path, *w);
    else if (!attest)
      error(path, root, "a waiver file needs 'waivers:' (a list)");
  }

 private:
  const LoadOptions& opts_;
  Loaded& out_;
  std::map<std::string, std::string> seen_;  // attested control -> where
};

std::string canonical_key(const std::string& path) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(path, ec);
  return ec ? path : c.string();
}

}  // namespace

Loaded load(const std::vector<std::string>& attest_files,
            const std::vector<std::string>& waiver_files, const LoadOptions& opts) {
  Loaded out;
  Reader r(opts, out);
  std::set<std::string> done;
  for (const auto& f : attest_files)
    if (done.insert(canonical_key(f)).second) r.file(f, true);
  for (const auto& f : waiver_files)
    if (done.insert(canonical_key(f)).second) r.file(f, false);
  return out;
}

// ---- tag waivers
// --------------------------------------------------------------------------------------

namespace {

const Value* tag(const Value& tags, std::string_view suffix) {
  for (std::string_view prefix : {"csapcheck:", "csapcheck-", "csapcheck_"}) {
    std::string key = std::string(prefix) + std::string(suffix);
    if (const Value* v = tags.get(key)) return v;
    if (suffix.find('-') != std::string_view::npos && prefix == "csapcheck_") {
      std::string k2 = key;
      std::replace(k2.begin(), k2.end(), '-', '_');
      if (const Value* v = tags.get(k2)) return v;
    }
  }
  return nullptr;
}

// A tag's text; a tag marked sensitive is never copied out: it reads "(sensitive)".
std::string tag_str(const Value* v) {
  if (!v) return {};
  if (v->any_sensitive()) return "(sensitive)";
  if (!v->is_string()) return {};
  return std::string(v->str());
}

}  // namespace

std::vector<Waiver> tag_waivers(const Deployment& d, const std::set<std::string>* rule_ids) {
  std::vector<Waiver> out;
  for (const auto& r : d.resources) {
    for (std::string_view field : {"tags", "labels"}) {
      const Value* tags = r.values.get(field);
      if (!tags || !tags->is_object()) continue;
      const Value* rules = tag(*tags, "waive");
      if (!rules) continue;
      std::string reason = tag_str(tag(*tags, "waive-reason"));
      std::string expires = tag_str(tag(*tags, "waive-expires"));
      std::string approver = tag_str(tag(*tags, "waive-approver"));
      std::string list = tag_str(rules);
      std::vector<std::string> ids;
      std::string cur;
      for (char c : list + ",") {
        if (c == ',' || c == ' ' || c == ';') {
          if (!cur.empty()) ids.push_back(cur);
          cur.clear();
        } else {
          cur += c;
        }
      }
      if (ids.empty()) ids.push_back("");
      for (const auto& id : ids) {
        Waiver w;
        w.from_tag = true;
        w.rule = id;
        w.resource = std::string(r.address);
        w.reason = reason;
        w.approved_by = approver;
        w.expires = expires;
        w.source = fmt::format("tag on {}", r.address);
        if (rules->is_unknown() || id.empty())
          w.problem = {"csapcheck:waive 태그에 규칙 id가 없음",
                       "the csapcheck:waive tag names no rule"};
        else if (rule_ids && !rule_ids->count(id))
          w.problem = {fmt::format("존재하지 않는 규칙 '{}'", id),
                       fmt::format("names rule '{}' that does not exist", id)};
        else if (reason.empty())
          w.problem = {"csapcheck:waive-reason 태그(사유)가 없음", "no csapcheck:waive-reason tag"};
        else if (expires.empty())
          w.problem = {"csapcheck:waive-expires 태그(만료일)가 없음",
                       "no csapcheck:waive-expires tag"};
        else if (expires == "(sensitive)")
          w.problem = {
              "csapcheck:waive-expires 태그가 민감(sensitive) 값으로 표시되어 읽을 수 없음",
              "the csapcheck:waive-expires tag is marked sensitive and cannot be read"};
        else if (!parse_date(expires))
          w.problem = {
              fmt::format("csapcheck:waive-expires '{}'가 YYYY-MM-DD 날짜가 아님", expires),
              fmt::format("csapcheck:waive-expires '{}' is not a YYYY-MM-DD date", expires)};
        out.push_back(std::move(w));
      }
    }
  }
  return out;
}

bool glob_match(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// ---- the lock file
// ----------------------------------------------------------------------------------

std::string lock_path_for(const std::string& attest_file) {
  fs::path p(attest_file);
  std::string ext = p.extension().string();
  if (ext == ".yaml" || ext == ".yml" || ext == ".json") p.replace_extension();
  return p.string() + ".lock.yaml";
}

Result<std::vector<LockEntry>> read_lock(const std::string& file) {
  auto text = read_text_file(file);
  if (!text) return std::unexpected(text.error());
  auto root = yaml::parse_one(*text, file);
  if (!root) return std::unexpected(root.error());
  if (!root->is_map())
    return fail("a lock file is a mapping with 'lock' and 'files'", yaml::loc(file, *root));
  const Node* schema = root->get("lock");
  if (!schema || !schema->is_scalar() || schema->scalar != kLockSchema)
    return fail(
        fmt::format("not a csapcheck evidence lock file ('lock: {}' expected)", kLockSchema),
        yaml::loc(file, schema ? *schema : *root));
  std::vector<LockEntry> out;
  const Node* files = root->get("files");
  if (!files || files->is_plain_null()) return out;
  if (!files->is_seq()) return fail("'files' must be a list", yaml::loc(file, *files));
  for (const auto& e : files->items) {
    const Node* p = e.get("path");
    const Node* h = e.get("sha256");
    if (!e.is_map() || !p || !h || !p->is_scalar() || !h->is_scalar())
      return fail("each lock entry needs 'path' and 'sha256'", yaml::loc(file, e));
    if (h->scalar.size() != 64 ||
        h->scalar.find_first_not_of("0123456789abcdef") != std::string::npos)
      return fail(fmt::format("'{}' is not a lower-case hex SHA-256", h->scalar),
                  yaml::loc(file, *h));
    out.push_back({p->scalar, h->scalar});
  }
  return out;
}

std::string lock_text(const std::vector<Attestation>& attestations,
                      const std::string& attest_file) {
  std::map<std::string, std::string> files;
  for (const auto& a : attestations)
    for (const auto& f : a.evidence)
      if (f.exists) files[f.key] = f.sha256;
  // The attestation file's name, on one line in the comment and quoted as a value.
  std::string name = fs::path(attest_file).filename().string();
  std::string comment_name = name;
  for (char& c : comment_name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  std::string out = fmt::format(
      "# Evidence hashes for {}, written by `csapcheck evidence lock`.\n"
      "# `csapcheck evidence verify` checks them; `csapcheck scan --attest` reads this file by "
      "itself, and an\n"
      "# attestation whose evidence no longer matches turns its control back to manual.\n"
      "lock: {}\nattestation: {}\nfiles:\n",
      comment_name, kLockSchema, yaml_quote(name));
  if (files.empty()) out.back() = ' ', out += "[]\n";
  for (const auto& [k, h] : files)
    out += fmt::format("  - path: {}\n    sha256: {}\n", yaml_quote(k), h);
  return out;
}

}  // namespace csap::evidence
