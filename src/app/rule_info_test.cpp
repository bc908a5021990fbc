#include "app/rule_info.h"

#include <gtest/gtest.h>

#include "test_support.h"

using namespace csap;

namespace {

TEST(AppRuleInfo, ValidatesADirectoryOrTheBundledRulesWithTheirMappings) {
  csap::testing::TempDir tmp;
  tmp.write("r/a.yaml", R"(id: X-V-001
title: {en: a}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
)");
  auto n = app::validate_rules((tmp.path() / "r").string(), {});
  ASSERT_TRUE(n) << n.error().str();
  EXPECT_EQ(*n, 1u);

  auto bundled = app::validate_rules("", {});
  ASSERT_TRUE(bundled) << bundled.error().str();
  auto all = app::load_rules(app::Sources{});
  ASSERT_TRUE(all);
  EXPECT_EQ(*bundled, all->rules.size());

  // A mapping of one catalog is checked against that catalog only.
  auto good = tmp.write("good.yaml",
                        "mapping: good\ncatalog: csap\ncontrols:\n  \"R1\":\n"
                        "    rules: [AWS-APIGW-TLS-001]\n");
  auto ok = app::validate_rules("", {good.string()});
  EXPECT_TRUE(ok) << ok.error().str();
  auto other = tmp.write("other.yaml",
                         "mapping: other\ncatalog: mine\ncontrols:\n  \"A\":\n"
                         "    rules: [AWS-APIGW-TLS-001]\n");
  auto unknown = app::validate_rules("", {other.string()});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().where.file, other.string());

  auto map = tmp.write("map.yaml",
                       "mapping: test\ncatalog: csap\ncontrols:\n  \"R1\":\n"
                       "    rules: [NO-SUCH-RULE-003]\n");
  auto bad = app::validate_rules("", {map.string()});
  ASSERT_FALSE(bad);
  EXPECT_EQ(exit_code(bad.error()), 3);
  EXPECT_NE(bad.error().message.find("NO-SUCH-RULE-003"), std::string::npos);
}

TEST(AppRuleInfo, LoadRulesHonoursNoBundledRules) {
  csap::testing::TempDir tmp;
  tmp.write("r/a.yaml", R"(id: X-V-002
title: {en: a}
severity: low
resource: [aws_s3_bucket]
check: {path: bucket, op: exists}
)");
  app::Sources src;
  src.rule_dirs = {(tmp.path() / "r").string()};
  src.no_bundled_rules = true;
  auto rs = app::load_rules(src);
  ASSERT_TRUE(rs) << rs.error().str();
  ASSERT_EQ(rs->rules.size(), 1u);
  EXPECT_EQ(rs->rules[0].id, "X-V-002");
}

}  // namespace
