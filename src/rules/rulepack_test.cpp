// Guard rails on the bundled rule pack: every rule is mapped to a control of a bundled catalog (a
// scan runs only mapped rules), its file is named by its id, and it has a test case expecting
// `unknown` — or data/rule-exceptions.yaml lets it off with a reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "core/yaml.h"
#include "rules/ruleset.h"
#include "test_support.h"

namespace csap::rules {
namespace {

struct Exceptions {
  std::map<std::string, std::string> unmapped;         // rule id -> reason
  std::map<std::string, std::string> no_unknown_case;  // rule id -> reason
};

Exceptions load_exceptions() {
  Exceptions ex;
  auto path = (testing::source_dir() / "data" / "rule-exceptions.yaml").string();
  auto root = yaml::parse_file(path);
  EXPECT_TRUE(root) << (root ? "" : root.error().str());
  if (!root || root->empty()) return ex;
  const yaml::Node& doc = (*root)[0].root;
  for (auto [key, into] :
       {std::pair{"unmapped", &ex.unmapped}, std::pair{"no_unknown_case", &ex.no_unknown_case}}) {
    const yaml::Node* m = doc.get(key);
    EXPECT_NE(m, nullptr) << path << " has no '" << key << "'";
    if (!m) continue;
    EXPECT_TRUE(m->is_map() || m->is_null()) << path << ": '" << key << "' maps ids to reasons";
    for (const auto& [k, v] : m->pairs) {
      EXPECT_TRUE(v.is_scalar() && v.scalar.size() >= 20)
          << path << ":" << k.line << ": " << k.scalar << " needs a reason";
      (*into)[k.scalar] = v.scalar;
    }
  }
  return ex;
}

const RuleSet& bundled() {
  static RuleSet set = [] {
    auto r = load_rules({});
    EXPECT_TRUE(r) << (r ? "" : r.error().str());
    return r ? std::move(*r) : RuleSet{};
  }();
  return set;
}

TEST(RulePack, EveryBundledRuleIsMappedToAControlOfABundledCatalog) {
  ASSERT_GT(bundled().rules.size(), 200u);
  std::set<std::string> mapped;
  auto mappings = catalog::bundled_mappings("");
  ASSERT_TRUE(mappings) << mappings.error().str();
  std::map<std::string, catalog::Catalog> catalogs;
  for (const auto& name : catalog::bundled_names()) {
    auto c = catalog::load_bundled(name);
    ASSERT_TRUE(c) << c.error().str();
    catalogs.emplace(name, std::move(*c));
  }
  for (const auto& m : *mappings) {
    auto cat = catalogs.find(m.catalog);
    ASSERT_NE(cat, catalogs.end()) << m.file << " maps catalog " << m.catalog;
    for (const auto& cm : m.controls)
      if (cat->second.find(cm.control)) mapped.insert(cm.rules.begin(), cm.rules.end());
  }
  Exceptions ex = load_exceptions();
  for (const auto& r : bundled().rules) {
    bool listed = ex.unmapped.contains(r.id);
    EXPECT_TRUE(mapped.contains(r.id) || listed)
        << r.file << ": " << r.id
        << " is mapped to no control, so no scan runs it: map it in data/mappings/ or list it "
           "under 'unmapped' in data/rule-exceptions.yaml with the reason";
    EXPECT_FALSE(mapped.contains(r.id) && listed)
        << r.id << " is mapped: remove it from 'unmapped' in data/rule-exceptions.yaml";
  }
  for (const auto& [id, why] : ex.unmapped)
    EXPECT_NE(bundled().find(id), nullptr) << "data/rule-exceptions.yaml: no bundled rule " << id;
}

TEST(RulePack, EveryFileIsNamedByItsRuleId) {
  for (const auto& r : bundled().rules) {
    std::filesystem::path p(r.file);
    EXPECT_EQ(p.stem().string(), r.id) << r.file;
    EXPECT_EQ(p.extension().string(), ".yaml") << r.file;
    EXPECT_TRUE(valid_rule_id(r.id)) << r.id;
  }
}

bool expects_unknown(const TestCase& t) {
  const yaml::Node* e = t.node ? t.node->get("expect") : nullptr;
  if (!e) return false;
  if (e->is_scalar()) return e->scalar == "unknown";
  for (const auto& [k, v] : e->pairs)
    if (v.is_scalar() && v.scalar == "unknown") return true;
  return false;
}

TEST(RulePack, EveryRuleHasAnUnknownCaseOrSaysWhyNot) {
  // A plan leaves optional + computed attributes unknown until apply: each rule must show what it
  // decides then. The exceptions read only what a plan always knows.
  Exceptions ex = load_exceptions();
  for (const auto& r : bundled().rules) {
    bool has = false;
    for (const auto& t : r.tests) has = has || expects_unknown(t);
    bool listed = ex.no_unknown_case.contains(r.id);
    EXPECT_TRUE(has || listed) << r.file << ": " << r.id
                               << " has no test case expecting unknown: add one, or list it "
                                  "under 'no_unknown_case' in data/rule-exceptions.yaml with why";
    EXPECT_FALSE(has && listed) << r.id
                                << " has an unknown case: remove it from "
                                   "'no_unknown_case' in data/rule-exceptions.yaml";
  }
  for (const auto& [id, why] : ex.no_unknown_case)
    EXPECT_NE(bundled().find(id), nullptr) << "data/rule-exceptions.yaml: no bundled rule " << id;
}

}  // namespace
}  // namespace csap::rules
