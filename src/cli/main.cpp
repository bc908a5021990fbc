// csapcheck: where a cloud deployment stands against CSAP (클라우드 보안인증제), before the
// auditor.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/gap.h"
#include "catalog/import.h"
#include "catalog/mapping.h"
#include "catalog/rule_controls.h"
#include "cli/evidence_cmds.h"
#include "cli/rules_extra.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/files.h"
#include "core/text.h"
#include "csap_version.h"
#include "engine/engine.h"
#include "engine/selftest.h"
#include "ingest/terraform.h"
#include "report/evidence_warnings.h"
#include "report/report.h"
#include "rules/ruleset.h"

namespace fs = std::filesystem;
using namespace csap;

namespace {

// An error that ends the command with its exit code.
struct Failure {
  Error error;
};

template <class T>
T must(Result<T> r) {
  if (!r) throw Failure{r.error()};
  return std::move(*r);
}
inline void must(Result<void> r) {
  if (!r) throw Failure{r.error()};
}

void write_atomically(const std::string& path, const std::string& content) {
  must(write_file_atomically(path, [&](std::ostream& out) { out << content; }));
}

// ---- shared loading
// -------------------------------------------------------------------------------

struct Loaded {
  catalog::Catalog cat;
  catalog::Profile profile;
  std::vector<catalog::Mapping> mappings;
  rules::RuleSet rules;
};

std::vector<catalog::Mapping> load_mappings(const catalog::Catalog& cat,
                                            const std::vector<std::string>& files, bool bundled) {
  std::vector<catalog::Mapping> out;
  if (bundled) out = must(catalog::bundled_mappings(cat.id));
  for (const auto& file : files) {
    auto text = must(read_text_file(file));
    auto m = must(catalog::load_mapping_text(text, file));
    if (m.catalog != cat.id)
      throw Failure{
          Error{Exit::kBadInput,
                fmt::format("mapping '{}' is for catalog '{}', not '{}'", m.id, m.catalog, cat.id),
                {file}}};
    out.push_back(std::move(m));
  }
  return out;
}

rules::ParamOverrides overrides_for(const std::vector<catalog::Mapping>& mappings,
                                    const std::string& tier) {
  rules::ParamOverrides ov;
  for (const auto& m : mappings)
    for (const auto& cm : m.controls)
      if (auto it = cm.params.find(tier); it != cm.params.end())
        for (const auto& [key, node] : it->second) ov[key] = node;
  return ov;
}

std::set<std::string> rule_ids(const rules::RuleSet& rs) {
  std::set<std::string> ids;
  for (const auto& r : rs.rules) ids.insert(r.id);
  return ids;
}

struct CommonOpts {
  std::string catalog = "csap";
  std::vector<std::string> mappings;
  std::vector<std::string> rule_dirs;
  bool no_bundled_rules = false;
  std::string lang;
  std::string profile, service, tier;
};

Loaded load_all(const CommonOpts& o, bool need_profile) {
  Loaded l;
  l.cat = must(catalog::load_catalog(o.catalog));
  if (need_profile) {
    if (!o.profile.empty()) {
      l.profile = must(l.cat.resolve_profile(o.profile));
    } else if (!o.service.empty() && !o.tier.empty()) {
      l.profile = must(l.cat.resolve_profile(o.service, o.tier));
    } else {
      std::string names;
      for (const auto& p : l.cat.profiles) names += (names.empty() ? "" : ", ") + p.id;
      throw Failure{Error{
          Exit::kUsage,
          fmt::format("choose a profile with --profile (catalog {}: {}) or --service and --tier",
                      l.cat.id, names),
          {}}};
    }
  }
  bool bundled_catalog = l.cat.source.starts_with("bundled:");
  l.mappings = load_mappings(l.cat, o.mappings, true);
  rules::LoadRulesOptions ro;
  ro.bundled = !o.no_bundled_rules;
  for (const auto& d : o.rule_dirs) ro.dirs.emplace_back(d);
  ro.overrides = overrides_for(l.mappings, l.profile.tier);
  l.rules = must(rules::load_rules(ro));
  auto ids = rule_ids(l.rules);
  for (const auto& m : l.mappings) {
    // A user's own catalog may not hold every control the bundled mapping names: those entries are
    // reported by the assessment, not fatal. Rules a mapping names must always exist.
    auto r = catalog::validate_mapping(m, l.cat, ids);
    if (!r) {
      bool unknown_control = r.error().message.find("rule") == std::string::npos;
      if (!(unknown_control && (!bundled_catalog && m.file.starts_with("bundled:"))))
        throw Failure{r.error()};
    }
  }
  if (need_profile) {
    // The profile decides what is checked: bundled rules serve only through the controls in scope
    // (a rule for 상-only R4 does not fail a 중 scan). Rules given with --rules always run.
    std::set<std::string> in_scope;
    for (const auto* c : l.cat.baseline(l.profile)) in_scope.insert(c->id);
    std::set<std::string> wanted;
    for (const auto& m : l.mappings)
      for (const auto& cm : m.controls)
        if (in_scope.count(cm.control)) wanted.insert(cm.rules.begin(), cm.rules.end());
    std::erase_if(l.rules.rules, [&](const rules::Rule& r) {
      return r.file.starts_with("bundled:") && !wanted.count(r.id);
    });
    l.rules.index();
  }
  return l;
}

// ---- scan
// -------------------------------------------------------------------------------------------

struct ScanOpts {
  CommonOpts common;
  std::vector<std::string> paths;
  std::vector<std::string> formats;
  std::vector<std::string> outputs;
  std::string output_dir;
  std::string fail_on = "high";
  unsigned jobs = 0;
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
  cli::EvidenceArgs evidence;
};

int cmd_scan(const ScanOpts& o) {
  Lang lang = detect_lang(o.common.lang);
  Loaded l = load_all(o.common, true);
  auto min_sev = rules::parse_severity(o.fail_on);
  if (!min_sev && o.fail_on != "none")
    throw Failure{
        Error{Exit::kUsage,
              fmt::format("--fail-on takes critical, high, medium, low, info or none, not '{}'",
                          o.fail_on),
              {}}};
  // Attestations and waivers are checked before anything else is done (every problem listed, exit
  // 3).
  auto ev = must(cli::load_evidence(o.evidence, l.cat, l.rules));

  Deployment d;
  std::vector<std::string> notes;
  ingest::LoadOptions lo;
  lo.notes = &notes;
  std::vector<fs::path> paths(o.paths.begin(), o.paths.end());
  must(ingest::load_inputs(paths, d, lo));
  cli::add_tag_waivers(ev, d, l.rules);

  report::Progress progress(!o.quiet, lang);
  engine::Options eo;
  eo.jobs = o.jobs;
  eo.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
  auto findings = engine::run(l.rules, d, eo);
  progress.finish();
  auto a = assess::assess(l.cat, l.profile, l.mappings, l.rules, d, std::move(findings),
                          std::move(ev.evidence));

  report::ReportInfo info;
  info.tool_version = CSAPCHECK_VERSION;
  info.generated_at = report::now_utc();
  info.lang = lang;
  info.verbose = o.verbose;
  info.warnings = notes;
  for (auto& n : ev.notes) info.warnings.push_back(std::move(n));
  for (auto& w : report::evidence_warnings(a, lang)) info.warnings.push_back(std::move(w));

  std::vector<std::string> formats =
      o.formats.empty() ? std::vector<std::string>{"console"} : o.formats;
  if (!o.outputs.empty() && o.outputs.size() != formats.size())
    throw Failure{Error{Exit::kUsage, "give one -o per --format (or use --output-dir)", {}}};
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const std::string& f = formats[i];
    std::string target =
        !o.outputs.empty() ? o.outputs[i]
        : !o.output_dir.empty()
            ? (fs::path(o.output_dir) / ("csapcheck-report." + report::extension(f))).string()
            : "-";
    if (!o.output_dir.empty()) fs::create_directories(o.output_dir);
    info.color = f == "console" && target == "-" && report::use_color(STDOUT_FILENO, o.no_color);
    must(report::write(f, target, a, info));
  }
  if (!min_sev) return 0;
  return assess::fails_at(a, *min_sev) ? static_cast<int>(Exit::kFindings) : 0;
}

