// Every Terraform plan and state in ../shared/corpus, scanned with the full bundled rule pack at
// the moderate and high tiers: no crash, no error finding, and no failure decided by a value that
// is known only after apply. The binary's exit code is 0 or 1 for every file it accepts, 3 for the
// files the loader rejects.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>

#include "catalog/mapping.h"
#include "engine/engine.h"
#include "ingest/terraform.h"
#include "rules/ruleset.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace csap;

namespace {

rules::ParamOverrides tier_overrides(const std::string& tier) {
  rules::ParamOverrides ov;
  auto maps = catalog::bundled_mappings("csap");
  EXPECT_TRUE(maps) << maps.error().str();
  if (!maps) return ov;
  for (const auto& m : *maps)
    for (const auto& cm : m.controls)
      if (auto it = cm.params.find(tier); it != cm.params.end())
        for (const auto& [key, node] : it->second) ov[key] = node;
  return ov;
}

bool candidate(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".json" || ext == ".tfstate" || ext == ".backup";
}

}  // namespace

TEST(CorpusScan, EveryPlanAndStateScansCleanly) {
  CSAP_REQUIRE_SHARED();
  auto start = std::chrono::steady_clock::now();
  fs::path corpus = csap::testing::shared_dir() / "corpus";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.is_regular_file() && candidate(e.path())) files.push_back(e.path());
  std::sort(files.begin(), files.end());

  std::vector<std::pair<std::string, rules::RuleSet>> tiers;
  for (std::string tier : {"moderate", "high"}) {
    rules::LoadRulesOptions ro;
    ro.overrides = tier_overrides(tier);
    auto rs = rules::load_rules(ro);
    ASSERT_TRUE(rs) << rs.error().str();
    tiers.emplace_back(tier, std::move(*rs));
  }

  std::size_t scanned = 0, not_terraform = 0, resources = 0;
  std::vector<std::string> rejected, accepted;
  std::map<std::string, std::array<std::size_t, 4>> by_tier;
  for (const auto& f : files) {
    Deployment d;
    auto r = ingest::load_terraform_file(f, d);
    std::string rel = fs::relative(f, corpus).string();
    if (!r) {
      const std::string& msg = r.error().message;
      if (msg.starts_with("not a Terraform plan or state") || msg.starts_with("empty file")) {
        ++not_terraform;
      } else {
        EXPECT_FALSE(msg.empty()) << rel << ": rejected without a reason";
        rejected.push_back(rel + ": " + msg);
      }
      continue;
    }
    ++scanned;
    accepted.push_back(f.string());
    resources += d.resources.size();
    for (const auto& [tier, rs] : tiers) {
      engine::Options eo;
      eo.jobs = 1;
      auto findings = engine::run(rs, d, eo);
      auto& counts = by_tier[tier];
      for (const auto& fd : findings) {
        ++counts[static_cast<std::size_t>(fd.status)];
        const auto& rule = rs.rules[fd.rule];
        std::string_view addr = d.resources[fd.resource].address;
        EXPECT_NE(fd.status, engine::Status::kError)
            << rel << ": " << rule.id << " on " << addr << ": " << fd.error;
        if (fd.status == engine::Status::kFail) {
          // The deciding value itself must be known; a known block that merely contains unknown
          // fields (an access_config whose nat_ip is computed) is a real failure.
          EXPECT_TRUE(fd.why.actual != "(known after apply)" &&
                      fd.why.actual != "\"(known after apply)\"")
              << rel << ": " << rule.id << " fails " << addr << " on " << fd.why.path
              << " whose value is known only after apply";
        }
      }
    }
  }

  // The binary agrees: exit 0 or 1 for an accepted file, 3 for a rejected one (a sample of each
  // kind keeps the test fast; every accepted file was scanned in-process above).
  std::size_t step = std::max<std::size_t>(1, accepted.size() / 25);
  csap::testing::TempDir reports;
  const std::string report = (reports.path() / "report.json").string();
  for (std::size_t i = 0; i < accepted.size(); i += step) {
    std::string out;
    int rc = csap::testing::run(
        fmt::format("'{}' scan '{}' --profile iaas-high --format json -o '{}' -q",
                    csap::testing::binary(), accepted[i], report),
        &out, true);
    EXPECT_TRUE(rc == 0 || rc == 1) << accepted[i] << ": exit " << rc << "\n" << out;
  }
  for (std::size_t i = 0; i < rejected.size() && i < 5; ++i) {
    std::string file = (corpus / rejected[i].substr(0, rejected[i].find(": "))).string();
    std::string out;
    int rc = csap::testing::run(
        fmt::format("'{}' scan '{}' --profile iaas-high -q", csap::testing::binary(), file), &out,
        true);
    EXPECT_EQ(rc, 3) << file << "\n" << out;
  }

  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "corpus scan: %zu candidate files, %zu Terraform plans/states scanned (%zu resources), "
      "%zu not Terraform, %zu rejected, %.1f s\n",
      files.size(), scanned, resources, not_terraform, rejected.size(), secs);
  for (const auto& [tier, c] : by_tier)
    std::printf("  iaas-%s: %zu pass, %zu fail, %zu unknown, %zu error\n", tier.c_str(), c[0], c[1],
                c[2], c[3]);
  for (const auto& r : rejected) std::printf("  rejected: %s\n", r.c_str());
  // No duration is asserted: a sanitizer build on a loaded machine takes minutes (the figure is
  // printed above; speed is judged by the benchmark, docs/benchmarks.md).
  EXPECT_GT(scanned, 300u);
}
