#include "catalog/mapping.h"

#include <gtest/gtest.h>

#include "catalog/gap.h"
#include "core/embedded.h"
#include "core/workcount.h"

namespace csap::catalog {
namespace {

constexpr const char* kMapping = R"(mapping: csap-test
catalog: csap
controls:
  "14.2":
    rules: [RES-REGION-001, NCP-SITE-001]
    evidence: ["보안서비스 수준 협약(SLA)의 저장 위치 국내 한정 조항"]
    params: {low: {NCP-SITE-001.allowed_sites: [gov, public]}}
  R4:
    rules: [NO-SUCH-RULE]
    conditional: true
  "99.9":
    evidence: [policy]
)";

const std::set<std::string> kRules = {"RES-REGION-001", "NCP-SITE-001"};

TEST(CatalogMapping, Parses) {
  auto m = load_mapping_text(kMapping, "m.yaml");
  ASSERT_TRUE(m) << m.error().str();
  EXPECT_EQ(m->id, "csap-test");
  EXPECT_EQ(m->catalog, "csap");
  ASSERT_EQ(m->controls.size(), 3u);
  const ControlMapping* c = m->find("14.2");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->rules, (std::vector<std::string>{"RES-REGION-001", "NCP-SITE-001"}));
  EXPECT_EQ(c->evidence.size(), 1u);
  EXPECT_FALSE(c->conditional);
  EXPECT_EQ(c->line, 4);
  ASSERT_EQ(c->params.at("low").size(), 1u);
  EXPECT_EQ(c->params.at("low")[0].first, "NCP-SITE-001.allowed_sites");
  EXPECT_TRUE(c->params.at("low")[0].second.is_seq());
  EXPECT_TRUE(m->find("R4")->conditional);
}

TEST(CatalogMapping, ValidationCatchesUnknownRuleAndControlWithLines) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat);
  auto m = load_mapping_text(kMapping, "m.yaml");
  ASSERT_TRUE(m);
  auto errors = check_mapping(*m, *cat, kRules);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].str(), "m.yaml:9:13: mapping names rule 'NO-SUCH-RULE' that does not exist");
  EXPECT_EQ(errors[1].where.line, 11);
  EXPECT_NE(errors[1].message.find("control '99.9'"), std::string::npos);
  auto first = validate_mapping(*m, *cat, kRules);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, Exit::kBadInput);
  EXPECT_EQ(first.error().where.line, 9);
}

TEST(CatalogMapping, ValidationChecksParamsAndCatalog) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat);
  auto m = load_mapping_text(R"(mapping: x
catalog: csap
controls:
  "1.1":
    rules: [RES-REGION-001]
    params:
      low: {GHOST.p: 1}
      top: {RES-REGION-001.korea_regions: [kr]}
)",
                             "p.yaml");
  ASSERT_TRUE(m) << m.error().str();
  auto errors = check_mapping(*m, *cat, kRules);
  ASSERT_EQ(errors.size(), 2u);  // in document order
  EXPECT_EQ(
      errors[0].str(),
      "p.yaml:7:13: mapping names rule 'GHOST' that does not exist (in params key 'GHOST.p')");
  EXPECT_EQ(errors[1].str(), "p.yaml:8:7: params for control '1.1' name unknown tier 'top'");
  auto isms = load_bundled("isms-p");
  ASSERT_TRUE(isms);
  auto wrong = validate_mapping(*m, *isms, kRules);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("targets catalog 'csap'"), std::string::npos);
}