// ---- catalog
// ----------------------------------------------------------------------------------------

int cmd_catalog_list() {
  for (const auto& name : catalog::bundled_names()) {
    auto c = must(catalog::load_bundled(name));
    std::size_t leaves = 0;
    for (const auto& ctl : c.controls) leaves += c.is_leaf(ctl) ? 1 : 0;
    fmt::print("{:<8} {:<12} {:<10} {:>4} controls  {}\n", c.id, c.version, c.status,
               c.controls.size(), c.title.get(detect_lang("")));
  }
  return 0;
}

int cmd_catalog_show(const std::string& cat_name, const std::string& id, Lang lang) {
  auto c = must(catalog::load_catalog(cat_name));
  if (id.empty()) {
    fmt::print("{} {} ({})\n{}\n", c.id, c.version, c.status, c.title.get(lang));
    if (!c.notice.empty()) fmt::print("\n{}\n", c.notice.get(lang));
    fmt::print("\n");
    for (const auto& ctl : c.controls)
      fmt::print("{}{:<10} {}\n", std::string(static_cast<std::size_t>(c.depth(ctl)) * 2, ' '),
                 ctl.id, ctl.title.get(lang));
    return 0;
  }
  const catalog::Control* ctl = c.find(id);
  if (!ctl)
    throw Failure{
        Error{Exit::kBadInput, fmt::format("no control '{}' in catalog {}", id, c.id), {}}};
  fmt::print("{}  {}\n", ctl->id, ctl->title.get(lang));
  if (!ctl->parent.empty()) fmt::print("parent: {}\n", ctl->parent);
  if (!ctl->kind.empty()) fmt::print("kind: {}\n", ctl->kind);
  if (!ctl->statement.empty()) fmt::print("{}\n", ctl->statement.get(lang));
  if (!ctl->basis.empty()) fmt::print("basis: {}\n", ctl->basis);
  if (!ctl->note.empty()) fmt::print("note: {}\n", ctl->note.get(lang));
  if (const auto* ap = c.effective_applies(*ctl)) {
    for (const auto& [svc, tiers] : *ap) {
      std::string t;
      for (const auto& x : tiers) t += (t.empty() ? "" : ", ") + x;
      fmt::print("applies: {}: {}\n", svc, t);
    }
  }
  return 0;
}

