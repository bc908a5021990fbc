#include "app/evidence_ops.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "test_support.h"

using namespace csap;

namespace {

Result<app::Loaded> load_profile(const std::string& service, const std::string& tier) {
  app::ProfileChoice p{{}, service, tier};
  return app::load(app::Sources{}, &p);
}

TEST(AppRoadmap, RunsThePipelineAtTheTargetTier) {
  auto l = load_profile("iaas", "moderate");
  ASSERT_TRUE(l) << l.error().str();
  app::RunOptions ro;
  ro.paths = {(csap::testing::source_dir() / "examples/demo/plan.json").string()};
  auto r = app::roadmap(std::move(*l), "low", ro);
  ASSERT_TRUE(r) << r.error().str();
  EXPECT_EQ(r->run.assessment.profile.tier, "moderate");
  EXPECT_FALSE(r->run.assessment.findings.empty());
  ASSERT_FALSE(r->roadmap.areas.empty());
  std::size_t items = 0;
  for (const auto& a : r->roadmap.areas) items += a.items.size();
  EXPECT_GT(items, 0u);

  auto again = load_profile("iaas", "moderate");
  ASSERT_TRUE(again);
  auto bad = app::roadmap(std::move(*again), "no-such-tier", ro);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no-such-tier"), std::string::npos) << bad.error().str();
}

TEST(AppInit, WritesASkeletonThenAddsNothingTheSecondTime) {
  csap::testing::TempDir tmp;
  auto out = (tmp.path() / "attest.yaml").string();
  auto l = load_profile("iaas", "moderate");
  ASSERT_TRUE(l) << l.error().str();
  auto first = app::init(std::move(*l), out);
  ASSERT_TRUE(first) << first.error().str();
  EXPECT_FALSE(first->merged);
  EXPECT_GT(first->written, 0u);
  auto text = read_text_file(out);
  ASSERT_TRUE(text);

  auto l2 = load_profile("iaas", "moderate");
  ASSERT_TRUE(l2);
  auto second = app::init(std::move(*l2), out);
  ASSERT_TRUE(second) << second.error().str();
  EXPECT_TRUE(second->merged);
  EXPECT_TRUE(second->added.empty());
  EXPECT_EQ(second->kept, first->written);
  EXPECT_EQ(*read_text_file(out), *text);
}

TEST(AppEvidence, LockAndVerifyNeedExactlyOneAttestationFile) {
  auto l = app::load(app::Sources{}, nullptr);
  ASSERT_TRUE(l) << l.error().str();
  app::EvidenceOptions ev;
  auto lock = app::lock(*l, ev, "");
  ASSERT_FALSE(lock);
  EXPECT_EQ(exit_code(lock.error()), 2);
  auto verify = app::verify(*l, ev, "");
  ASSERT_FALSE(verify);
  EXPECT_EQ(exit_code(verify.error()), 2);
}

TEST(AppEvidence, MissingEvidenceFilesAreEachADetail) {
  csap::testing::TempDir tmp;
  auto att = tmp.write("attest.yaml", R"(attestations:
  - control: "1.1"
    status: implemented
    owner: security-team
    reviewed: 2026-03-02
    expires: 2027-03-01
    evidence: [gone-1.pdf]
  - control: "2.3"
    status: implemented
    owner: security-team
    reviewed: 2026-03-02
    expires: 2027-03-01
    evidence: [gone-2.pdf]
)");
  auto l = app::load(app::Sources{}, nullptr);
  ASSERT_TRUE(l) << l.error().str();
  app::EvidenceOptions ev;
  ev.attest = {att.string()};
  auto lock = app::lock(*l, ev, "");
  ASSERT_FALSE(lock);
  EXPECT_EQ(exit_code(lock.error()), 3);
  ASSERT_EQ(lock.error().details.size(), 2u) << lock.error().str();
  EXPECT_EQ(lock.error().details[0].where.file, att.string());
  EXPECT_NE(lock.error().details[1].message.find("gone-2.pdf"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "attest.lock.yaml"));
}

}  // namespace
