#include "cli/evidence_cmds.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "assess/roadmap.h"
#include "catalog/gap.h"
#include "core/files.h"
#include "engine/engine.h"
#include "evidence/evidence.h"
#include "ingest/terraform.h"
#include "report/console.h"
#include "report/evidence_warnings.h"
#include "report/roadmap.h"

namespace csap::cli {
namespace fs = std::filesystem;

namespace {

std::set<std::string> rule_ids(const rules::RuleSet& rs) {
  std::set<std::string> ids;
  for (const auto& r : rs.rules) ids.insert(r.id);
  return ids;
}

Result<evidence::Loaded> read_all(const EvidenceArgs& args, const catalog::Catalog& cat,
                                  const rules::RuleSet& rules, bool read_locks) {
  auto ids = rule_ids(rules);
  evidence::LoadOptions lo;
  lo.catalog = &cat;
  lo.rule_ids = &ids;
  lo.evidence_root = args.evidence_root;
  lo.read_locks = read_locks;
  auto loaded = evidence::load(args.attest, args.waivers, lo);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) fmt::print(stderr, "csapcheck: {}\n", e.str());
    return fail(
        fmt::format("{} problem(s) in the attestation and waiver files; nothing was written",
                    loaded.errors.size()));
  }
  return loaded;
}

}  // namespace

Result<LoadedEvidence> load_evidence(const EvidenceArgs& args, const catalog::Catalog& cat,
                                     const rules::RuleSet& rules) {
  LoadedEvidence out;
  out.evidence.today = args.today;
  if (!args.today.empty() && !evidence::parse_date(args.today))
    return fail(fmt::format("--today takes a date written YYYY-MM-DD, not '{}'", args.today), {},
                Exit::kUsage);
  if (out.evidence.today.empty()) out.evidence.today = evidence::today_local();
  if (args.attest.empty() && args.waivers.empty()) return out;
  auto loaded = read_all(args, cat, rules, true);
  if (!loaded) return std::unexpected(loaded.error());
  out.evidence.attestations = std::move(loaded->attestations);
  out.evidence.waivers = std::move(loaded->waivers);
  out.notes = std::move(loaded->notes);
  return out;
}

void add_tag_waivers(LoadedEvidence& ev, const Deployment& d, const rules::RuleSet& rules) {
  auto ids = rule_ids(rules);
  for (auto& w : evidence::tag_waivers(d, &ids)) ev.evidence.waivers.push_back(std::move(w));
}

// ---- init
// ---------------------------------------------------------------------------------------------

int cmd_init(const catalog::Catalog& cat, const catalog::Profile& profile,
             const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
             const std::string& out) {
  Deployment empty;
  auto a = assess::assess(cat, profile, mappings, rules, empty, {});
  std::vector<evidence::SkeletonEntry> entries;
  for (const auto& cr : a.controls) {
    bool people = cr.control->kind == "procedural" || cr.control->kind == "physical";
    if (!cr.needs_attestation && !people) continue;
    entries.push_back({cr.control, cr.evidence});
  }
  std::error_code ec;
  if (out != "-" && fs::exists(out, ec)) {
    auto text = read_text_file(out);
    if (!text) {
      fmt::print(stderr, "csapcheck: {}\n", text.error().str());
      return static_cast<int>(text.error().code);
    }
    auto merged = evidence::merge_skeleton(*text, out, cat, profile, entries);
    if (!merged) {
      fmt::print(stderr, "csapcheck: {}\n", merged.error().str());
      return static_cast<int>(merged.error().code);
    }
    if (merged->added.empty()) {
      fmt::print(stderr, "csapcheck: {} already lists all {} controls; nothing to add\n", out,
                 merged->kept);
      return 0;
    }
    auto w = write_file_atomically(out, [&](std::ostream& os) { os << merged->text; });
    if (!w) {
      fmt::print(stderr, "csapcheck: {}\n", w.error().str());
      return static_cast<int>(w.error().code);
    }
    std::string ids;
    for (const auto& id : merged->added) ids += (ids.empty() ? "" : ", ") + id;
    fmt::print(stderr, "csapcheck: added {} control(s) to {} ({}); kept the {} already there\n",
               merged->added.size(), out, ids, merged->kept);
    return 0;
  }
  auto w = write_file_atomically(
      out, [&](std::ostream& os) { os << evidence::skeleton_text(cat, profile, entries); });
  if (!w) {
    fmt::print(stderr, "csapcheck: {}\n", w.error().str());
    return static_cast<int>(w.error().code);
  }
  if (out != "-")
    fmt::print(stderr,
               "csapcheck: wrote {} with {} control(s) to attest; fill in status, evidence, owner "
               "and dates\n",
               out, entries.size());
  return 0;
}

// ---- evidence lock / verify
// -----------------------------------------------------------------------------