void print_control_line(const catalog::Catalog& c, const catalog::Control& ctl, Lang lang) {
  const catalog::Control* area = c.area_of(ctl.id);
  fmt::print("  {:<14} {}{}\n", ctl.id, ctl.title.get(lang),
             area && area != &ctl ? fmt::format("  [{} {}]", area->id, area->title.get(lang))
                                  : std::string());
}

int cmd_catalog_gap(const std::string& cat_name, const std::string& service,
                    const std::string& from, const std::string& to, const std::string& to_catalog,
                    Lang lang) {
  auto c = must(catalog::load_catalog(cat_name));
  if (to_catalog.empty()) {
    auto g = must(catalog::gap(c, service, from, to));
    fmt::print("{} {} · {}: {} → {}\n", c.id, c.version, service, from, to);
    if (!c.notice.empty() && c.status == "structure") fmt::print("{}\n", c.notice.get(lang));
    fmt::print("\n{} ({}):\n", lang == Lang::kKo ? "추가되는 통제" : "controls added",
               g.added.size());
    for (const auto* ctl : g.added) print_control_line(c, *ctl, lang);
    if (!g.removed.empty()) {
      fmt::print("\n{} ({}):\n",
                 lang == Lang::kKo ? "제외되는 통제" : "controls no longer in scope",
                 g.removed.size());
      for (const auto* ctl : g.removed) print_control_line(c, *ctl, lang);
    }
    return 0;
  }
  auto target = must(catalog::load_catalog(to_catalog));
  auto profile = must(c.resolve_profile(service, from));
  auto g = must(catalog::cross_gap(c, profile, target, to));
  fmt::print("{} {} ({}) → {} {}\n", g.from_catalog, g.from_profile, g.from_tier, g.to_catalog,
             g.to_tier);
  fmt::print("{}: {}{}\n", lang == Lang::kKo ? "대응 관계" : "correspondence", g.status,
             g.source.empty() ? "" : " (" + g.source + ")");
  if (!g.note.empty()) fmt::print("{}\n", g.note.get(lang));
  if (!target.notice.empty()) fmt::print("{}\n", target.notice.get(lang));
  fmt::print(
      "\n{} ({}; {} {}):\n",
      lang == Lang::kKo ? "대상 등급에서 요구되는 통제" : "controls required at the target grade",
      g.required.size(), g.required_leaves, lang == Lang::kKo ? "개 세부 통제" : "leaf controls");
  for (const auto* ctl : g.required)
    if (target.is_leaf(*ctl)) print_control_line(target, *ctl, lang);
  return 0;
}

