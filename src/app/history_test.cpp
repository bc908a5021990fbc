#include "app/history.h"

#include <gtest/gtest.h>

#include <sstream>

#include "app/pipeline.h"
#include "test_support.h"

using namespace csap;

namespace {

store::FindingRecord failing(const std::string& res, const std::string& rule, bool waived = false) {
  return {store::fingerprint("terraform-plan", res, rule),
          "terraform-plan",
          res,
          rule,
          "high",
          "fail",
          waived};
}

TEST(RunDiff, NewFixedUnchangedAndChangedVerdicts) {
  store::RunRecord a, b;
  a.findings = {failing("x.a", "R1"), failing("x.b", "R1"), failing("x.c", "R2", true)};
  b.findings = {failing("x.b", "R1"), failing("x.c", "R2"), failing("x.d", "R3")};
  b.findings.push_back({store::fingerprint("terraform-plan", "x.e", "R4"), "terraform-plan", "x.e",
                        "R4", "high", "unknown", false});
  a.controls = {{"1.1", "fail"}, {"1.2", "pass"}, {"1.3", "manual"}};
  b.controls = {{"1.1", "fail"}, {"1.2", "fail"}, {"1.4", "pass"}};
  auto d = app::diff(a, b);
  ASSERT_EQ(d.added.size(), 2u);  // x.c is no longer waived; x.d is new; unknown is no failure
  EXPECT_EQ(d.added[0].resource, "x.c");
  EXPECT_EQ(d.added[1].resource, "x.d");
  ASSERT_EQ(d.fixed.size(), 1u);
  EXPECT_EQ(d.fixed[0].resource, "x.a");
  ASSERT_EQ(d.unchanged.size(), 1u);
  EXPECT_EQ(d.unchanged[0].resource, "x.b");
  ASSERT_EQ(d.controls.size(), 3u);
  EXPECT_EQ(d.controls[0].control, "1.2");
  EXPECT_EQ(d.controls[0].before, "pass");
  EXPECT_EQ(d.controls[0].after, "fail");
  EXPECT_EQ(d.controls[1].control, "1.4");
  EXPECT_EQ(d.controls[1].before, "");
  EXPECT_EQ(d.controls[2].control, "1.3");
  EXPECT_EQ(d.controls[2].after, "");
  std::ostringstream text;
  app::write_diff_text(text, d, a, b);
  EXPECT_NE(text.str().find("2 new, 1 fixed, 1 unchanged failure(s); 3 control verdict(s)"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("1.2          pass → fail"), std::string::npos) << text.str();
}

TEST(RunDiff, TheRecordOfAScanHasFingerprintsWithoutLines) {
  app::RunOptions ro;
  ro.paths = {(csap::testing::source_dir() / "examples/demo/plan.json").string()};
  auto run = app::scan(app::Sources{}, app::ProfileChoice{"iaas-moderate", {}, {}}, ro);
  ASSERT_TRUE(run) << run.error().str();
  auto r = app::to_record(run->assessment, "demo", "test", "2026-06-01T00:00:00Z");
  EXPECT_EQ(r.catalog_id, "csap");
  EXPECT_EQ(r.profile, "iaas-moderate");
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_EQ(r.inputs[0].sha256.size(), 64u);
  EXPECT_EQ(r.failures(), 15u);
  EXPECT_EQ(r.controls.size(), run->assessment.controls.size());
  for (const auto& f : r.findings) {
    EXPECT_NE(f.status, "pass");
    EXPECT_EQ(f.fingerprint, store::fingerprint("terraform-plan", f.resource, f.rule));
  }
  // The same deployment judged twice gives the same failures: no difference.
  auto d = app::diff(r, r);
  EXPECT_TRUE(d.added.empty() && d.fixed.empty() && d.controls.empty());
  EXPECT_EQ(d.unchanged.size(), 15u);
}

TEST(RunDiff, AReportThatIsNotOneIsAClearError) {
  csap::testing::TempDir t;
  auto f = t.write("r.json", "{\"schema\": \"something/else\"}");
  auto r = app::read_report(f.string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a csapcheck JSON report"), std::string::npos);
}

}  // namespace