int cmd_evidence_lock(const catalog::Catalog& cat, const rules::RuleSet& rules,
                      const EvidenceArgs& args, const std::string& out) {
  if (args.attest.size() != 1) {
    fmt::print(stderr, "csapcheck: give exactly one --attest FILE to lock\n");
    return static_cast<int>(Exit::kUsage);
  }
  auto loaded = read_all(args, cat, rules, false);
  if (!loaded) {
    fmt::print(stderr, "csapcheck: {}\n", loaded.error().str());
    return static_cast<int>(loaded.error().code);
  }
  std::size_t missing = 0, files = 0;
  for (const auto& a : loaded->attestations)
    for (const auto& f : a.evidence) {
      if (f.exists)
        ++files;
      else {
        ++missing;
        fmt::print(stderr, "csapcheck: {}:{}: evidence file missing: {}\n", a.file, a.line, f.path);
      }
    }
  if (missing) {
    fmt::print(stderr, "csapcheck: {} evidence file(s) missing; nothing was written\n", missing);
    return static_cast<int>(Exit::kBadInput);
  }
  std::string target = out.empty() ? evidence::lock_path_for(args.attest.front()) : out;
  auto w = write_file_atomically(target, [&](std::ostream& os) {
    os << evidence::lock_text(loaded->attestations, args.attest.front());
  });
  if (!w) {
    fmt::print(stderr, "csapcheck: {}\n", w.error().str());
    return static_cast<int>(w.error().code);
  }
  if (target != "-")
    fmt::print(stderr, "csapcheck: locked {} evidence file(s) in {}\n", files, target);
  return 0;
}

int cmd_evidence_verify(const catalog::Catalog& cat, const rules::RuleSet& rules,
                        const EvidenceArgs& args, const std::string& lock_file) {
  if (args.attest.size() != 1) {
    fmt::print(stderr, "csapcheck: give exactly one --attest FILE to verify\n");
    return static_cast<int>(Exit::kUsage);
  }
  std::string lp = lock_file.empty() ? evidence::lock_path_for(args.attest.front()) : lock_file;
  if (!fs::exists(lp)) {
    fmt::print(
        stderr,
        "csapcheck: {}: no lock file; write one with `csapcheck evidence lock --attest {}`\n", lp,
        args.attest.front());
    return static_cast<int>(Exit::kBadInput);
  }
  auto lock = evidence::read_lock(lp);
  if (!lock) {
    fmt::print(stderr, "csapcheck: {}\n", lock.error().str());
    return static_cast<int>(lock.error().code);
  }
  auto loaded = read_all(args, cat, rules, false);
  if (!loaded) {
    fmt::print(stderr, "csapcheck: {}\n", loaded.error().str());
    return static_cast<int>(loaded.error().code);
  }
  std::map<std::string, std::string> locked;
  for (const auto& e : *lock) locked[e.key] = e.sha256;
  std::size_t ok = 0, bad = 0;
  std::set<std::string> seen;
  for (const auto& a : loaded->attestations)
    for (const auto& f : a.evidence) {
      if (!seen.insert(f.key).second) continue;
      auto it = locked.find(f.key);
      std::string state;
      if (!f.exists)
        state = "missing";
      else if (it == locked.end())
        state = "not locked";
      else if (it->second != f.sha256)
        state = "changed";
      if (state.empty()) {
        ++ok;
        fmt::print("ok       {}\n", f.key);
      } else {
        ++bad;
        fmt::print("{:<8} {}  (control {}, {}:{})\n", state, f.key, a.control, a.file, a.line);
      }
    }
  fmt::print("{} evidence file(s) match the lock, {} do not\n", ok, bad);
  return bad ? static_cast<int>(Exit::kFindings) : 0;
}

// ---- roadmap
// ------------------------------------------------------------------------------------------

int cmd_roadmap(const catalog::Catalog& cat, const catalog::Profile& profile,
                const std::vector<catalog::Mapping>& mappings, const rules::RuleSet& rules,
                const EvidenceArgs& ev_args, const RoadmapArgs& args) {
  auto g = catalog::gap(cat, profile.service, args.from, profile.tier);
  if (!g) {
    fmt::print(stderr, "csapcheck: {}\n", g.error().str());
    return static_cast<int>(g.error().code);
  }
  auto ev = load_evidence(ev_args, cat, rules);
  if (!ev) {
    fmt::print(stderr, "csapcheck: {}\n", ev.error().str());
    return static_cast<int>(ev.error().code);
  }
  Deployment d;
  std::vector<std::string> notes;
  if (!args.paths.empty()) {
    ingest::LoadOptions lo;
    lo.notes = &notes;
    std::vector<fs::path> paths(args.paths.begin(), args.paths.end());
    auto r = ingest::load_inputs(paths, d, lo);
    if (!r) {
      fmt::print(stderr, "csapcheck: {}\n", r.error().str());
      return static_cast<int>(r.error().code);
    }
    add_tag_waivers(*ev, d, rules);
  }
  engine::Options eo;
  eo.jobs = args.jobs;
  auto findings = engine::run(rules, d, eo);
  auto a = assess::assess(cat, profile, mappings, rules, d, std::move(findings),
                          std::move(ev->evidence));
  auto rm = assess::roadmap(a, *g);
  if (args.format == "json") {
    report::write_roadmap_json(std::cout, rm, a);
  } else {
    report::write_roadmap_text(std::cout, rm, a, args.lang);
    if (args.paths.empty())
      std::cout
          << '\n'
          << (args.lang == Lang::kKo
                  ? "배포 입력(plan/state)이 없어 자동 점검 통제는 증적 확인 항목으로 표시됩니다.\n"
                  : "No plan or state given: automated controls show as needing confirmation.\n");
    auto warnings = report::evidence_warnings(a, args.lang);
    for (const auto& n : notes) warnings.push_back(n);
    if (!warnings.empty()) {
      std::cout << '\n' << (args.lang == Lang::kKo ? "경고" : "Warnings") << '\n';
      for (const auto& w : warnings) std::cout << "  ! " << report::terminal_escape(w) << '\n';
    }
  }
  return 0;
}

}  // namespace csap::cli