// ---- rules
// ------------------------------------------------------------------------------------------

int cmd_rules_list(const CommonOpts& o, bool json) {
  if (json) {
    cli::RulesExtraArgs a;
    a.mappings = o.mappings;
    a.rule_dirs = o.rule_dirs;
    a.no_bundled_rules = o.no_bundled_rules;
    std::cout << must(cli::rules_list_json(a));
    return 0;
  }
  rules::LoadRulesOptions ro;
  ro.bundled = !o.no_bundled_rules;
  for (const auto& d : o.rule_dirs) ro.dirs.emplace_back(d);
  auto rs = must(rules::load_rules(ro));
  // Controls each rule serves, per catalog, from every bundled mapping.
  auto controls = must(catalog::rule_controls());
  Lang lang = detect_lang(o.lang);
  for (const auto& r : rs.rules) {
    std::string types, ctls;
    for (const auto& t : r.resource_types) types += (types.empty() ? "" : ",") + t;
    for (const auto& [cat, ids] : controls[r.id])
      for (const auto& c : ids) ctls += fmt::format("{}{}:{}", ctls.empty() ? "" : " ", cat, c);
    fmt::print("{:<22} {:<9} {}\n    {}\n    controls: {}\n", r.id, severity_name(r.severity),
               r.title.get(lang), types, ctls.empty() ? "-" : ctls);
  }
  fmt::print("{} rules\n", rs.rules.size());
  return 0;
}

int cmd_rules_show(const CommonOpts& o, const std::string& id) {
  rules::LoadRulesOptions ro;
  ro.bundled = !o.no_bundled_rules;
  for (const auto& d : o.rule_dirs) ro.dirs.emplace_back(d);
  auto rs = must(rules::load_rules(ro));
  const rules::Rule* r = rs.find(id);
  if (!r) throw Failure{Error{Exit::kBadInput, fmt::format("no rule '{}'", id), {}}};
  Lang lang = detect_lang(o.lang);
  fmt::print("{}  [{}]\n{}\n", r->id, severity_name(r->severity), r->title.get(lang));
  std::string types;
  for (const auto& t : r->resource_types) types += (types.empty() ? "" : ", ") + t;
  fmt::print("resources: {}\n", types);
  if (!r->rationale.empty()) fmt::print("\n{}\n", r->rationale.get(lang));
  if (!r->remediation.empty()) fmt::print("\n{}\n", r->remediation.get(lang));
  fmt::print("\nsource: {}:{}  tests: {}\n", r->file, r->line, r->tests.size());
  return 0;
}

