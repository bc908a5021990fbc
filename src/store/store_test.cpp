#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

using namespace csap;

namespace {

store::RunRecord sample(const std::string& system, int fails) {
  store::RunRecord r;
  r.system = system;
  r.started_at = "2026-06-01T10:00:00Z";
  r.tool_version = "test";
  r.catalog_id = "csap";
  r.catalog_version = "2024";
  r.profile = "iaas-moderate";
  r.readiness = 0.5;
  r.inputs.push_back({"plan.json", "terraform-plan", std::string(64, 'a')});
  for (int i = 0; i < fails; ++i) {
    std::string res = "aws_s3_bucket.b" + std::to_string(i);
    r.findings.push_back({store::fingerprint("terraform-plan", res, "R-1"), "terraform-plan", res,
                          "R-1", "high", "fail", false});
  }
  r.controls.push_back({"1.1", fails ? "fail" : "pass"});
  r.evidence.push_back({"waiver", "waivers.yaml:3", "", "R-2", true});
  return r;
}

TEST(HistoryStore, RecordsAndReadsARunWhole) {
  csap::testing::TempDir t;
  std::string db = (t.path() / ".csapcheck/history.db").string();
  auto id = store::record(db, sample("billing", 2));
  ASSERT_TRUE(id) << id.error().str();
  auto run = store::load_run(db, std::to_string(*id));
  ASSERT_TRUE(run) << run.error().str();
  EXPECT_EQ(run->id, *id);
  EXPECT_EQ(run->system, "billing");
  EXPECT_EQ(run->catalog_version, "2024");
  ASSERT_EQ(run->inputs.size(), 1u);
  EXPECT_EQ(run->inputs[0].sha256, std::string(64, 'a'));
  ASSERT_EQ(run->findings.size(), 2u);
  EXPECT_EQ(run->findings[1].resource, "aws_s3_bucket.b1");
  EXPECT_EQ(run->failures(), 2u);
  ASSERT_EQ(run->controls.size(), 1u);
  EXPECT_EQ(run->controls[0].verdict, "fail");
  ASSERT_EQ(run->evidence.size(), 1u);
  EXPECT_TRUE(run->evidence[0].valid);
}

TEST(HistoryStore, LatestAndPreviousPerSystem) {
  csap::testing::TempDir t;
  std::string db = (t.path() / "h.db").string();
  ASSERT_TRUE(store::record(db, sample("a", 1)));
  ASSERT_TRUE(store::record(db, sample("b", 2)));
  ASSERT_TRUE(store::record(db, sample("a", 3)));
  auto latest = store::load_run(db, "latest");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->findings.size(), 3u);
  auto prev_a = store::load_run(db, "previous", "a");
  ASSERT_TRUE(prev_a);
  EXPECT_EQ(prev_a->findings.size(), 1u);
  auto runs_b = store::list_runs(db, "b");
  ASSERT_TRUE(runs_b);
  ASSERT_EQ(runs_b->size(), 1u);
  EXPECT_EQ((*runs_b)[0].failures, 2u);
  EXPECT_FALSE(store::load_run(db, "previous", "b"));
  auto bad = store::load_run(db, "yesterday");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Exit::kUsage);
}

TEST(HistoryStore, FingerprintsIgnoreLinesAndSeparateFields) {
  EXPECT_EQ(store::fingerprint("terraform-plan", "aws_vpc.a", "R"),
            store::fingerprint("terraform-plan", "aws_vpc.a", "R"));
  EXPECT_NE(store::fingerprint("terraform-plan", "aws_vpc.a", "R"),
            store::fingerprint("terraform-state", "aws_vpc.a", "R"));
  EXPECT_NE(store::fingerprint("k", "ab", "c"), store::fingerprint("k", "a", "bc"));
}

TEST(HistoryStore, AStoreFromANewerVersionIsRefused) {
  csap::testing::TempDir t;
  std::string db = (t.path() / "h.db").string();
  ASSERT_TRUE(store::record(db, sample("a", 1)));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  std::string pragma = "PRAGMA user_version = " + std::to_string(store::kSchemaVersion + 1);
  ASSERT_EQ(sqlite3_exec(raw, pragma.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto w = store::record(db, sample("a", 1));
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("newer csapcheck"), std::string::npos) << w.error().message;
  EXPECT_FALSE(store::list_runs(db));
}

TEST(HistoryStore, NotADatabaseAndMissingStoreAreClearErrors) {
  csap::testing::TempDir t;
  auto junk = t.write("junk.db", std::string(4096, 'x'));
  auto r = store::record(junk.string(), sample("a", 1));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not an SQLite database"), std::string::npos)
      << r.error().message;
  auto none = store::list_runs((t.path() / "none.db").string());
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no history store"), std::string::npos);
}

TEST(HistoryStore, EightConcurrentWritersLoseNoRun) {
  csap::testing::TempDir t;
  std::string db = (t.path() / "h.db").string();
  constexpr int kWriters = 8, kRunsEach = 5;
  std::vector<std::thread> threads;
  std::vector<int> ok(kWriters, 0);
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRunsEach; ++i)
        if (store::record(db, sample("s" + std::to_string(w), i + 1))) ++ok[w];
    });
  for (auto& th : threads) th.join();
  for (int w = 0; w < kWriters; ++w) EXPECT_EQ(ok[w], kRunsEach) << "writer " << w;
  auto runs = store::list_runs(db);
  ASSERT_TRUE(runs) << runs.error().str();
  EXPECT_EQ(runs->size(), static_cast<std::size_t>(kWriters * kRunsEach));
  std::size_t findings = 0;
  for (const auto& r : *runs) findings += r.failures;
  EXPECT_EQ(findings, static_cast<std::size_t>(kWriters * (1 + 2 + 3 + 4 + 5)));
}

}  // namespace
