#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

using namespace csap;
namespace fs = std::filesystem;

namespace {

TEST(ProjectConfig, ReadsEveryKeyWithPathsRelativeToTheFile) {
  csap::testing::TempDir t;
  fs::create_directories(t.path() / "proj");
  auto file = t.write("proj/.csapcheck.yaml",
                      "system: billing\n"
                      "profile: saas-moderate\n"
                      "catalog: csap\n"
                      "mappings: maps/extra.yaml\n"
                      "rules: [rules, /abs/rules]\n"
                      "attest: attest.yaml\n"
                      "waivers:\n  - waivers.yaml\n"
                      "formats: [json, sarif]\n"
                      "outputs: [out/r.json, '-']\n"
                      "fail-on: medium\n"
                      "store: .csapcheck/history.db\n");
  auto cfg = app::load_config(file.string());
  ASSERT_TRUE(cfg) << cfg.error().str();
  fs::path dir = fs::absolute(t.path() / "proj");
  EXPECT_EQ(cfg->value("system"), "billing");
  EXPECT_EQ(cfg->value("profile"), "saas-moderate");
  EXPECT_EQ(cfg->value("fail-on"), "medium");
  EXPECT_EQ(cfg->value("mappings"), (dir / "maps/extra.yaml").string());
  ASSERT_EQ(cfg->get("rules")->values.size(), 2u);
  EXPECT_EQ(cfg->get("rules")->values[0], (dir / "rules").string());
  EXPECT_EQ(cfg->get("rules")->values[1], "/abs/rules");
  EXPECT_EQ(cfg->value("waivers"), (dir / "waivers.yaml").string());
  EXPECT_EQ(cfg->get("formats")->values, (std::vector<std::string>{"json", "sarif"}));
  EXPECT_EQ(cfg->get("outputs")->values[1], "-");
  EXPECT_EQ(cfg->value("store"), (dir / ".csapcheck/history.db").string());
  EXPECT_EQ(cfg->get("profile")->origin, file.string() + ":2:1");
}

TEST(ProjectConfig, UnknownKeyIsAnErrorAtItsPosition) {
  csap::testing::TempDir t;
  auto file = t.write(".csapcheck.yaml", "profile: iaas-low\n  \nfail_on: high\n");
  auto cfg = app::load_config(file.string());
  ASSERT_FALSE(cfg);
  EXPECT_EQ(cfg.error().where.line, 3);
  EXPECT_EQ(cfg.error().where.column, 1);
  EXPECT_NE(cfg.error().message.find("unknown key 'fail_on'"), std::string::npos);
  EXPECT_EQ(cfg.error().code, Exit::kBadInput);
}

TEST(ProjectConfig, WrongShapesAreErrors) {
  csap::testing::TempDir t;
  for (const char* text : {"profile: [a, b]\n", "profile: {a: b}\n", "rules: []\n", "profile:\n",
                           "- profile\n", "profile: a\nprofile: b\n"}) {
    auto file = t.write(".csapcheck.yaml", text);
    auto cfg = app::load_config(file.string());
    ASSERT_FALSE(cfg) << text;
    EXPECT_GT(cfg.error().where.line, 0) << text;
  }
}

TEST(ProjectConfig, FoundInTheScannedDirectoryOrAbove) {
  csap::testing::TempDir t;
  fs::create_directories(t.path() / "a/b/c");
  t.write("a/.csapcheck.yaml", "profile: iaas-low\n");
  t.write("a/b/c/plan.json", "{}");
  auto from_dir = app::find_config((t.path() / "a/b/c").string());
  ASSERT_TRUE(from_dir);
  EXPECT_EQ(fs::canonical(*from_dir), fs::canonical(t.path() / "a/.csapcheck.yaml"));
  auto from_file = app::find_config((t.path() / "a/b/c/plan.json").string());
  ASSERT_TRUE(from_file);
  EXPECT_EQ(fs::canonical(*from_file), fs::canonical(t.path() / "a/.csapcheck.yaml"));
  t.write("a/b/.csapcheck.yaml", "profile: saas-low\n");
  auto nearer = app::find_config((t.path() / "a/b/c").string());
  ASSERT_TRUE(nearer);
  EXPECT_EQ(fs::canonical(*nearer), fs::canonical(t.path() / "a/b/.csapcheck.yaml"));
}

TEST(ProjectConfig, CommandLineOverridesAndAnExplicitFileMustExist) {
  csap::testing::TempDir t;
  auto file = t.write("c.yaml", "profile: iaas-low\nfail-on: low\n");
  auto cfg = app::resolve_config(file.string(), {});
  ASSERT_TRUE(cfg) << cfg.error().str();
  cfg->override_with("profile", {"saas-high"});
  cfg->override_with("fail-on", {});
  EXPECT_EQ(cfg->value("profile"), "saas-high");
  EXPECT_EQ(cfg->get("profile")->origin, "command line");
  EXPECT_EQ(cfg->value("fail-on"), "low");
  auto missing = app::resolve_config((t.path() / "none.yaml").string(), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Exit::kUsage);
}

TEST(ProjectConfig, ACatalogFileBesideTheConfigIsAPathAndANameStaysAName) {
  csap::testing::TempDir t;
  t.write("my-catalog.yaml", "id: x\n");
  auto file = t.write(".csapcheck.yaml", "catalog: my-catalog.yaml\n");
  auto cfg = app::load_config(file.string());
  ASSERT_TRUE(cfg) << cfg.error().str();
  EXPECT_EQ(cfg->value("catalog"), (fs::absolute(t.path()) / "my-catalog.yaml").string());
  file = t.write(".csapcheck.yaml", "catalog: isms-p\n");
  cfg = app::load_config(file.string());
  ASSERT_TRUE(cfg) << cfg.error().str();
  EXPECT_EQ(cfg->value("catalog"), "isms-p");
}

}  // namespace