int cmd_rules_test(const CommonOpts& o, const std::string& dir, const std::string& only,
                   bool quiet) {
  rules::LoadRulesOptions ro;
  ro.bundled = dir.empty() && !o.no_bundled_rules;
  if (!dir.empty()) ro.dirs.emplace_back(dir);
  for (const auto& d : o.rule_dirs) ro.dirs.emplace_back(d);
  auto rs = must(rules::load_rules(ro));
  engine::InputLoader loader = [](const fs::path& p, Deployment& d) {
    return ingest::load_terraform_file(p, d);
  };
  auto rep = engine::run_rule_tests(rs, loader, only);
  for (const auto& oc : rep.outcomes) {
    if (oc.ok && quiet) continue;
    if (oc.ok)
      fmt::print("ok    {} ({}:{})\n", oc.rule, oc.file, oc.line);
    else
      fmt::print("FAIL  {} ({}:{}): {}\n", oc.rule, oc.file, oc.line, oc.message);
  }
  std::size_t passed = rep.cases >= rep.failed ? rep.cases - std::min(rep.failed, rep.cases) : 0;
  fmt::print("{} rules, {} cases\n{} passed, {} failed\n", rep.rules, rep.cases, passed,
             rep.failed);
  if (rep.rules == 0) {
    fmt::print(stderr, "csapcheck: no rules to test\n");
    return static_cast<int>(Exit::kBadInput);
  }
  return rep.failed ? static_cast<int>(Exit::kFindings) : 0;
}

