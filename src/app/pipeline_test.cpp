#include "app/pipeline.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/files.h"
#include "engine/engine.h"
#include "test_support.h"

using namespace csap;

namespace {

std::string demo_plan() {
  return (csap::testing::source_dir() / "examples/demo/plan.json").string();
}

app::ProfileChoice profile(std::string id) {
  return app::ProfileChoice{std::move(id), {}, {}};
}

std::set<std::string> ids_of(const rules::RuleSet& rs) {
  std::set<std::string> out;
  for (const auto& r : rs.rules) out.insert(r.id);
  return out;
}

TEST(AppPipeline, ScanOfTheDemoEqualsTheCommandLineScan) {
  app::RunOptions ro;
  ro.paths = {demo_plan()};
  ro.evidence.today = "2026-06-01";
  auto run = app::scan(app::Sources{}, profile("iaas-moderate"), ro);
  ASSERT_TRUE(run) << run.error().str();
  const auto& a = run->assessment;
  ASSERT_FALSE(a.controls.empty());
  ASSERT_FALSE(a.findings.empty());

  csap::testing::TempDir tmp;
  auto out = tmp.path() / "report.json";
  std::string log;
  int rc =
      csap::testing::run(fmt::format("'{}' scan '{}' --profile iaas-moderate --today 2026-06-01 "
                                     "--fail-on none -q --format json -o '{}'",
                                     csap::testing::binary(), demo_plan(), out.string()),
                         &log, true);
  ASSERT_EQ(rc, 0) << log;
  auto text = read_text_file(out.string());
  ASSERT_TRUE(text) << text.error().str();
  auto j = nlohmann::json::parse(*text);
  ASSERT_EQ(j["controls"].size(), a.controls.size());
  for (std::size_t i = 0; i < a.controls.size(); ++i) {
    EXPECT_EQ(j["controls"][i]["id"], a.controls[i].control->id);
    EXPECT_EQ(j["controls"][i]["verdict"], std::string(assess::verdict_name(a.controls[i].verdict)))
        << a.controls[i].control->id;
  }
  ASSERT_EQ(j["findings"].size(), a.findings.size());
  for (std::size_t i = 0; i < a.findings.size(); ++i)
    EXPECT_EQ(j["findings"][i]["status"], std::string(engine::status_name(a.findings[i].status)));
}

TEST(AppPipeline, TheProfileKeepsBundledRulesOutOfScope) {
  auto low_profile = profile("iaas-low"), high_profile = profile("iaas-high");
  auto low = app::load(app::Sources{}, &low_profile);
  auto high = app::load(app::Sources{}, &high_profile);
  auto all = app::load(app::Sources{}, nullptr);
  ASSERT_TRUE(low) << low.error().str();
  ASSERT_TRUE(high) << high.error().str();
  ASSERT_TRUE(all) << all.error().str();
  // Without a profile every rule loads; with one, only those a control in scope names.
  EXPECT_LT(low->rules.rules.size(), all->rules.rules.size());
  EXPECT_LE(low->rules.rules.size(), high->rules.rules.size());
  std::set<std::string> in_scope;
  for (const auto* c : low->cat.baseline(low->profile)) in_scope.insert(c->id);
  std::set<std::string> wanted;
  for (const auto& m : low->mappings)
    for (const auto& cm : m.controls)
      if (in_scope.count(cm.control)) wanted.insert(cm.rules.begin(), cm.rules.end());
  for (const auto& r : low->rules.rules) EXPECT_TRUE(wanted.count(r.id)) << r.id;
  // A rule some control outside the low baseline names, and no control inside it, is left out.
  std::size_t left_out = 0;
  for (const auto& id : ids_of(all->rules))
    if (!wanted.count(id)) {
      ++left_out;
      EXPECT_FALSE(low->rules.find(id)) << id;
    }
  EXPECT_GT(left_out, 0u);
}

TEST(AppPipeline, RulesGivenWithRulesAlwaysRun) {
  csap::testing::TempDir tmp;
  tmp.write("mine/X-OWN-001.yaml", R"(id: X-OWN-001
title: {en: own rule}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
)");
  app::Sources src;
  src.rule_dirs = {(tmp.path() / "mine").string()};
  auto low = profile("iaas-low");
  auto l = app::load(src, &low);
  ASSERT_TRUE(l) << l.error().str();
  const rules::Rule* r = l->rules.find("X-OWN-001");
  ASSERT_NE(r, nullptr);
  // No mapping names it, and it still runs on the deployment.
  app::RunOptions ro;
  ro.paths = {demo_plan()};
  auto run = app::run(std::move(*l), ro);
  ASSERT_TRUE(run) << run.error().str();
  std::size_t own = 0;
  for (const auto& f : run->assessment.findings)
    if (run->loaded->rules.rules[f.rule].id == "X-OWN-001") ++own;
  EXPECT_GT(own, 0u);
}

TEST(AppPipeline, AMissingProfileIsAUsageError) {
  app::ProfileChoice none;
  auto l = app::load(app::Sources{}, &none);
  ASSERT_FALSE(l);
  EXPECT_EQ(exit_code(l.error()), 2);
  EXPECT_NE(l.error().message.find("--profile"), std::string::npos);
}

TEST(AppPipeline, AMappingNamingAnUnknownRuleStopsTheLoad) {
  csap::testing::TempDir tmp;
  auto map = tmp.write("map.yaml",
                       "mapping: test\ncatalog: csap\ncontrols:\n  \"R1\":\n"
                       "    rules: [NO-SUCH-RULE-001]\n");
  app::Sources src;
  src.mappings = {map.string()};
  auto moderate = profile("iaas-moderate");
  auto l = app::load(src, &moderate);
  ASSERT_FALSE(l);
  EXPECT_EQ(exit_code(l.error()), 3);
  EXPECT_EQ(l.error().where.line, 5);
  EXPECT_NE(l.error().message.find("NO-SUCH-RULE-001"), std::string::npos);
}

TEST(AppPipeline, AUserCatalogMayLackControlsOfTheBundledMapping) {
  csap::testing::TempDir tmp;
  // A catalog with one control that the bundled CSAP mappings name, and none of the others.
  auto cat = tmp.write("cat.yaml", R"(catalog: csap
version: "test"
status: custom
title: {en: one control}
tiers: [{id: moderate, ko: 중}]
profiles:
  iaas-moderate: {service: iaas, tier: moderate}
controls:
  - id: "R1"
    title: {en: first}
    kind: technical
    applies: {iaas: [moderate]}
)");
  app::Sources src;
  src.catalog = cat.string();
  auto moderate = profile("iaas-moderate");
  auto l = app::load(src, &moderate);
  ASSERT_TRUE(l) << l.error().str();
  EXPECT_EQ(l->cat.controls.size(), 1u);
  // Rules a mapping names must still exist even then.
  auto map = tmp.write("map.yaml",
                       "mapping: test\ncatalog: csap\ncontrols:\n  \"R1\":\n"
                       "    rules: [NO-SUCH-RULE-002]\n");
  src.mappings = {map.string()};
  auto bad = app::load(src, &moderate);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("NO-SUCH-RULE-002"), std::string::npos);
}

TEST(AppPipeline, EveryEvidenceProblemIsADetailOfOneError) {
  csap::testing::TempDir tmp;
  auto att = tmp.write("attest.yaml",
                       "attestations:\n  - control: NO-SUCH-CONTROL\n"
                       "    status: met\n  - control: ALSO-MISSING\n"
                       "    status: met\n");
  auto moderate = profile("iaas-moderate");
  auto l = app::load(app::Sources{}, &moderate);
  ASSERT_TRUE(l) << l.error().str();
  app::EvidenceOptions ev;
  ev.attest = {att.string()};
  auto e = app::load_evidence(ev, l->cat, l->rules);
  ASSERT_FALSE(e);
  EXPECT_EQ(exit_code(e.error()), 3);
  ASSERT_GE(e.error().details.size(), 2u);
  for (const auto& d : e.error().details) EXPECT_EQ(d.where.file, att.string());
  EXPECT_NE(e.error().message.find(std::to_string(e.error().details.size())), std::string::npos);

  ev.today = "2027-02-30";
  auto bad_date = app::load_evidence(ev, l->cat, l->rules);
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(exit_code(bad_date.error()), 2);
}

}  // namespace