TEST(CatalogMapping, SyntaxErrorsHavePositions) {
  auto e1 =
      load_mapping_text("mapping: x\ncatalog: csap\ncontrols:\n  \"1\": {rulez: [A]}\n", "s.yaml");
  ASSERT_FALSE(e1);
  EXPECT_EQ(e1.error().where.line, 4);
  EXPECT_NE(e1.error().message.find("unknown key 'rulez'"), std::string::npos);
  auto e2 = load_mapping_text(
      "mapping: x\ncatalog: csap\ncontrols:\n  \"1\": {params: {low: "
      "{nodot: 1}}}\n",
      "s.yaml");
  ASSERT_FALSE(e2);
  EXPECT_NE(e2.error().message.find("RULE.param"), std::string::npos);
  auto e3 = load_mapping_text("catalog: csap\ncontrols: {}\n", "s.yaml");
  ASSERT_FALSE(e3);
  auto e4 = load_mapping_text(
      "mapping: x\ncatalog: csap\ncontrols:\n  \"1\": {conditional: maybe}\n", "s.yaml");
  ASSERT_FALSE(e4);
  EXPECT_EQ(e4.error().where.line, 4);
}

TEST(CatalogMapping, MergesMappingsOfOneCatalog) {
  auto a = load_mapping_text(R"(mapping: a
catalog: csap
controls:
  "14.2": {rules: [RES-REGION-001], conditional: true, params: {low: {RES-REGION-001.x: 1}}}
)",
                             "a.yaml");
  auto b = load_mapping_text(R"(mapping: b
catalog: csap
controls:
  "14.2": {rules: [NCP-SITE-001, RES-REGION-001], evidence: [e], params: {low: {RES-REGION-001.x: 2}}}
  "1.1": {evidence: [policy]}
)",
                             "b.yaml");
  ASSERT_TRUE(a && b);
  auto m = merge_mappings({*a, *b});
  ASSERT_TRUE(m) << m.error().str();
  EXPECT_EQ(m->id, "a+b");
  ASSERT_EQ(m->controls.size(), 2u);
  const ControlMapping* c = m->find("14.2");
  EXPECT_EQ(c->rules, (std::vector<std::string>{"RES-REGION-001", "NCP-SITE-001"}));
  EXPECT_FALSE(c->conditional);  // b does not say so
  EXPECT_EQ(c->params.at("low")[0].second.scalar, "2");
  EXPECT_EQ(m->find("1.1")->file, "b.yaml");
  auto other = load_mapping_text("mapping: c\ncatalog: isms-p\ncontrols: {}\n", "c.yaml");
  ASSERT_TRUE(other);
  EXPECT_FALSE(merge_mappings({*a, *other}));
}

// A mapping of n controls, each naming two rules.
std::string wide_mapping(std::size_t n, const char* id) {
  std::string s = std::string("mapping: ") + id + "\ncatalog: big\ncontrols:\n";
  s.reserve(n * 48);
  for (std::size_t i = 0; i < n; ++i)
    s += "  c" + std::to_string(i) + ": {rules: [R-" + std::to_string(i) + ", R-X]}\n";
  return s;
}

std::uint64_t merge_steps(std::size_t n) {
  std::uint64_t before = work::steps;
  auto a = load_mapping_text(wide_mapping(n, "a"), "a.yaml");
  auto b = load_mapping_text(wide_mapping(n, "b"), "b.yaml");
  EXPECT_TRUE(a && b);
  if (!a || !b) return 0;
  auto m = merge_mappings({*a, *b});
  EXPECT_TRUE(m);
  if (m) {
    EXPECT_EQ(m->controls.size(), n);
    EXPECT_EQ(m->controls.back().rules.size(), 2u);  // the same two rules, not four
  }
  return work::steps - before;
}

