#include "app/rule_scaffold.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "rules/ruleset.h"
#include "test_support.h"

using namespace csap;

namespace {

constexpr const char* kTwoRules = R"(id: X-ONE-001
title: {en: one}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
tests:
  - {expect: pass, resource: {type: aws_s3_bucket, name: a, values: {bucket: x}}}
  - {expect: fail, resource: {type: aws_s3_bucket, name: b, values: {}}}
---
id: X-TWO-001
title:
  en: two
  ko: 둘
severity: high
resource: [aws_s3_bucket]
# the check
check: {path: acl, op: equals, value: private}
rationale:
  en: "Because."
remediation: {en: "Set acl."}
tests:
  - {expect: pass, resource: {type: aws_s3_bucket, name: a, values: {acl: private}}}
  - {expect: fail, resource: {type: aws_s3_bucket, name: b, values: {acl: public-read}}}
)";

TEST(RuleScaffold, TakesTheDocumentOfTheRuleAndMarksItsWordsTodo) {
  auto text = app::scaffold_rule_text(kTwoRules, "two.yaml", "X-TWO-001", "X-NEW-001");
  ASSERT_TRUE(text) << text.error().str();
  EXPECT_EQ(text->find("X-ONE-001"), std::string::npos);
  EXPECT_EQ(text->find("Because."), std::string::npos);
  EXPECT_EQ(text->find("Set acl."), std::string::npos);
  EXPECT_EQ(text->find("둘"), std::string::npos);
  EXPECT_NE(text->find("# the check"), std::string::npos);
  auto rules = rules::compile_rules_text(*text, "X-NEW-001.yaml");
  ASSERT_TRUE(rules) << rules.error().str() << "\n" << *text;
  ASSERT_EQ(rules->size(), 1u);
  const rules::Rule& r = rules->front();
  EXPECT_EQ(r.id, "X-NEW-001");
  EXPECT_EQ(r.severity, rules::Severity::kHigh);
  EXPECT_NE(r.title.get(Lang::kEn).find("TODO"), std::string::npos);
  EXPECT_NE(r.rationale.get(Lang::kEn).find("TODO"), std::string::npos);
  EXPECT_NE(r.remediation.get(Lang::kKo).find("TODO"), std::string::npos);
  EXPECT_EQ(r.tests.size(), 2u);  // kept as a template
  EXPECT_EQ(r.resource_types, std::vector<std::string>{"aws_s3_bucket"});
}

TEST(RuleScaffold, AnUnknownSourceRuleIsAnError) {
  auto text = app::scaffold_rule_text(kTwoRules, "two.yaml", "X-THREE-001", "X-NEW-001");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().where.file, "two.yaml");
}

TEST(RuleScaffold, WritesBesideAUserRuleAndNeverOverwrites) {
  csap::testing::TempDir tmp;
  tmp.write("mine/two.yaml", kTwoRules);
  app::NewRuleOptions o;
  o.id = "X-NEW-002";
  o.like = "X-TWO-001";
  o.rule_dirs = {(tmp.path() / "mine").string()};
  auto r = app::new_rule(o);
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_EQ(r->file, (tmp.path() / "mine" / "X-NEW-002.yaml").string());
  auto written = read_text_file(r->file);
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, r->text);
  // The directory still loads, with the new rule in it.
  rules::LoadRulesOptions ro;
  ro.bundled = false;
  ro.dirs = {tmp.path() / "mine"};
  auto rs = rules::load_rules(ro);
  ASSERT_TRUE(rs) << rs.error().str();
  EXPECT_NE(rs->find("X-NEW-002"), nullptr);
  // Again: refused, the file untouched.
  o.dir = (tmp.path() / "mine").string();
  o.id = "X-NEW-003";
  tmp.write("mine/X-NEW-003.yaml", "# mine\n");
  auto again = app::new_rule(o);
  ASSERT_FALSE(again);
  EXPECT_EQ(exit_code(again.error()), 3);
  EXPECT_EQ(*read_text_file((tmp.path() / "mine" / "X-NEW-003.yaml").string()), "# mine\n");
}

TEST(RuleScaffold, FromABundledRuleIntoAGivenDirectory) {
  csap::testing::TempDir tmp;
  app::NewRuleOptions o;
  o.id = "AWS-S3-NEW-001";
  o.like = "AWS-APIGW-TLS-001";
  o.dir = (tmp.path() / "out").string();
  auto r = app::new_rule(o);
  ASSERT_TRUE(r) << r.error().str();
  rules::LoadRulesOptions ro;
  ro.bundled = false;
  ro.dirs = {tmp.path() / "out"};
  auto rs = rules::load_rules(ro);
  ASSERT_TRUE(rs) << rs.error().str();
  ASSERT_EQ(rs->rules.size(), 1u);
  EXPECT_EQ(rs->rules[0].id, "AWS-S3-NEW-001");
  EXPECT_FALSE(rs->rules[0].tests.empty());
}

TEST(RuleScaffold, RefusesAnIdThatIsNotOne) {
  app::NewRuleOptions o;
  o.like = "AWS-APIGW-TLS-001";
  for (const char* id : {"", "../escape", "a/b", "-x"}) {
    o.id = id;
    auto r = app::new_rule(o);
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(exit_code(r.error()), 2) << id;
  }
  o.id = "AWS-APIGW-TLS-001";  // exists already
  auto dup = app::new_rule(o);
  ASSERT_FALSE(dup);
  EXPECT_EQ(exit_code(dup.error()), 3);
}

}  // namespace
