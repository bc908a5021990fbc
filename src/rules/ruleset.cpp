#include "rules/ruleset.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <thread>

#include "core/embedded.h"
#include "core/files.h"

namespace csap::rules {

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

void RuleSet::add(Rule r) {
  for (auto& existing : rules)
    if (existing.id == r.id) {
      existing = std::move(r);
      return;
    }
  rules.push_back(std::move(r));
}

void RuleSet::index() {
  exact_.clear();
  patterns_.clear();
  cache_.clear();
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    bool pattern = false;
    for (const auto& t : rules[i].resource_types) {
      if (t.find('*') != std::string::npos)
        pattern = true;
      else
        exact_[t].push_back(i);
    }
    if (pattern) patterns_.push_back(i);
  }
}

const std::vector<std::uint32_t>& RuleSet::for_type(std::string_view type) const {
  std::lock_guard lock(*mu_);
  auto it = cache_.find(std::string(type));
  if (it != cache_.end()) return it->second;
  std::vector<std::uint32_t> out;
  if (auto e = exact_.find(std::string(type)); e != exact_.end()) out = e->second;
  for (std::uint32_t i : patterns_)
    if (rules[i].applies_to(type) && std::find(out.begin(), out.end(), i) == out.end())
      out.push_back(i);
  std::sort(out.begin(), out.end());
  return cache_.emplace(std::string(type), std::move(out)).first->second;
}

Result<std::vector<Rule>> compile_rules_text(std::string_view text, const std::string& file,
                                             const ParamOverrides& overrides) {
  auto docs = yaml::parse(text, file);
  if (!docs) return std::unexpected(docs.error());
  std::vector<Rule> out;
  for (const auto& d : *docs) {
    if (d.root.is_null()) continue;
    auto r = compile_rule(d.root, file, overrides);
    if (!r) return std::unexpected(r.error());
    out.push_back(std::move(*r));
  }
  return out;
}

namespace {

Result<void> add_all(RuleSet& set, std::vector<Rule> rules, std::set<std::string>& seen) {
  for (auto& r : rules) {
    if (!seen.insert(r.id).second)
      return fail(fmt::format("duplicate rule id '{}'", r.id), {r.file, r.line, 1});
    set.add(std::move(r));
  }
  return {};
}

bool is_rule_file(const std::string& p) {
  return (p.ends_with(".yaml") || p.ends_with(".yml")) && !p.ends_with("README.md");
}

}  // namespace

Result<RuleSet> load_rules(const LoadRulesOptions& opts) {
  RuleSet set;
  if (opts.bundled) {
    // The bundled pack is a few hundred small files: parse and compile them on two threads, then
    // add them in file order so that the result does not depend on scheduling.
    std::vector<EmbeddedFile> files;
    for (const auto& f : embedded_files())
      if (f.path.starts_with("rules/") && is_rule_file(std::string(f.path))) files.push_back(f);
    std::vector<Result<std::vector<Rule>>> compiled;
    compiled.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) compiled.emplace_back(std::vector<Rule>{});
    auto work = [&](std::size_t begin, std::size_t step) {
      for (std::size_t i = begin; i < files.size(); i += step)
        compiled[i] = compile_rules_text(files[i].bytes, "bundled:" + std::string(files[i].path),
                                         opts.overrides);
    };
    std::thread other(work, 1, 2);
    work(0, 2);
    other.join();
    std::set<std::string> seen;
    for (auto& c : compiled) {
      if (!c) return std::unexpected(c.error());
      if (auto r = add_all(set, std::move(*c), seen); !r) return std::unexpected(r.error());
    }
  }
  for (const auto& dir : opts.dirs) {
    std::set<std::string> seen;
    auto files = expand_inputs({dir}, {".yaml", ".yml"});
    if (!files) return std::unexpected(files.error());
    for (const auto& p : *files) {
      auto text = read_text_file(p);
      if (!text) return std::unexpected(text.error());
      auto rules = compile_rules_text(*text, p.string(), opts.overrides);
      if (!rules) return std::unexpected(rules.error());
      if (auto r = add_all(set, std::move(*rules), seen); !r) return std::unexpected(r.error());
    }
  }
  set.index();
  return set;
}

}  // namespace csap::rules
