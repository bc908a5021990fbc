// scan, init, evidence lock|verify and roadmap: arguments in, app pipeline, output printed.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "app/config.h"
#include "app/evidence_ops.h"
#include "app/history.h"
#include "app/pipeline.h"
#include "app/signing.h"
#include "assess/roadmap.h"
#include "cli/command.h"
#include "core/files.h"
#include "core/text.h"
#include "csap_version.h"
#include "report/console.h"
#include "report/evidence_warnings.h"
#include "report/report.h"
#include "report/roadmap.h"
#include "rules/rule.h"

namespace csap::cli {
namespace fs = std::filesystem;

void add_common(CLI::App& a, CommonOpts& o, bool with_profile) {
  a.add_option("--catalog", o.sources.catalog,
               "Catalog: a bundled name (csap, isms-p, n2sf) or a file");
  a.add_option("--mapping", o.sources.mappings, "An extra mapping file (catalog controls → rules)");
  a.add_option("--rules", o.sources.rule_dirs,
               "A directory of extra rules (replaces bundled rules with the same id)");
  a.add_flag("--no-bundled-rules", o.sources.no_bundled_rules,
             "Use only the rules given with --rules");
  a.add_option("--lang", o.lang, "Language of the output: ko or en (default: from the locale)")
      ->check(CLI::IsMember({"ko", "en"}));
  if (with_profile) {
    a.add_option("--profile", o.profile.profile,
                 "Profile, e.g. saas-moderate (service type × tier)");
    a.add_option("--service", o.profile.service, "Service type: iaas, saas, daas");
    a.add_option("--tier", o.profile.tier, "Tier: high, moderate, low (상, 중, 하)");
  }
}

void add_evidence(CLI::App& a, app::EvidenceOptions& ev, bool waivers) {
  a.add_option("--attest", ev.attest, "Attestation file (YAML, repeatable)");
  if (waivers) a.add_option("--waivers", ev.waivers, "Waiver file (YAML, repeatable)");
  a.add_option(
      "--evidence-root", ev.evidence_root,
      "Directory evidence paths are resolved under (default: the attestation file's directory)");
  if (waivers)
    a.add_option("--today", ev.today, "The date expiry is judged on, YYYY-MM-DD (default: today)");
}

namespace {

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
  app::EvidenceOptions evidence;
  std::string config;
  std::string system;
  std::string store;
  std::string baseline;
  std::string sign_key;
  std::string store_for_baseline;  // where a baseline run id is looked up
  const CLI::App* cli = nullptr;   // to tell options given on the command line from defaults
  bool make_output_dirs = false;   // outputs named by the config: create their directories
};

void scan_options(CLI::App& a, ScanOpts& o) {
  o.cli = &a;
  a.add_option("paths", o.paths, "Plan or state JSON files, or directories")->required();
  a.add_option("--config", o.config,
               "Project config (default: .csapcheck.yaml in the scanned directory or above)");
  a.add_option("--system", o.system, "Name of the system scanned");
  a.add_option("--store", o.store,
               "Record the run in the history store (FILE; default .csapcheck/history.db beside "
               "the config; write --store=FILE before the paths)")
      ->expected(0, 1);
  a.add_option("--sign", o.sign_key,
               "Sign the JSON report with this private key (csapcheck keygen): REPORT.sig");
  a.add_option("--baseline", o.baseline,
               "A JSON report or a recorded run (id, latest, previous): exit 1 only on failures "
               "that are not in it");
  add_common(a, o.common, true);
  std::string names;
  for (const auto& f : report::formats()) names += (names.empty() ? "" : ", ") + f;
  a.add_option("--format", o.formats, "Report format (repeatable): " + names)
      ->check(CLI::IsMember(report::formats()));
  a.add_option("-o,--output", o.outputs, "Output file, one per --format ('-' for standard output)");
  a.add_option("--output-dir", o.output_dir, "Write each format to DIR/csapcheck-report.EXT");
  a.add_option("--fail-on", o.fail_on,
               "Exit 1 when a failure at or above this severity (default high; 'none')");
  a.add_option("--jobs", o.jobs, "Threads for rule evaluation (default: all cores)");
  a.add_flag("--no-color", o.no_color, "No colour (also when NO_COLOR is set)");
  a.add_flag("-q,--quiet", o.quiet, "No progress line");
  a.add_flag("-v,--verbose", o.verbose, "List every control, passing ones too");
  add_evidence(a, o.evidence, true);
}

bool given(const ScanOpts& o, const char* name) {
  const CLI::Option* opt = o.cli ? o.cli->get_option_no_throw(name) : nullptr;
  return opt && opt->count() > 0;
}

// The project config with the options given on the command line laid over it.
Result<app::ProjectConfig> merged_config(const ScanOpts& o) {
  auto cfg = app::resolve_config(o.config, o.paths);
  if (!cfg) return cfg;
  static const std::pair<const char*, const char*> kOptions[] = {
      {"system", "--system"},    {"profile", "--profile"}, {"catalog", "--catalog"},
      {"mappings", "--mapping"}, {"rules", "--rules"},     {"attest", "--attest"},
      {"waivers", "--waivers"},  {"formats", "--format"},  {"outputs", "--output"},
      {"fail-on", "--fail-on"},  {"store", "--store"},
  };
  for (auto [key, name] : kOptions)
    if (given(o, name)) cfg->override_with(key, o.cli->get_option_no_throw(name)->results());
  if (given(o, "--service") || given(o, "--tier")) cfg->settings.erase("profile");
  if (given(o, "--output-dir")) cfg->settings.erase("outputs");
  if (given(o, "--store") && cfg->value("store").empty())
    cfg->settings["store"] = app::Setting{{app::default_store(*cfg)}, "command line"};
  return cfg;
}

// The scan's options once the project config has filled in what the command line left out.
Result<ScanOpts> with_config(const ScanOpts& given_opts) {
  auto cfg = merged_config(given_opts);
  if (!cfg) return forward(cfg);
  ScanOpts o = given_opts;
  auto list = [&](const char* key, std::vector<std::string>& into) {
    if (const app::Setting* s = cfg->get(key)) into = s->values;
  };
  o.system = cfg->value("system");
  o.common.profile.profile = cfg->value("profile", o.common.profile.profile);
  o.common.sources.catalog = cfg->value("catalog", o.common.sources.catalog);
  list("mappings", o.common.sources.mappings);
  list("rules", o.common.sources.rule_dirs);
  list("attest", o.evidence.attest);
  list("waivers", o.evidence.waivers);
  list("formats", o.formats);
  list("outputs", o.outputs);
  if (const app::Setting* s = cfg->get("outputs"); s && s->origin != "command line")
    o.make_output_dirs = true;  // a fresh checkout has no report directory yet
  o.fail_on = cfg->value("fail-on", o.fail_on);
  o.store = cfg->value("store");
  o.store_for_baseline = o.store.empty() ? app::default_store(*cfg) : o.store;
  for (const auto& f : o.formats)
    if (std::ranges::find(report::formats(), f) == report::formats().end())
      return fail(fmt::format("unknown report format '{}'", f),
                  SourceLoc(cfg->get("formats")->origin), Exit::kUsage);
  return o;
}

Result<int> config_show(const ScanOpts& o) {
  auto cfg = merged_config(o);
  if (!cfg) return forward(cfg);
  app::write_config(std::cout, *cfg);
  return 0;
}

Result<int> scan(const ScanOpts& given_opts) {
  auto merged = with_config(given_opts);
  if (!merged) return forward(merged);
  const ScanOpts& o = *merged;
  Lang lang = detect_lang(o.common.lang);
  auto min_sev = rules::parse_severity(o.fail_on);
  if (!min_sev && o.fail_on != "none")
    return fail(fmt::format("--fail-on takes critical, high, medium, low, info or none, not '{}'",
                            o.fail_on),
                {}, Exit::kUsage);
  std::vector<std::string> formats =
      o.formats.empty() ? std::vector<std::string>{"console"} : o.formats;
  if (!o.outputs.empty() && o.outputs.size() != formats.size())
    return fail("give one -o per --format (or use --output-dir)", {}, Exit::kUsage);
  // The JSON reports written to a file: those --sign signs.
  std::vector<std::string> signed_reports;
  for (std::size_t i = 0; i < formats.size(); ++i)
    if (formats[i] == "json") {
      std::string target = !o.outputs.empty() ? o.outputs[i]
                           : !o.output_dir.empty()
                               ? (fs::path(o.output_dir) / "csapcheck-report.json").string()
                               : "-";
      if (target != "-") signed_reports.push_back(target);
    }
  if (!o.sign_key.empty() && signed_reports.empty())
    return fail("--sign signs the JSON report: add --format json with -o FILE or --output-dir", {},
                Exit::kUsage);
  auto loaded = app::load(o.common.sources, &o.common.profile);
  if (!loaded) return forward(loaded);

  report::Progress progress(!o.quiet, lang);
  app::RunOptions ro;
  ro.paths = o.paths;
  ro.evidence = o.evidence;
  ro.jobs = o.jobs;
  ro.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
  auto run = app::run(std::move(*loaded), ro);
  if (!run) return forward(run);
  progress.finish();
  const auto& a = run->assessment;

  report::ReportInfo info;
  info.tool_version = CSAPCHECK_VERSION;
  info.generated_at = report::now_utc();
  info.lang = lang;
  info.verbose = o.verbose;
  info.warnings = run->input_notes;
  for (const auto& n : run->evidence_notes) info.warnings.push_back(n);
  for (auto& w : report::evidence_warnings(a, lang)) info.warnings.push_back(std::move(w));

  if (!o.output_dir.empty()) {
    std::error_code ec;
    fs::create_directories(o.output_dir, ec);
    if (ec)
      return fail(fmt::format("cannot create the output directory: {}", ec.message()),
                  {o.output_dir});
  }
  auto target_of = [&](std::size_t i) {
    return !o.outputs.empty() ? o.outputs[i]
           : !o.output_dir.empty()
               ? (fs::path(o.output_dir) / ("csapcheck-report." + report::extension(formats[i])))
                     .string()
               : std::string("-");
  };
  // No report is written over one of the inputs (nothing is written when one would be).
  std::vector<std::string> inputs;
  for (const auto& in : run->deployment->inputs) inputs.push_back(in.path);
  for (const auto* list :
       {&o.paths, &o.evidence.attest, &o.evidence.waivers, &o.common.sources.mappings})
    inputs.insert(inputs.end(), list->begin(), list->end());
  inputs.push_back(o.common.sources.catalog);
  for (std::size_t i = 0; i < formats.size(); ++i)
    if (auto same = check_output_not_input(target_of(i), inputs); !same) return forward(same);
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const std::string& f = formats[i];
    std::string target = target_of(i);
    info.color = f == "console" && target == "-" && report::use_color(STDOUT_FILENO, o.no_color);
    if (o.make_output_dirs && target != "-" && fs::path(target).has_parent_path()) {
      std::error_code ec;
      fs::create_directories(fs::path(target).parent_path(), ec);
      if (ec)
        return fail(fmt::format("cannot create the output directory: {}", ec.message()),
                    {fs::path(target).parent_path().string()});
    }
    if (auto w = report::write(f, target, a, info); !w) return forward(w);
  }
  if (!o.sign_key.empty())
    for (const auto& r : signed_reports) {
      auto sig = app::sign_report(r, o.sign_key);
      if (!sig) return forward(sig);
      if (!o.quiet) fmt::print(stderr, "csapcheck: signed {} in {}\n", r, *sig);
    }
  // The baseline is read before this run is recorded: "latest" is the run before this one.
  std::optional<store::RunRecord> baseline;
  if (!o.baseline.empty()) {
    auto b = app::resolve_run(o.baseline, o.store_for_baseline, o.system);
    if (!b) return forward(b);
    baseline = std::move(*b);
  }
  if (!o.store.empty()) {
    auto id = store::record(o.store, app::to_record(a, o.system.empty() ? "default" : o.system,
                                                    CSAPCHECK_VERSION, info.generated_at));
    if (!id) return forward(id);
    if (!o.quiet) fmt::print(stderr, "csapcheck: recorded run {} in {}\n", *id, o.store);
  }
  if (!min_sev) return 0;
  if (baseline) {
    auto d = app::diff(*baseline, app::to_record(a, o.system, CSAPCHECK_VERSION, {}));
    std::size_t blocking = 0;
    for (const auto& f : d.added)
      if (auto sev = rules::parse_severity(f.severity); sev && *sev >= *min_sev) ++blocking;
    if (!o.quiet)
      fmt::print(stderr,
                 "csapcheck: against the baseline: {} new failure(s) ({} at or above {}), "
                 "{} fixed, {} unchanged\n",
                 d.added.size(), blocking, o.fail_on, d.fixed.size(), d.unchanged.size());
    return blocking ? static_cast<int>(Exit::kFindings) : 0;
  }
  return assess::fails_at(a, *min_sev) ? static_cast<int>(Exit::kFindings) : 0;
}