int cmd_rules_validate(const CommonOpts& o, const std::string& dir) {
  rules::LoadRulesOptions ro;
  ro.bundled = dir.empty();
  if (!dir.empty()) ro.dirs.emplace_back(dir);
  auto rs = must(rules::load_rules(ro));
  if (dir.empty()) {
    // The bundled mappings must name only rules that exist.
    auto ids = rule_ids(rs);
    for (const auto& name : catalog::bundled_names()) {
      auto cat = must(catalog::load_bundled(name));
      for (auto& m : load_mappings(cat, o.mappings, true))
        must(catalog::validate_mapping(m, cat, ids));
    }
  }
  fmt::print("{} rules valid\n", rs.rules.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "csapcheck: where a cloud deployment stands against CSAP (클라우드 보안인증제), before the "
      "auditor"};
  app.set_version_flag("--version", std::string("csapcheck ") + CSAPCHECK_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  CommonOpts common;
  auto add_common = [&](CLI::App* sub, bool with_profile) {
    sub->add_option("--catalog", common.catalog,
                    "Catalog: a bundled name (csap, isms-p, n2sf) or a file");
    sub->add_option("--mapping", common.mappings,
                    "An extra mapping file (catalog controls → rules)");
    sub->add_option("--rules", common.rule_dirs,
                    "A directory of extra rules (replaces bundled rules with the same id)");
    sub->add_flag("--no-bundled-rules", common.no_bundled_rules,
                  "Use only the rules given with --rules");
    sub->add_option("--lang", common.lang,
                    "Language of the output: ko or en (default: from the locale)")
        ->check(CLI::IsMember({"ko", "en"}));
    if (with_profile) {
      sub->add_option("--profile", common.profile,
                      "Profile, e.g. saas-moderate (service type × tier)");
      sub->add_option("--service", common.service, "Service type: iaas, saas, daas");
      sub->add_option("--tier", common.tier, "Tier: high, moderate, low (상, 중, 하)");
    }
  };

  ScanOpts scan;
  auto* scan_cmd = app.add_subcommand("scan", "Scan Terraform plans or states against a profile");
  scan_cmd->add_option("paths", scan.paths, "Plan or state JSON files, or directories")->required();
  add_common(scan_cmd, true);
  scan_cmd
      ->add_option(
          "--format", scan.formats,
          "Report format (repeatable): " +
              [] {
                std::string s;
                for (const auto& f : report::formats()) s += (s.empty() ? "" : ", ") + f;
                return s;
              }())
      ->check(CLI::IsMember(report::formats()));
  scan_cmd->add_option("-o,--output", scan.outputs,
                       "Output file, one per --format ('-' for standard output)");
  scan_cmd->add_option("--output-dir", scan.output_dir,
                       "Write each format to DIR/csapcheck-report.EXT");
  scan_cmd->add_option("--fail-on", scan.fail_on,
                       "Exit 1 when a failure at or above this severity (default high; 'none')");
  scan_cmd->add_option("--jobs", scan.jobs, "Threads for rule evaluation (default: all cores)");
  scan_cmd->add_flag("--no-color", scan.no_color, "No colour (also when NO_COLOR is set)");
  scan_cmd->add_flag("-q,--quiet", scan.quiet, "No progress line");
  scan_cmd->add_flag("-v,--verbose", scan.verbose, "List every control, passing ones too");
  auto add_evidence = [](CLI::App* sub, cli::EvidenceArgs& ev, bool waivers) {
    sub->add_option("--attest", ev.attest, "Attestation file (YAML, repeatable)");
    if (waivers) sub->add_option("--waivers", ev.waivers, "Waiver file (YAML, repeatable)");
    sub->add_option(
        "--evidence-root", ev.evidence_root,
        "Directory evidence paths are resolved under (default: the attestation file's directory)");
    if (waivers)
      sub->add_option("--today", ev.today,
                      "The date expiry is judged on, YYYY-MM-DD (default: today)");
  };
  add_evidence(scan_cmd, scan.evidence, true);

  std::string init_out;
  auto* init_cmd = app.add_subcommand(
      "init", "Write (or complete) an attestation file for the controls people must attest");
  add_common(init_cmd, true);
  init_cmd
      ->add_option("-o,--output", init_out,
                   "Attestation file to write; an existing one keeps its entries")
      ->required();

  auto* ev_cmd = app.add_subcommand("evidence", "Evidence files: lock their hashes, verify them");
  ev_cmd->require_subcommand(1);
  cli::EvidenceArgs ev_args;
  std::string lock_out, lock_in;
  auto* ev_lock = ev_cmd->add_subcommand(
      "lock", "Record the SHA-256 of every evidence file of an attestation file");
  add_evidence(ev_lock, ev_args, false);
  ev_lock->add_option("-o,--output", lock_out,
                      "Lock file (default: FILE.lock.yaml beside the attestation file)");
  add_common(ev_lock, false);
  auto* ev_verify = ev_cmd->add_subcommand(
      "verify", "Check the evidence files against the lock file (exit 1 on any change)");
  add_evidence(ev_verify, ev_args, false);
  ev_verify->add_option("--lock", lock_in,
                        "Lock file (default: FILE.lock.yaml beside the attestation file)");
  add_common(ev_verify, false);

  cli::RoadmapArgs roadmap_args;
  cli::EvidenceArgs roadmap_ev;
  std::string roadmap_to, roadmap_service = "iaas";
  auto* roadmap_cmd = app.add_subcommand(
      "roadmap", "What the deployment and the team still need for the target tier");
  roadmap_cmd->add_option("paths", roadmap_args.paths,
                          "Plan or state JSON files, or directories (optional)");
  roadmap_cmd->add_option("--from", roadmap_args.from, "Current tier (high, moderate, low)")
      ->required();
  roadmap_cmd->add_option("--to", roadmap_to, "Target tier")->required();
  roadmap_cmd->add_option("--service", roadmap_service, "Service type (default iaas)");
  roadmap_cmd->add_option("--format", roadmap_args.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  roadmap_cmd->add_option("--jobs", roadmap_args.jobs,
                          "Threads for rule evaluation (default: all cores)");
  add_evidence(roadmap_cmd, roadmap_ev, true);
  add_common(roadmap_cmd, false);

  auto* cat_cmd = app.add_subcommand("catalog", "Catalogs: list, show, gap, import, validate");
  cat_cmd->require_subcommand(1);
  auto* cat_list = cat_cmd->add_subcommand("list", "List the bundled catalogs");
  std::string show_id;
  auto* cat_show = cat_cmd->add_subcommand("show", "Show a catalog, or one control");
  cat_show->add_option("id", show_id, "Control id (all controls when omitted)");
  add_common(cat_show, false);
  std::string gap_from, gap_to, gap_service = "iaas", gap_to_catalog;
  auto* cat_gap = cat_cmd->add_subcommand("gap", "What moving from one tier to another adds");
  cat_gap->add_option("--from", gap_from, "Current tier (high, moderate, low)")->required();
  cat_gap->add_option("--to", gap_to, "Target tier (or an N²SF grade with --to-catalog n2sf)")
      ->required();
  cat_gap->add_option("--service", gap_service, "Service type (default iaas)");
  cat_gap->add_option("--to-catalog", gap_to_catalog,
                      "Target catalog for a cross-framework gap (n2sf)");
  add_common(cat_gap, false);
  std::string import_file, import_out, import_id = "csap", import_version,
                                       import_status = "official";
  auto* cat_import = cat_cmd->add_subcommand(
      "import", "Turn a CSV or XLSX copy of the official list into a catalog");
  cat_import
      ->add_option("file", import_file, "CSV (id,title_ko,title_en,kind,iaas,saas,daas) or .xlsx")
      ->required();
  cat_import->add_option("-o,--output", import_out, "Catalog YAML to write")->required();
  cat_import->add_option("--id", import_id,
                         "Catalog id (default csap, so that the bundled mapping applies)");
  cat_import->add_option("--catalog-version", import_version,
                         "Version of the list, e.g. the date of the 고시");
  cat_import->add_option("--status", import_status, "official (default) or custom");
  std::string validate_file;
  auto* cat_validate = cat_cmd->add_subcommand("validate", "Check a catalog file");
  cat_validate->add_option("file", validate_file)->required();

  auto* rules_cmd =
      app.add_subcommand("rules", "Rules: list, show, test, validate, coverage, docs");
  rules_cmd->require_subcommand(1);
  std::string rules_format = "text";
  auto* rules_list = rules_cmd->add_subcommand(
      "list", "List the rules with severity, resource types and controls");
  rules_list->add_option("--format", rules_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  add_common(rules_list, false);
  std::string rule_id;
  auto* rules_show = rules_cmd->add_subcommand("show", "Show one rule");
  rules_show->add_option("id", rule_id)->required();
  add_common(rules_show, false);
  std::string test_dir, test_only;
  bool test_quiet = false;
  auto* rules_test = rules_cmd->add_subcommand("test", "Run every rule's own test cases");
  rules_test->add_option("dir", test_dir, "A rule directory (default: the bundled rules)");
  rules_test->add_option("--rule", test_only, "Only this rule");
  rules_test->add_flag("-q,--quiet", test_quiet, "Print failures only");
  add_common(rules_test, false);
  std::string validate_dir;
  auto* rules_validate =
      rules_cmd->add_subcommand("validate", "Check rule files (and the bundled mappings)");
  rules_validate->add_option("dir", validate_dir, "A rule directory (default: the bundled rules)");
  add_common(rules_validate, false);
  cli::RulesExtraArgs extra;
  auto* rules_coverage = rules_cmd->add_subcommand(
      "coverage", "How many controls the rules automate, per catalog, profile and area");
  rules_coverage->add_option(
      "--catalog", extra.catalogs,
      "Catalog (repeatable): csap, isms-p, n2sf or a file (default: every bundled one)");
  rules_coverage->add_option("--profile", extra.profile, "Only this profile, e.g. iaas-high");
  rules_coverage->add_option("--format", extra.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  rules_coverage->add_option("--mapping", extra.mappings, "An extra mapping file");
  rules_coverage->add_option("--rules", extra.rule_dirs, "A directory of extra rules");
  rules_coverage->add_flag("--no-bundled-rules", extra.no_bundled_rules,
                           "Use only the rules given with --rules");
  rules_coverage->add_option("--lang", extra.lang, "ko or en")->check(CLI::IsMember({"ko", "en"}));
  std::string docs_dir;
  auto* rules_docs =
      rules_cmd->add_subcommand("docs", "Write one Markdown page per rule and an index");
  rules_docs->add_option("-o,--output", docs_dir, "Directory, e.g. docs/rules")->required();
  rules_docs->add_option("--rules", extra.rule_dirs, "A directory of extra rules");
  rules_docs->add_flag("--no-bundled-rules", extra.no_bundled_rules,
                       "Use only the rules given with --rules");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(Exit::kUsage);
  }

  try {
    Lang lang = detect_lang(common.lang);
    if (*scan_cmd) {
      scan.common = common;
      return cmd_scan(scan);
    }
    if (*init_cmd) {
      Loaded l = load_all(common, true);
      return cli::cmd_init(l.cat, l.profile, l.mappings, l.rules, init_out);
    }
    if (*ev_lock || *ev_verify) {
      Loaded l = load_all(common, false);
      return *ev_lock ? cli::cmd_evidence_lock(l.cat, l.rules, ev_args, lock_out)
                      : cli::cmd_evidence_verify(l.cat, l.rules, ev_args, lock_in);
    }
    if (*roadmap_cmd) {
      common.service = roadmap_service;
      common.tier = roadmap_to;
      common.profile.clear();
      Loaded l = load_all(common, true);
      roadmap_args.lang = lang;
      return cli::cmd_roadmap(l.cat, l.profile, l.mappings, l.rules, roadmap_ev, roadmap_args);
    }
    if (*cat_list) return cmd_catalog_list();
    if (*cat_show) return cmd_catalog_show(common.catalog, show_id, lang);
    if (*cat_validate) {
      auto c = must(catalog::load_catalog(validate_file));
      fmt::print("{}: catalog {} {} ({}), {} controls, {} profiles: valid\n", validate_file, c.id,
                 c.version, c.status, c.controls.size(), c.profiles.size());
      return 0;
    }
    if (*cat_import) {
      catalog::ImportOptions io;
      io.catalog_id = import_id;
      io.version = import_version;
      io.status = import_status;
      auto rep = catalog::import_table(import_file, io);
      for (const auto& w : rep.warnings) fmt::print(stderr, "csapcheck: warning: {}\n", w);
      if (!rep.ok()) throw Failure{rep.error()};
      must(catalog::load_catalog_text(rep.yaml, import_out));  // what we write must load
      write_atomically(import_out, rep.yaml);
      fmt::print(stderr, "csapcheck: wrote {} ({} controls)\n", import_out, rep.ids.size());
      return 0;
    }
    if (*cat_gap)
      return cmd_catalog_gap(common.catalog, gap_service, gap_from, gap_to, gap_to_catalog, lang);
    if (*rules_list) return cmd_rules_list(common, rules_format == "json");
    if (*rules_show) return cmd_rules_show(common, rule_id);
    if (*rules_test) return cmd_rules_test(common, test_dir, test_only, test_quiet);
    if (*rules_validate) return cmd_rules_validate(common, validate_dir);
    if (*rules_coverage) {
      std::cout << must(cli::rules_coverage(extra));
      return 0;
    }
    if (*rules_docs) {
      auto n = must(cli::rules_docs(extra, docs_dir));
      fmt::print(stderr, "csapcheck: wrote {} pages to {}\n", n, docs_dir);
      return 0;
    }
  } catch (const Failure& f) {
    fmt::print(stderr, "csapcheck: {}\n", f.error.str());
    return static_cast<int>(f.error.code);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "csapcheck: out of memory\n");
    return static_cast<int>(Exit::kBadInput);
  } catch (const std::exception& e) {
    fmt::print(stderr, "csapcheck: internal error: {}\n", e.what());
    return static_cast<int>(Exit::kInternal);
  }
  return static_cast<int>(Exit::kUsage);
}
