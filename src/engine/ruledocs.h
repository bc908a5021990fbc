// Documentation generated from the rule files: one Markdown page per rule and an index
// (`csapcheck rules docs -o docs/rules`), and the machine-readable rule list
// (`csapcheck rules list --format json`).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog/mapping.h"
#include "core/error.h"
#include "core/yaml.h"
#include "rules/ruleset.h"

namespace csap::engine {

// Controls each rule serves: rule id -> catalog id -> control ids (catalog order of the mapping
// files, duplicates removed). From every bundled mapping, plus `extra`.
using RuleControls = std::map<std::string, std::map<std::string, std::vector<std::string>>>;
Result<RuleControls> rule_controls(const std::vector<catalog::Mapping>& extra = {});

// `rules list --format json`: an array of {id, severity, title {ko,en}, resource_types,
// controls {catalog: [ids]}, file}, in rule order.
std::string rules_json(const rules::RuleSet& rules, const RuleControls& controls);

// Pages by file name: "<RULE-ID>.md" for every rule and "README.md" (the index). The content
// depends only on the rules, the bundled catalogs and mappings: no dates, no paths of this machine.
Result<std::map<std::string, std::string>> rule_doc_pages(const rules::RuleSet& rules);

// Writes the pages into `dir` (created when missing) and removes other *.md files there, so that
// a deleted rule leaves no page behind. Returns the number of pages written.
Result<std::size_t> write_rule_docs(const rules::RuleSet& rules, const std::filesystem::path& dir);

// Differences between the pages and the files in `dir`: "missing X", "differs X", "extra X".
std::vector<std::string> compare_rule_docs(const std::map<std::string, std::string>& pages,
                                           const std::filesystem::path& dir);

// A YAML node in flow style on one line ({a: 1, b: [x, y]}), for documentation.
std::string yaml_flow(const yaml::Node& n);

}  // namespace csap::engine
