// Rule pages generated from the rule files, the rule list as JSON, and docs/rules kept current.
#include "report/ruledocs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.h"

using namespace csap;

namespace {

rules::RuleSet bundled() {
  auto rs = rules::load_rules({});
  EXPECT_TRUE(rs) << rs.error().str();
  return rs ? std::move(*rs) : rules::RuleSet{};
}

}  // namespace

TEST(RuleDocs, YamlFlowQuotesWhatWouldReadBackDifferently) {
  auto n = yaml::parse_one("{a: [1, \"22\", x], b: {c: \"-1\", d: 'a: b'}, f: \"\"}", "t");
  ASSERT_TRUE(n);
  EXPECT_EQ(report::yaml_flow(*n), "{a: [1, \"22\", x], b: {c: \"-1\", d: \"a: b\"}, f: \"\"}");
}

TEST(RuleDocs, OnePagePerRuleAndAnIndex) {
  auto rs = bundled();
  auto pages = report::rule_doc_pages(rs);
  ASSERT_TRUE(pages) << pages.error().str();
  EXPECT_EQ(pages->size(), rs.rules.size() + 1);
  ASSERT_TRUE(pages->count("README.md"));
  const rules::Rule* r = rs.find("AWS-S3-ENC-001");
  ASSERT_TRUE(r);
  const std::string& p = pages->at("AWS-S3-ENC-001.md");
  for (std::string_view want :
       {"# AWS-S3-ENC-001", "S3 버킷 저장 데이터 암호화", "| Severity | high |", "`aws_s3_bucket`",
        "## Check", "related:", "## Parameters", "`algorithms`", "## Rationale", "## Remediation",
        "## Controls", "| csap | 12.3 |", "## Test cases", "data/rules/aws/AWS-S3-ENC-001.yaml"})
    EXPECT_NE(p.find(want), std::string::npos) << want << "\n" << p;
  EXPECT_NE(pages->at("README.md").find("[AWS-S3-ENC-001](AWS-S3-ENC-001.md)"), std::string::npos);
}

TEST(RuleDocs, WriteThenCompare) {
  auto rs = bundled();
  csap::testing::TempDir tmp;
  tmp.write("STALE-RULE.md", std::string(report::kGeneratedMarker) + " from x. -->\n\nold");
  auto n = report::write_rule_docs(rs, tmp.path());
  ASSERT_TRUE(n) << n.error().str();
  EXPECT_EQ(*n, rs.rules.size() + 1);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "STALE-RULE.md"));
  auto pages = report::rule_doc_pages(rs);
  ASSERT_TRUE(pages);
  EXPECT_TRUE(report::compare_rule_docs(*pages, tmp.path()).empty());
  tmp.write("AWS-S3-ENC-001.md", "edited by hand");
  auto diffs = report::compare_rule_docs(*pages, tmp.path());
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0], "differs AWS-S3-ENC-001.md");
}

TEST(RuleDocs, CommittedDocsAreCurrent) {
  auto rs = bundled();
  auto pages = report::rule_doc_pages(rs);
  ASSERT_TRUE(pages) << pages.error().str();
  auto diffs = report::compare_rule_docs(*pages, csap::testing::source_dir() / "docs/rules");
  std::string list;
  for (std::size_t i = 0; i < diffs.size() && i < 10; ++i) list += "\n  " + diffs[i];
  EXPECT_TRUE(diffs.empty()) << "docs/rules is stale: run `csapcheck rules docs -o docs/rules`"
                             << list;
}

TEST(RuleDocs, RulesJsonCarriesControlsPerCatalog) {
  auto rs = bundled();
  auto controls = catalog::rule_controls();
  ASSERT_TRUE(controls) << controls.error().str();
  auto j = nlohmann::json::parse(report::rules_json(rs, *controls));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), rs.rules.size());
  bool found = false;
  for (const auto& r : j) {
    for (const char* k : {"id", "severity", "title", "resource_types", "controls", "file"})
      EXPECT_TRUE(r.contains(k)) << k;
    EXPECT_TRUE(r["title"].contains("ko") && r["title"].contains("en"));
    if (r["id"] == "AWS-S3-ENC-001") {
      found = true;
      EXPECT_EQ(r["severity"], "high");
      EXPECT_EQ(r["resource_types"][0], "aws_s3_bucket");
      ASSERT_TRUE(r["controls"].contains("csap"));
      auto csap_ids = r["controls"]["csap"].get<std::vector<std::string>>();
      EXPECT_NE(std::find(csap_ids.begin(), csap_ids.end(), "12.3"), csap_ids.end());
      EXPECT_TRUE(r["controls"].contains("isms-p"));
    }
  }
  EXPECT_TRUE(found);
}

