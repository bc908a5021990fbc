// `csapcheck rules coverage`: per catalog, profile and area, how many of the assessed controls the
// rules check in full (automated), check in part (rules, and evidence from people is also expected)
// or not at all (manual: no rule).
#pragma once
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "core/text.h"
#include "rules/ruleset.h"

namespace csap::report {

enum class Automation { kAutomated, kPartial, kManual };

struct CoverageCounts {
  std::size_t automated = 0, partial = 0, manual = 0;
  std::size_t total() const { return automated + partial + manual; }
  void add(Automation a);
};

struct AreaCoverage {
  const catalog::Control* area = nullptr;
  CoverageCounts counts;
  std::vector<std::string> automated, partial, manual;  // control ids, catalog order
};

struct ProfileCoverage {
  catalog::Profile profile;
  std::vector<AreaCoverage> areas;  // areas in scope, catalog order
  CoverageCounts total;
};

struct CatalogCoverage {
  const catalog::Catalog* catalog = nullptr;
  std::vector<ProfileCoverage> profiles;
};

// The controls assessed for `profile` (the same selection as a scan's), classified by the merged
// `mappings` and the rules that exist in `rules`.
ProfileCoverage coverage(const catalog::Catalog& cat, const catalog::Profile& profile,
                         const std::vector<catalog::Mapping>& mappings,
                         const rules::RuleSet& rules);

// Every profile of the catalog, or only `profile` when not empty (a name, or an error).
Result<CatalogCoverage> catalog_coverage(const catalog::Catalog& cat,
                                         const std::vector<catalog::Mapping>& mappings,
                                         const rules::RuleSet& rules,
                                         const std::string& profile = {});

std::string coverage_text(const std::vector<CatalogCoverage>& cov, Lang lang);
std::string coverage_json(const std::vector<CatalogCoverage>& cov);

}  // namespace csap::report
