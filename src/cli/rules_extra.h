// `csapcheck rules coverage`, `rules docs` and `rules list --format json`: loading and options;
// the work itself is in report/coverage.h and report/ruledocs.h.
#pragma once
#include <string>
#include <vector>

#include "core/error.h"

namespace csap::cli {

struct RulesExtraArgs {
  std::vector<std::string> catalogs;  // empty: every bundled catalog
  std::string profile;                // empty: every profile of each catalog
  std::string format = "text";        // text | json
  std::vector<std::string> mappings;  // extra mapping files (each applies to its own catalog)
  std::vector<std::string> rule_dirs;
  bool no_bundled_rules = false;
  std::string lang;
};

// The coverage table (text or JSON).
Result<std::string> rules_coverage(const RulesExtraArgs& a);
// The rule list as JSON.
Result<std::string> rules_list_json(const RulesExtraArgs& a);
// Writes docs/rules-style pages into `dir`; returns the number of pages.
Result<std::size_t> rules_docs(const RulesExtraArgs& a, const std::string& dir);

}  // namespace csap::cli