// ---- init
// -------------------------------------------------------------------------------------------

struct InitOpts {
  CommonOpts common;
  std::string out;
};

Result<int> init(const InitOpts& o) {
  auto loaded = app::load(o.common.sources, &o.common.profile);
  if (!loaded) return forward(loaded);
  auto r = app::init(std::move(*loaded), o.out);
  if (!r) return forward(r);
  if (r->merged && r->added.empty()) {
    fmt::print(stderr, "csapcheck: {} already lists all {} controls; nothing to add\n", o.out,
               r->kept);
  } else if (r->merged) {
    std::string ids;
    for (const auto& id : r->added) ids += (ids.empty() ? "" : ", ") + id;
    fmt::print(stderr, "csapcheck: added {} control(s) to {} ({}); kept the {} already there\n",
               r->added.size(), o.out, ids, r->kept);
  } else if (o.out != "-") {
    fmt::print(stderr,
               "csapcheck: wrote {} with {} control(s) to attest; fill in status, evidence, owner "
               "and dates\n",
               o.out, r->written);
  }
  return 0;
}

// ---- evidence lock / verify
// -------------------------------------------------------------------------

struct LockOpts {
  CommonOpts common;
  app::EvidenceOptions evidence;
  std::string file;  // the lock file
};

Result<int> evidence_lock(const LockOpts& o) {
  auto loaded = app::load(o.common.sources, nullptr);
  if (!loaded) return forward(loaded);
  auto r = app::lock(*loaded, o.evidence, o.file);
  if (!r) return forward(r);
  if (r->target != "-")
    fmt::print(stderr, "csapcheck: locked {} evidence file(s) in {}\n", r->files, r->target);
  return 0;
}

