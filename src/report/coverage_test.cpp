// `csapcheck rules coverage`: automated / partly automated / manual controls per catalog, profile,
// area.
#include "report/coverage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "assess/assess.h"
#include "test_support.h"

using namespace csap;

namespace {

catalog::Catalog small_catalog() {
  auto c = catalog::load_catalog_text(R"(
catalog: demo
version: "1"
status: custom
title: {ko: 데모, en: Demo}
tiers: [{id: high, ko: 상}, {id: low, ko: 하}]
profiles:
  iaas-high: {service: iaas, tier: high}
  iaas-low: {service: iaas, tier: low}
controls:
  - {id: "1", title: {ko: 암호화, en: Encryption}}
  - {id: "1.1", title: {ko: 저장 암호화, en: At rest}, applies: {iaas: [high, low]}}
  - {id: "1.2", title: {ko: 키 관리, en: Keys}, applies: {iaas: [high, low]}}
  - {id: "2", title: {ko: 네트워크, en: Network}}
  - {id: "2.1", title: {ko: 외부 차단, en: No internet}, applies: {iaas: [high]}}
  - {id: "2.2", title: {ko: 관리 접근, en: Admin access}, applies: {iaas: [high, low]}}
)",
                                      "demo.yaml");
  EXPECT_TRUE(c) << c.error().str();
  return std::move(*c);
}

catalog::Mapping small_mapping() {
  auto m = catalog::load_mapping_text(R"(
mapping: demo
catalog: demo
controls:
  "1.1": {rules: [AWS-S3-ENC-001]}
  "1.2": {rules: [AWS-S3-ENC-001], evidence: [key procedure]}
  "2.1": {rules: [NO-SUCH-RULE]}
)",
                                      "demo-map.yaml");
  EXPECT_TRUE(m) << m.error().str();
  return std::move(*m);
}

}  // namespace

TEST(Coverage, ClassifiesControlsPerArea) {
  auto cat = small_catalog();
  auto rs = rules::load_rules({});
  ASSERT_TRUE(rs) << rs.error().str();
  auto cc = report::catalog_coverage(cat, {small_mapping()}, *rs);
  ASSERT_TRUE(cc) << cc.error().str();
  ASSERT_EQ(cc->profiles.size(), 2u);
  const auto& high = cc->profiles[0];
  EXPECT_EQ(high.profile.id, "iaas-high");
  EXPECT_EQ(high.total.automated, 1u);  // 1.1
  EXPECT_EQ(high.total.partial, 1u);    // 1.2: rules and evidence
  EXPECT_EQ(high.total.manual, 2u);     // 2.1 names a rule that does not exist; 2.2 has none
  ASSERT_EQ(high.areas.size(), 2u);
  EXPECT_EQ(high.areas[0].automated, std::vector<std::string>{"1.1"});
  EXPECT_EQ(high.areas[1].manual, (std::vector<std::string>{"2.1", "2.2"}));
  const auto& low = cc->profiles[1];
  EXPECT_EQ(low.total.total(), 3u);  // 2.1 applies at high only

  std::vector<report::CatalogCoverage> all{*cc};
  std::string en = report::coverage_text(all, Lang::kEn);
  EXPECT_NE(en.find("automated"), std::string::npos) << en;
  EXPECT_NE(en.find("iaas-high"), std::string::npos);
  std::string ko = report::coverage_text(all, Lang::kKo);
  for (std::string_view w : {"영역", "자동", "부분 자동", "수동", "합계", "암호화"})
    EXPECT_NE(ko.find(w), std::string::npos) << w << "\n" << ko;
  auto j = nlohmann::json::parse(report::coverage_json(all));
  EXPECT_EQ(j["catalogs"][0]["profiles"][0]["total"]["partial"], 1);
  EXPECT_EQ(j["catalogs"][0]["profiles"][0]["areas"][1]["controls"]["manual"][1], "2.2");

  auto one = report::catalog_coverage(cat, {small_mapping()}, *rs, "iaas-low");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->profiles.size(), 1u);
  EXPECT_FALSE(report::catalog_coverage(cat, {small_mapping()}, *rs, "nope"));
}

TEST(Coverage, AgreesWithTheAssessorOnTheBundledCatalogs) {
  auto rs = rules::load_rules({});
  ASSERT_TRUE(rs) << rs.error().str();
  for (const auto& name : catalog::bundled_names()) {
    auto cat = catalog::load_bundled(name);
    ASSERT_TRUE(cat) << cat.error().str();
    auto maps = catalog::bundled_mappings(cat->id);
    ASSERT_TRUE(maps) << maps.error().str();
    for (const auto& p : cat->profiles) {
      auto pc = report::coverage(*cat, p, *maps, *rs);
      Deployment empty;
      auto a = assess::assess(*cat, p, *maps, *rs, empty, {});
      EXPECT_EQ(pc.total.total(), a.controls.size()) << name << " " << p.id;
      std::size_t with_rules = 0;
      for (const auto& cr : a.controls) with_rules += cr.automated;
      EXPECT_EQ(pc.total.automated + pc.total.partial, with_rules) << name << " " << p.id;
      std::size_t sum = 0;
      for (const auto& ac : pc.areas) sum += ac.counts.total();
      EXPECT_EQ(sum, pc.total.total()) << name << " " << p.id;
    }
  }
}
