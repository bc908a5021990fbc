#include "app/pipeline.h"

#include <fmt/format.h>

#include <filesystem>
#include <set>
#include <utility>

#include "core/files.h"
#include "engine/engine.h"
#include "evidence/evidence.h"
#include "ingest/terraform.h"

namespace csap::app {
namespace fs = std::filesystem;

namespace {

std::set<std::string> rule_ids(const rules::RuleSet& rs) {
  std::set<std::string> ids;
  for (const auto& r : rs.rules) ids.insert(r.id);
  return ids;
}

Result<std::vector<catalog::Mapping>> load_mappings(const catalog::Catalog& cat,
                                                    const std::vector<std::string>& files) {
  auto out = catalog::bundled_mappings(cat.id);
  if (!out) return forward(out);
  for (const auto& file : files) {
    auto text = read_text_file(file);
    if (!text) return forward(text);
    auto m = catalog::load_mapping_text(*text, file);
    if (!m) return forward(m);
    if (m->catalog != cat.id)
      return fail(
          fmt::format("mapping '{}' is for catalog '{}', not '{}'", m->id, m->catalog, cat.id),
          {file});
    out->push_back(std::move(*m));
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

Result<catalog::Profile> resolve_profile(const catalog::Catalog& cat, const ProfileChoice& p) {
  if (!p.profile.empty()) return cat.resolve_profile(p.profile);
  if (!p.service.empty() && !p.tier.empty()) return cat.resolve_profile(p.service, p.tier);
  std::string names;
  for (const auto& x : cat.profiles) names += (names.empty() ? "" : ", ") + x.id;
  return fail(
      fmt::format("choose a profile with --profile (catalog {}: {}) or --service and --tier",
                  cat.id, names),
      {}, Exit::kUsage);
}

// The profile decides what is checked: bundled rules serve only through the controls in scope (a
// rule for 상-only R4 does not fail a 중 scan). Rules given with --rules always run.
void keep_rules_in_scope(Loaded& l) {
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

}  // namespace

Result<void> check_mappings(const Loaded& l) {
  auto ids = rule_ids(l.rules);
  bool bundled_catalog = l.cat.source.starts_with("bundled:");
  for (const auto& m : l.mappings) {
    if (bundled_catalog || !m.file.starts_with("bundled:")) {
      if (auto r = catalog::validate_mapping(m, l.cat, ids); !r) return r;
      continue;
    }
    // A user's own catalog may not hold every control (or tier) the bundled mapping names: those
    // entries are reported by the assessment, not fatal. The rules it names must still exist.
    catalog::Mapping known = m;
    std::erase_if(known.controls,
                  [&](const catalog::ControlMapping& cm) { return !l.cat.find(cm.control); });
    for (auto& cm : known.controls)
      std::erase_if(cm.params, [&](const auto& kv) { return !l.cat.find_tier(kv.first); });
    if (auto r = catalog::validate_mapping(known, l.cat, ids); !r) return r;
  }
  return {};
}

Result<Loaded> load(const Sources& src, const ProfileChoice* profile) {
  Loaded l;
  auto cat = catalog::load_catalog(src.catalog);
  if (!cat) return forward(cat);
  l.cat = std::move(*cat);
  if (profile) {
    auto p = resolve_profile(l.cat, *profile);
    if (!p) return forward(p);
    l.profile = std::move(*p);
  }
  auto maps = load_mappings(l.cat, src.mappings);
  if (!maps) return forward(maps);
  l.mappings = std::move(*maps);
  rules::LoadRulesOptions ro;
  ro.bundled = !src.no_bundled_rules;
  for (const auto& d : src.rule_dirs) ro.dirs.emplace_back(d);
  ro.overrides = overrides_for(l.mappings, l.profile.tier);
  auto rs = rules::load_rules(ro);
  if (!rs) return forward(rs);
  l.rules = std::move(*rs);
  if (auto r = check_mappings(l); !r) return forward(r);
  if (profile) keep_rules_in_scope(l);
  return l;
}

Result<evidence::Loaded> read_evidence_files(const EvidenceOptions& opts,
                                             const catalog::Catalog& cat,
                                             const rules::RuleSet& rules, bool read_locks) {
  auto ids = rule_ids(rules);
  evidence::LoadOptions lo;
  lo.catalog = &cat;
  lo.rule_ids = &ids;
  lo.evidence_root = opts.evidence_root;
  lo.read_locks = read_locks;
  auto loaded = evidence::load(opts.attest, opts.waivers, lo);
  if (!loaded.errors.empty()) {
    Error e{Exit::kBadInput,
            fmt::format("{} problem(s) in the attestation and waiver files; nothing was written",
                        loaded.errors.size())};
    e.details = std::move(loaded.errors);
    return std::unexpected(std::move(e));
  }
  return loaded;
}

Result<LoadedEvidence> load_evidence(const EvidenceOptions& opts, const catalog::Catalog& cat,
                                     const rules::RuleSet& rules) {
  LoadedEvidence out;
  out.evidence.today = opts.today;
  if (!opts.today.empty() && !evidence::parse_date(opts.today))
    return fail(fmt::format("--today takes a date written YYYY-MM-DD, not '{}'", opts.today), {},
                Exit::kUsage);
  if (out.evidence.today.empty()) out.evidence.today = evidence::today_local();
  if (opts.attest.empty() && opts.waivers.empty()) return out;
  auto loaded = read_evidence_files(opts, cat, rules, true);
  if (!loaded) return forward(loaded);
  out.evidence.attestations = std::move(loaded->attestations);
  out.evidence.waivers = std::move(loaded->waivers);
  out.notes = std::move(loaded->notes);
  return out;
}

void add_tag_waivers(LoadedEvidence& ev, const Deployment& d, const rules::RuleSet& rules) {
  auto ids = rule_ids(rules);
  for (auto& w : evidence::tag_waivers(d, &ids)) ev.evidence.waivers.push_back(std::move(w));
}

Result<Run> run(Loaded loaded, const RunOptions& opts) {
  Run out;
  out.loaded = std::make_unique<Loaded>(std::move(loaded));
  out.deployment = std::make_unique<Deployment>();
  const Loaded& l = *out.loaded;
  // Attestations and waivers are checked before anything else is done (every problem listed).
  auto ev = load_evidence(opts.evidence, l.cat, l.rules);
  if (!ev) return forward(ev);
  if (!opts.paths.empty()) {
    ingest::LoadOptions lo;
    lo.notes = &out.input_notes;
    std::vector<fs::path> paths(opts.paths.begin(), opts.paths.end());
    if (auto r = ingest::load_inputs(paths, *out.deployment, lo); !r) return forward(r);
    add_tag_waivers(*ev, *out.deployment, l.rules);
  }
  engine::Options eo;
  eo.jobs = opts.jobs;
  eo.progress = opts.progress;
  auto findings = engine::run(l.rules, *out.deployment, eo);
  out.assessment = assess::assess(l.cat, l.profile, l.mappings, l.rules, *out.deployment,
                                  std::move(findings), std::move(ev->evidence));
  out.evidence_notes = std::move(ev->notes);
  return out;
}

Result<Run> scan(const Sources& src, const ProfileChoice& profile, const RunOptions& opts) {
  auto l = load(src, &profile);
  if (!l) return forward(l);
  return run(std::move(*l), opts);
}

}  // namespace csap::app