Result<int> evidence_verify(const LockOpts& o) {
  auto loaded = app::load(o.common.sources, nullptr);
  if (!loaded) return forward(loaded);
  auto r = app::verify(*loaded, o.evidence, o.file);
  if (!r) return forward(r);
  for (const auto& l : r->lines) {
    if (l.state.empty())
      fmt::print("ok       {}\n", l.key);
    else
      fmt::print("{:<8} {}  (control {}, {}:{}{})\n", l.state, l.key, l.control, l.file, l.line,
                 l.detail.empty() ? "" : "; " + l.detail);
  }
  fmt::print("{} evidence file(s) match the lock, {} do not\n", r->ok, r->bad);
  return r->bad ? static_cast<int>(Exit::kFindings) : 0;
}

// ---- roadmap
// ----------------------------------------------------------------------------------------

struct RoadmapOpts {
  CommonOpts common;
  app::EvidenceOptions evidence;
  std::vector<std::string> paths;
  std::string from, to, service = "iaas";
  std::string format = "text";
  unsigned jobs = 0;
};

void roadmap_options(CLI::App& a, RoadmapOpts& o) {
  a.add_option("paths", o.paths, "Plan or state JSON files, or directories (optional)");
  a.add_option("--from", o.from, "Current tier (high, moderate, low)")->required();
  a.add_option("--to", o.to, "Target tier")->required();
  a.add_option("--service", o.service, "Service type (default iaas)");
  a.add_option("--format", o.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  a.add_option("--jobs", o.jobs, "Threads for rule evaluation (default: all cores)");
  add_evidence(a, o.evidence, true);
  add_common(a, o.common, false);
}

Result<int> roadmap(const RoadmapOpts& o) {
  Lang lang = detect_lang(o.common.lang);
  app::ProfileChoice target{{}, o.service, o.to};
  auto loaded = app::load(o.common.sources, &target);
  if (!loaded) return forward(loaded);
  app::RunOptions ro;
  ro.paths = o.paths;
  ro.evidence = o.evidence;
  ro.jobs = o.jobs;
  auto r = app::roadmap(std::move(*loaded), o.from, ro);
  if (!r) return forward(r);
  const auto& a = r->run.assessment;
  if (o.format == "json") {
    report::write_roadmap_json(std::cout, r->roadmap, a);
    return 0;
  }
  report::write_roadmap_text(std::cout, r->roadmap, a, lang);
  if (o.paths.empty())
    std::cout
        << '\n'
        << (lang == Lang::kKo
                ? "배포 입력(plan/state)이 없어 자동 점검 통제는 증적 확인 항목으로 표시됩니다.\n"
                : "No plan or state given: automated controls show as needing confirmation.\n");
  auto warnings = report::evidence_warnings(a, lang);
  for (const auto& n : r->run.input_notes) warnings.push_back(n);
  if (!warnings.empty()) {
    std::cout << '\n' << (lang == Lang::kKo ? "경고" : "Warnings") << '\n';
    for (const auto& w : warnings) std::cout << "  ! " << report::terminal_escape(w) << '\n';
  }
  return 0;
}

}  // namespace