TEST(CatalogMapping, LoadingAndMergingAreLinearInTheControls) {
  std::uint64_t half = merge_steps(50'000);
  std::uint64_t full = merge_steps(100'000);
  EXPECT_GE(half, 50'000u);
  EXPECT_LE(full, half * 5 / 2);
}

TEST(CatalogMapping, BundledMappingsMatchBundledCatalogsAndRules) {
  std::set<std::string> rules;
  for (const auto& f : embedded_files()) {
    if (!f.path.starts_with("rules/") || !f.path.ends_with(".yaml")) continue;
    auto docs = yaml::parse(f.bytes, std::string(f.path));
    ASSERT_TRUE(docs) << docs.error().str();
    for (const auto& d : *docs)
      if (const yaml::Node* id = d.root.get("id"); id && id->is_scalar()) rules.insert(id->scalar);
  }
  for (const char* name : {"csap", "isms-p", "n2sf"}) {
    auto cat = load_bundled(name);
    ASSERT_TRUE(cat) << cat.error().str();
    auto maps = bundled_mappings(name);
    ASSERT_TRUE(maps) << maps.error().str();
    for (const auto& m : *maps)
      for (const auto& e : check_mapping(m, *cat, rules)) ADD_FAILURE() << e.str();
  }
}

// ---- gap ---------------------------------------------------------------------------------------

bool has(const std::vector<const Control*>& v, std::string_view id) {
  return std::any_of(v.begin(), v.end(), [&](const Control* c) { return c->id == id; });
}

TEST(CatalogGap, LowToModerateAndDowngrade) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat);
  auto g = gap(*cat, "iaas", "low", "moderate");
  ASSERT_TRUE(g) << g.error().str();
  ASSERT_EQ(g->added.size(), 2u);
  EXPECT_EQ(g->added[0]->id, "R3");
  EXPECT_EQ(g->added[1]->id, "R8");
  EXPECT_TRUE(g->removed.empty());
  auto up = gap(*cat, "saas", "moderate", "high");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->added.size(), 4u);  // R4-R7
  EXPECT_TRUE(has(up->added, "R4") && has(up->added, "R7"));
  auto down = gap(*cat, "daas", "high", "low");
  ASSERT_TRUE(down);
  EXPECT_TRUE(down->added.empty());
  EXPECT_EQ(down->removed.size(), 6u);  // R3-R8
  EXPECT_FALSE(gap(*cat, "paas", "low", "high"));
  EXPECT_FALSE(gap(*cat, "iaas", "low", "top"));
  auto isms = load_bundled("isms-p");
  ASSERT_TRUE(isms);
  auto ig = gap(*isms, "all", "isms", "isms-p");
  ASSERT_TRUE(ig);
  EXPECT_EQ(ig->added.size(), 1u + 5u + 21u);  // area 3, its 5 sub-areas, 21 controls
}

TEST(CatalogGap, CsapProfileToN2sfGrade) {
  auto csap = load_bundled("csap");
  auto n2sf = load_bundled("n2sf");
  ASSERT_TRUE(csap && n2sf);
  auto g = cross_gap(*csap, *csap->resolve_profile("saas-moderate"), *n2sf);
  ASSERT_TRUE(g) << g.error().str();
  EXPECT_EQ(g->to_tier, "S");
  EXPECT_EQ(g->to_service, "all");
  EXPECT_EQ(g->status, "reported");
  EXPECT_EQ(g->fit, "good");
  EXPECT_FALSE(g->source.empty());
  EXPECT_EQ(g->required_leaves, 212u);  // 223 controls at S, 11 of them with enhancements
  EXPECT_TRUE(has(g->required, "N2SF-RA-4"));
  auto hi = cross_gap(*csap, *csap->resolve_profile("iaas-high"), *n2sf);
  ASSERT_TRUE(hi);
  EXPECT_EQ(hi->to_tier, "C");
  EXPECT_EQ(hi->fit, "partial");
  EXPECT_FALSE(hi->note.en.empty());
  auto chosen = cross_gap(*csap, *csap->resolve_profile("iaas-low"), *n2sf, "S");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->status, "chosen");
  auto isms = load_bundled("isms-p");
  ASSERT_TRUE(isms);
  auto none = cross_gap(*csap, *csap->resolve_profile("iaas-low"), *isms);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no correspondence"), std::string::npos);
}

}  // namespace
}  // namespace csap::catalog
