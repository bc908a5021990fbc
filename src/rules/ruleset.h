// A set of compiled rules, indexed by resource type.
#pragma once
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/rule.h"

namespace csap::rules {

class RuleSet {
 public:
  std::vector<Rule> rules;

  const Rule* find(std::string_view id) const;
  // Indices of the rules that apply to a resource type (exact types first, then patterns).
  const std::vector<std::uint32_t>& for_type(std::string_view type) const;
  // Adds a rule, replacing one with the same id. Call index() afterwards.
  void add(Rule r);
  void index();

 private:
  std::unordered_map<std::string, std::vector<std::uint32_t>> exact_;
  std::vector<std::uint32_t> patterns_;
  mutable std::unordered_map<std::string, std::vector<std::uint32_t>> cache_;
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
};

struct LoadRulesOptions {
  bool bundled = true;                      // the rule pack compiled into the binary
  std::vector<std::filesystem::path> dirs;  // --rules DIR (files *.yaml / *.yml, recursive)
  ParamOverrides overrides;                 // "RULE.param" → value (from a mapping, per tier)
};

// Loads and compiles rules. A file may hold several rules separated by '---'. A duplicate id
// within one source is an error; a rule from --rules replaces a bundled one with the same id.
Result<RuleSet> load_rules(const LoadRulesOptions& opts);

// Compiles every rule document of one YAML text.
Result<std::vector<Rule>> compile_rules_text(std::string_view text, const std::string& file,
                                             const ParamOverrides& overrides = {});

}  // namespace csap::rules
