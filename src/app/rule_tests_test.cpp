#include "app/rule_tests.h"

#include <gtest/gtest.h>

#include "test_support.h"

using namespace csap;

namespace {

constexpr const char* kRules = R"(id: X-T-001
title: {en: with both cases}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
tests:
  - {expect: pass, resource: {type: aws_s3_bucket, name: a, values: {bucket: x}}}
  - {expect: fail, resource: {type: aws_s3_bucket, name: b, values: {}}}
---
id: X-T-002
title: {en: a wrong expectation and no failing case}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
tests:
  - {expect: pass, resource: {type: aws_s3_bucket, name: c, values: {}}}
)";

TEST(AppRuleTests, ReportsWrongExpectationsAndMissingCases) {
  csap::testing::TempDir tmp;
  tmp.write("r/rules.yaml", kRules);
  app::RuleTestOptions o;
  o.dir = (tmp.path() / "r").string();
  auto rep = app::test_rules(o);
  ASSERT_TRUE(rep) << rep.error().str();
  EXPECT_EQ(rep->rules, 2u);
  EXPECT_EQ(rep->cases, 3u);
  EXPECT_EQ(rep->failed, 2u);  // the wrong case, and X-T-002 lacking a failing case
  std::size_t bad_002 = 0;
  for (const auto& oc : rep->outcomes) {
    if (oc.rule == "X-T-001") {
      EXPECT_TRUE(oc.ok) << oc.message;
    }
    if (oc.rule == "X-T-002" && !oc.ok) ++bad_002;
  }
  EXPECT_EQ(bad_002, 2u);

  o.only = "X-T-001";
  auto one = app::test_rules(o);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->rules, 1u);
  EXPECT_EQ(one->failed, 0u);
}

TEST(AppRuleTests, ABadRuleDirectoryIsAnError) {
  csap::testing::TempDir tmp;
  tmp.write("r/bad.yaml", "id: X\ntitle: {en: x}\nseverity: nope\n");
  app::RuleTestOptions o;
  o.dir = (tmp.path() / "r").string();
  auto rep = app::test_rules(o);
  ASSERT_FALSE(rep);
  EXPECT_EQ(exit_code(rep.error()), 3);
}

}  // namespace
