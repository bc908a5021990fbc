// `csapcheck rules coverage`, `rules docs`, `rules list --format json` and `rules validate`:
// loading and options; the rendering is in report/coverage.h and report/ruledocs.h.
#pragma once
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "core/error.h"
#include "rules/ruleset.h"

namespace csap::app {

struct RuleInfoOptions {
  std::vector<std::string> catalogs;  // empty: every bundled catalog
  std::string profile;                // empty: every profile of each catalog
  std::string format = "text";        // text | json
  std::vector<std::string> mappings;  // extra mapping files (each applies to its own catalog)
  std::vector<std::string> rule_dirs;
  bool no_bundled_rules = false;
  std::string lang;
};

// The rules of `src` (bundled unless left out, and those of its rule directories), unfiltered.
Result<rules::RuleSet> load_rules(const Sources& src);

// The coverage table (text or JSON).
Result<std::string> rules_coverage(const RuleInfoOptions& a);
// The rule list as JSON.
Result<std::string> rules_list_json(const RuleInfoOptions& a);
// Writes docs/rules-style pages into `dir`; returns the number of pages.
Result<std::size_t> rules_docs(const RuleInfoOptions& a, const std::string& dir);

// Loads the rules of `dir` (else the bundled ones) and returns how many there are. For the bundled
// rules, every bundled mapping (and each of `mappings`) must name only rules and controls that
// exist.
Result<std::size_t> validate_rules(const std::string& dir,
                                   const std::vector<std::string>& mappings);

}  // namespace csap::app
