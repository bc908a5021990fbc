#include "app/rule_info.h"

#include <fmt/format.h>

#include <memory>
#include <set>

#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "core/files.h"
#include "core/text.h"
#include "report/coverage.h"
#include "report/ruledocs.h"
#include "rules/ruleset.h"

namespace csap::app {

namespace {

Result<rules::RuleSet> load(const RuleInfoOptions& a) {
  Sources src;
  src.rule_dirs = a.rule_dirs;
  src.no_bundled_rules = a.no_bundled_rules;
  return load_rules(src);
}

Result<std::vector<catalog::Mapping>> extra_mappings(const RuleInfoOptions& a) {
  std::vector<catalog::Mapping> out;
  for (const auto& file : a.mappings) {
    auto m = catalog::load_mapping_file(file);
    if (!m) return std::unexpected(m.error());
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace

Result<rules::RuleSet> load_rules(const Sources& src) {
  rules::LoadRulesOptions ro;
  ro.bundled = !src.no_bundled_rules;
  for (const auto& d : src.rule_dirs) ro.dirs.emplace_back(d);
  return rules::load_rules(ro);
}

Result<std::string> rules_coverage(const RuleInfoOptions& a) {
  auto rs = load(a);
  if (!rs) return std::unexpected(rs.error());
  auto extra = extra_mappings(a);
  if (!extra) return std::unexpected(extra.error());
  std::vector<std::string> names = a.catalogs.empty() ? catalog::bundled_names() : a.catalogs;
  // Catalogs stay in place: the coverage points into them.
  std::vector<std::unique_ptr<catalog::Catalog>> cats;
  std::vector<report::CatalogCoverage> cov;
  for (const auto& name : names) {
    auto c = catalog::load_catalog(name);
    if (!c) return std::unexpected(c.error());
    cats.push_back(std::make_unique<catalog::Catalog>(std::move(*c)));
    const catalog::Catalog& cat = *cats.back();
    auto maps = catalog::bundled_mappings(cat.id);
    if (!maps) return std::unexpected(maps.error());
    for (const auto& m : *extra)
      if (m.catalog == cat.id) maps->push_back(m);
    // A profile that this catalog lacks is an error only when one catalog was asked for.
    std::string profile = a.profile;
    if (!profile.empty() && names.size() > 1 && !cat.find_profile(profile)) continue;
    auto cc = report::catalog_coverage(cat, *maps, *rs, profile);
    if (!cc) return std::unexpected(cc.error());
    cov.push_back(std::move(*cc));
  }
  if (cov.empty())
    return fail(fmt::format("no catalog has the profile '{}'", a.profile), {}, Exit::kUsage);
  return a.format == "json" ? report::coverage_json(cov)
                            : report::coverage_text(cov, detect_lang(a.lang));
}

Result<std::string> rules_list_json(const RuleInfoOptions& a) {
  auto rs = load(a);
  if (!rs) return std::unexpected(rs.error());
  auto extra = extra_mappings(a);
  if (!extra) return std::unexpected(extra.error());
  auto controls = catalog::rule_controls(*extra);
  if (!controls) return std::unexpected(controls.error());
  return report::rules_json(*rs, *controls);
}

Result<std::size_t> rules_docs(const RuleInfoOptions& a, const std::string& dir) {
  auto rs = load(a);
  if (!rs) return std::unexpected(rs.error());
  return report::write_rule_docs(*rs, dir);
}

Result<std::size_t> validate_rules(const std::string& dir,
                                   const std::vector<std::string>& mappings) {
  rules::LoadRulesOptions ro;
  ro.bundled = dir.empty();
  if (!dir.empty()) ro.dirs.emplace_back(dir);
  auto rs = rules::load_rules(ro);
  if (!rs) return forward(rs);
  if (!dir.empty()) return rs->rules.size();
  std::set<std::string> ids;
  for (const auto& r : rs->rules) ids.insert(r.id);
  std::vector<catalog::Mapping> extra;
  for (const auto& file : mappings) {
    auto m = catalog::load_mapping_file(file);
    if (!m) return forward(m);
    extra.push_back(std::move(*m));
  }
  std::set<std::string> names;
  for (const auto& name : catalog::bundled_names()) {
    auto cat = catalog::load_bundled(name);
    if (!cat) return forward(cat);
    names.insert(cat->id);
    auto maps = catalog::bundled_mappings(cat->id);
    if (!maps) return forward(maps);
    // Each extra mapping is checked against the catalog it names.
    for (const auto& m : extra)
      if (m.catalog == cat->id) maps->push_back(m);
    for (const auto& m : *maps)
      if (auto v = catalog::validate_mapping(m, *cat, ids); !v) return forward(v);
  }
  for (const auto& m : extra)
    if (!names.count(m.catalog))
      return fail(
          fmt::format("mapping '{}' is for catalog '{}', which is not bundled", m.id, m.catalog),
          {m.file});
  return rs->rules.size();
}

}  // namespace csap::app