TEST(RuleDocs, EveryPageStartsWithTheMarker) {
  auto rs = bundled();
  auto pages = report::rule_doc_pages(rs);
  ASSERT_TRUE(pages) << pages.error().str();
  for (const auto& [name, text] : *pages)
    EXPECT_TRUE(text.starts_with(report::kGeneratedMarker)) << name;
}

TEST(RuleDocs, FilesItDidNotWriteAreKept) {
  auto rs = bundled();
  csap::testing::TempDir tmp;
  tmp.write("architecture.md", "# Architecture\n");
  tmp.write("CHANGELOG.md", "# Changes\n");
  tmp.write("notes.txt", "mine");
  // Mentions the marker, but not on its first line.
  tmp.write("OLD-RULE.md", "# Old\n" + std::string(report::kGeneratedMarker) + " -->\n");
  auto n = report::write_rule_docs(rs, tmp.path());
  ASSERT_TRUE(n) << n.error().str();
  for (const char* kept : {"architecture.md", "CHANGELOG.md", "notes.txt", "OLD-RULE.md"})
    EXPECT_TRUE(std::filesystem::exists(tmp.path() / kept)) << kept;
  std::ifstream in(tmp.path() / "architecture.md");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "# Architecture");
}

TEST(RuleDocs, APageNameTakenByAnotherFileStopsTheRunBeforeAnyChange) {
  auto rs = bundled();
  csap::testing::TempDir tmp;
  tmp.write("README.md", "# My project\n");
  tmp.write("STALE-RULE.md", std::string(report::kGeneratedMarker) + " from x. -->\n");
  auto n = report::write_rule_docs(rs, tmp.path());
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, Exit::kBadInput);
  EXPECT_NE(n.error().message.find("was not written by `csapcheck rules docs`"), std::string::npos)
      << n.error().message;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "AWS-S3-ENC-001.md"));
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "STALE-RULE.md"));
  std::ifstream in(tmp.path() / "README.md");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "# My project");
}

TEST(RuleDocs, RuleIdsThatCouldLeaveTheDirectoryAreRefused) {
  for (const char* bad : {"../../x", "A/B", "aws-s3", "-A", "A", "A.B", "A B", "..", "A\\B"})
    EXPECT_FALSE(report::valid_rule_id(bad)) << bad;
  for (const std::string& good : {std::string("AWS-S3-ENC-001"), std::string("K8S-POD-1"),
                                  std::string("0A"), std::string(64, 'A')})
    EXPECT_TRUE(report::valid_rule_id(good)) << good;
  EXPECT_FALSE(report::valid_rule_id(std::string(65, 'A')));
  for (const auto& r : bundled().rules) EXPECT_TRUE(report::valid_rule_id(r.id)) << r.id;

  // A rule set holding such an id (as a rule file from --rules could name it) writes nothing.
  auto compiled = rules::compile_rules_text(R"(
id: ../../escaped
title: {en: t, ko: t}
severity: low
resource: [aws_s3_bucket]
check: {path: acl, op: equals, value: private}
)",
                                            "evil.yaml");
  if (!compiled) {  // the rule compiler may refuse the id itself
    EXPECT_EQ(compiled.error().code, Exit::kBadInput);
    return;
  }
  rules::RuleSet rs;
  for (auto& r : *compiled) rs.add(std::move(r));
  rs.index();
  csap::testing::TempDir tmp;
  auto out = tmp.path() / "a" / "b";
  auto n = report::write_rule_docs(rs, out);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, Exit::kBadInput);
  EXPECT_NE(n.error().str().find("evil.yaml:"), std::string::npos) << n.error().str();
  EXPECT_NE(n.error().message.find("'../../escaped'"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "escaped.md"));
  EXPECT_FALSE(std::filesystem::exists(out / "README.md"));
}