std::vector<Command> scan_commands() {
  std::vector<Command> out;
  out.push_back(command<ScanOpts>({"scan"}, "Scan Terraform plans or states against a profile",
                                  scan_options, scan));
  out.push_back(command<ScanOpts>(
      {"config", "show"},
      "Print the project config merged with the options given, and where each value came from",
      [](CLI::App& a, ScanOpts& o) {
        scan_options(a, o);
        a.get_option("paths")->required(false);
      },
      config_show));
  out.push_back(command<InitOpts>(
      {"init"}, "Write (or complete) an attestation file for the controls people must attest",
      [](CLI::App& a, InitOpts& o) {
        add_common(a, o.common, true);
        a.add_option("-o,--output", o.out,
                     "Attestation file to write; an existing one keeps its entries")
            ->required();
      },
      init));
  out.push_back(command<LockOpts>(
      {"evidence", "lock"}, "Record the SHA-256 of every evidence file of an attestation file",
      [](CLI::App& a, LockOpts& o) {
        add_evidence(a, o.evidence, false);
        a.add_option("-o,--output", o.file,
                     "Lock file (default: FILE.lock.yaml beside the attestation file)");
        add_common(a, o.common, false);
      },
      evidence_lock));
  out.push_back(command<LockOpts>(
      {"evidence", "verify"},
      "Check the evidence files against the lock file (exit 1 on any change)",
      [](CLI::App& a, LockOpts& o) {
        add_evidence(a, o.evidence, false);
        a.add_option("--lock", o.file,
                     "Lock file (default: FILE.lock.yaml beside the attestation file)");
        add_common(a, o.common, false);
      },
      evidence_verify));
  out.push_back(command<RoadmapOpts>(
      {"roadmap"}, "What the deployment and the team still need for the target tier",
      roadmap_options, roadmap));
  return out;
}

}  // namespace csap::cli
