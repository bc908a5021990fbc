#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/workcount.h"
#include "test_support.h"

namespace csap::catalog {
namespace {

std::size_t count_if_id(const Catalog& c, auto pred) {
  return static_cast<std::size_t>(std::count_if(c.controls.begin(), c.controls.end(),
                                                [&](const Control& x) { return pred(x); }));
}

bool has(const std::vector<const Control*>& v, std::string_view id) {
  return std::any_of(v.begin(), v.end(), [&](const Control* c) { return c->id == id; });
}

TEST(CatalogBundled, ListsTheThreeCatalogs) {
  auto names = bundled_names();
  for (const char* n : {"csap", "isms-p", "n2sf"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(CatalogBundled, CsapHasAreasSubAreasAndPublicSectorRequirements) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->id, "csap");
  EXPECT_EQ(cat->version, "2023-01-31");
  EXPECT_EQ(cat->status, "structure");
  EXPECT_EQ(cat->source, "bundled:csap");
  EXPECT_FALSE(cat->notice.ko.empty());
  EXPECT_NE(cat->notice.en.find("catalog import"), std::string::npos);
  EXPECT_EQ(cat->roots().size(), 14u);
  for (int a = 1; a <= 14; ++a) {
    const Control* area = cat->find(std::to_string(a));
    ASSERT_NE(area, nullptr) << a;
    EXPECT_TRUE(area->parent.empty());
  }
  std::size_t subs =
      count_if_id(*cat, [&](const Control& c) { return !c.parent.empty() && c.id[0] != 'R'; });
  EXPECT_EQ(subs, 35u);
  for (int r = 1; r <= 21; ++r) {
    const Control* c = cat->find("R" + std::to_string(r));
    ASSERT_NE(c, nullptr) << r;
    EXPECT_FALSE(c->parent.empty());
    EXPECT_NE(cat->find(c->parent), nullptr);
    EXPECT_FALSE(c->statement.ko.empty());
    EXPECT_FALSE(c->statement.en.empty());
  }
  EXPECT_EQ(cat->controls.size(), 14u + 35u + 21u);
  EXPECT_EQ(cat->find("R22"), nullptr);
  // Titles as csap.md §1.2 gives them, and parents of some requirements.
  EXPECT_EQ(cat->find("14")->title.ko, "국가기관 등의 보안요구사항");
  EXPECT_EQ(cat->find("10.3")->title.ko, "사용자 식별 및 인증");
  EXPECT_EQ(cat->find("8.2")->title.ko, "정보처리 시설 및 장비보호");
  EXPECT_EQ(cat->find("R1")->parent, "14.2");
  EXPECT_EQ(cat->find("R3")->parent, "14.2");
  EXPECT_EQ(cat->find("R4")->parent, "14.3");
  EXPECT_EQ(cat->find("R9")->parent, "12.3");
  EXPECT_EQ(cat->find("R11")->parent, "10.3");
  EXPECT_EQ(cat->find("R14")->parent, "10.1");
  // Kinds.
  EXPECT_EQ(cat->find("3")->kind, "procedural");
  EXPECT_EQ(cat->find("8")->kind, "physical");
  EXPECT_EQ(cat->find("12")->kind, "technical");
  EXPECT_EQ(cat->find("14.1")->kind, "procedural");
  EXPECT_EQ(cat->find("14.2")->kind, "physical");
  EXPECT_EQ(cat->find("14.3")->kind, "technical");
  // Every control says where it comes from.
  for (const auto& c : cat->controls) EXPECT_FALSE(c.basis.empty()) << c.id;
  EXPECT_EQ(cat->area_of("R11")->id, "10");
  EXPECT_EQ(cat->area_of("10.3")->id, "10");
  EXPECT_EQ(cat->area_of("10")->id, "10");
  EXPECT_EQ(cat->depth(*cat->find("R11")), 2);
}

TEST(CatalogBundled, IsmsPHas101Controls) {
  auto cat = load_bundled("isms-p");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->status, "official");
  EXPECT_EQ(cat->roots().size(), 3u);
  std::size_t leaves = count_if_id(*cat, [&](const Control& c) { return cat->is_leaf(c); });
  EXPECT_EQ(leaves, 101u);
  EXPECT_EQ(cat->find("2.5.3")->title.ko, "사용자 인증");
  EXPECT_EQ(cat->find("2.5.3")->parent, "2.5");
  EXPECT_EQ(cat->find("2.5")->parent, "2");
  EXPECT_EQ(cat->find("3.1.1")->title.ko, "개인정보 수집·이용");
  EXPECT_NE(cat->find("2.4.5"), nullptr);  // normalised id (no trailing space)
  ASSERT_TRUE(cat->resolve_profile("isms-p"));
  EXPECT_EQ(cat->baseline(*cat->find_profile("isms-p")).size(), cat->controls.size());
  // ISMS alone: areas 1-2 (16 + 64 = 80 controls).
  auto isms = cat->baseline(*cat->find_profile("isms"));
  std::size_t isms_leaves = static_cast<std::size_t>(
      std::count_if(isms.begin(), isms.end(), [&](const Control* c) { return cat->is_leaf(*c); }));
  EXPECT_EQ(isms_leaves, 80u);
  for (const auto& c : cat->controls) EXPECT_FALSE(c.basis.empty()) << c.id;
}

TEST(CatalogBundled, N2sfHas274ControlsAndItsAnomaliesNoted) {
  auto cat = load_bundled("n2sf");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->status, "extraction");
  EXPECT_NE(cat->notice.en.find("not the official text"), std::string::npos);
  std::size_t controls =
      count_if_id(*cat, [](const Control& c) { return c.id.starts_with("N2SF-"); });
  EXPECT_EQ(controls, 274u);
  EXPECT_EQ(cat->roots().size(), 6u);
  EXPECT_EQ(cat->tiers.size(), 3u);
  EXPECT_EQ(cat->find_tier("C")->title.ko, "기밀");
  EXPECT_EQ(cat->find("N2SF-LP-4(1)")->parent, "N2SF-LP-4");
  EXPECT_EQ(cat->find("N2SF-LP-1")->parent, "LP");
  EXPECT_EQ(cat->area_of("N2SF-LP-4(1)")->id, "1");
  // The control with no grade marked is kept, noted, and inherits its base control's grades.
  const Control* odd = cat->find("N2SF-LP-4(3)");
  ASSERT_NE(odd, nullptr);
  EXPECT_FALSE(odd->applies.has_value());
  EXPECT_FALSE(odd->note.en.empty());
  EXPECT_TRUE(cat->in_scope(*odd, "all", "O"));
  // Not monotone in the extraction: kept as extracted.
  EXPECT_TRUE(cat->in_scope(*cat->find("N2SF-RA-4"), "all", "S"));
  EXPECT_FALSE(cat->in_scope(*cat->find("N2SF-RA-4"), "all", "C"));
  // Per-grade counts: C 270, S 222, O 90 marked, plus the inherited LP-4(3).
  auto marked_at = [&](const char* tier) {
    return std::count_if(cat->controls.begin(), cat->controls.end(), [&](const Control& c) {
      const Applies* a = cat->effective_applies(c);
      return c.id.starts_with("N2SF-") && a && a->contains("all") && a->at("all").contains(tier);
    });
  };
  EXPECT_EQ(marked_at("C"), 271);
  EXPECT_EQ(marked_at("S"), 223);
  EXPECT_EQ(marked_at("O"), 91);
  auto in_baseline = [&](const char* tier) {
    auto b = cat->baseline("all", tier);
    return std::count_if(b.begin(), b.end(),
                         [](const Control* c) { return c->id.starts_with("N2SF-"); });
  };
  EXPECT_EQ(in_baseline("C"), 271);
  EXPECT_EQ(in_baseline("S"), 223);
  // At O, AC-1, AC-3 and SG-5 (marked C/S only) come in through enhancements marked O.
  EXPECT_EQ(in_baseline("O"), 94);
  EXPECT_TRUE(cat->in_scope(*cat->find("N2SF-AC-1"), "all", "O"));
  EXPECT_FALSE(cat->find("N2SF-AC-1(4)")->note.en.empty());
  ASSERT_EQ(cat->correspondence.size(), 3u);
  for (const auto& c : cat->correspondence) EXPECT_EQ(c.status, "reported");
}

TEST(CatalogProfile, ResolvesByNameAndByServiceAndTier) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat);
  EXPECT_EQ(cat->profiles.size(), 9u);
  auto p = cat->resolve_profile("saas-moderate");
  ASSERT_TRUE(p) << p.error().str();
  EXPECT_EQ(p->service, "saas");
  EXPECT_EQ(p->tier, "moderate");
  auto q = cat->resolve_profile("daas", "low");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->id, "daas-low");
  auto bad = cat->resolve_profile("paas-high");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Exit::kUsage);
  EXPECT_NE(bad.error().message.find("saas-moderate"), std::string::npos);
  EXPECT_FALSE(cat->resolve_profile("saas", "top"));
}

TEST(CatalogScope, SaasExcludesPhysicalSecurityAndR4OnlyAtHigh) {
  auto cat = load_bundled("csap");
  ASSERT_TRUE(cat);
  const Control& area8 = *cat->find("8");
  for (const char* tier : {"high", "moderate", "low"}) {
    EXPECT_FALSE(cat->in_scope(area8, "saas", tier)) << tier;
    EXPECT_FALSE(cat->in_scope(*cat->find("8.1"), "saas", tier)) << tier;
    EXPECT_TRUE(cat->in_scope(area8, "iaas", tier)) << tier;
    EXPECT_TRUE(cat->in_scope(area8, "daas", tier)) << tier;
    EXPECT_FALSE(cat->in_scope(*cat->find("2.2"), "saas", tier));
    EXPECT_TRUE(cat->in_scope(*cat->find("2.1"), "saas", tier));
    EXPECT_TRUE(cat->in_scope(*cat->find("14"), "saas", tier));
  }
  const Control& r4 = *cat->find("R4");
  EXPECT_TRUE(cat->in_scope(r4, "iaas", "high"));
  EXPECT_FALSE(cat->in_scope(r4, "iaas", "moderate"));
  EXPECT_FALSE(cat->in_scope(r4, "iaas", "low"));
  const Control& r3 = *cat->find("R3");
  EXPECT_TRUE(cat->in_scope(r3, "saas", "moderate"));
  EXPECT_FALSE(cat->in_scope(r3, "saas", "low"));
  const Control& r21 = *cat->find("R21");
  EXPECT_TRUE(cat->in_scope(r21, "saas", "low"));
  EXPECT_FALSE(cat->in_scope(r21, "iaas", "high"));
  EXPECT_FALSE(cat->in_scope(r4, "paas", "high"));  // unknown service: never in scope

  auto saas_mod = cat->baseline(*cat->resolve_profile("saas-moderate"));
  EXPECT_FALSE(has(saas_mod, "8"));
  EXPECT_FALSE(has(saas_mod, "R4"));
  EXPECT_TRUE(has(saas_mod, "R3"));
  EXPECT_TRUE(has(saas_mod, "R21"));
  EXPECT_EQ(saas_mod.size(), 70u - 8u);  // 8, 8.1, 8.2, 2.2, R4-R7
  EXPECT_EQ(cat->baseline(*cat->resolve_profile("iaas-high")).size(), 70u - 1u);  // R21
  // Baselines keep catalog order.
  for (std::size_t i = 1; i < saas_mod.size(); ++i)
    EXPECT_LT(cat->index_of(saas_mod[i - 1]->id), cat->index_of(saas_mod[i]->id));
}

TEST(CatalogScope, AreasAreInScopeThroughDescendantsAndLeavesInherit) {
  auto cat = load_catalog_text(R"(catalog: t
tiers: [high, low]
service_types: [iaas, saas]
controls:
  - {id: "1"}
  - {id: "1.1", applies: {iaas: [high]}}
  - {id: "1.1.1"}
  - {id: "2"}
  - {id: "2.1"}
)",
                               "t.yaml");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->find("1.1")->parent, "1");                         // derived from the dotted id
  EXPECT_TRUE(cat->in_scope(*cat->find("1.1.1"), "iaas", "high"));  // inherits 1.1
  EXPECT_FALSE(cat->in_scope(*cat->find("1.1.1"), "saas", "high"));
  EXPECT_TRUE(cat->in_scope(*cat->find("1"), "iaas", "high"));  // through its descendant
  EXPECT_FALSE(cat->in_scope(*cat->find("1"), "iaas", "low"));
  EXPECT_TRUE(cat->in_scope(*cat->find("2.1"), "saas", "low"));  // nothing stated: everywhere
  EXPECT_TRUE(cat->in_scope(*cat->find("2"), "saas", "low"));
}

TEST(CatalogScope, NaturalOrderOfIds) {
  EXPECT_TRUE(natural_less("1.2", "1.10"));
  EXPECT_TRUE(natural_less("2", "10"));
  EXPECT_TRUE(natural_less("1", "1.1"));
  EXPECT_FALSE(natural_less("1.10", "1.2"));
  EXPECT_TRUE(natural_less("R2", "R10"));
}

// ---- bad catalogs ------------------------------------------------------------------------------

Error load_error(const std::string& text) {
  auto cat = load_catalog_text(text, "bad.yaml");
  EXPECT_FALSE(cat) << "expected an error for:\n" << text;
  if (cat) return {};
  EXPECT_EQ(cat.error().code, Exit::kBadInput);
  EXPECT_EQ(cat.error().where.file, "bad.yaml");
  return cat.error();
}

TEST(CatalogLoadErrors, ControlWithNoId) {
  auto e = load_error("catalog: x\ncontrols:\n  - {id: \"1\"}\n  - title: no id here\n");
  EXPECT_EQ(e.where.line, 4);
  EXPECT_NE(e.message.find("no id"), std::string::npos);
  EXPECT_EQ(e.str().substr(0, 11), "bad.yaml:4:");
}

TEST(CatalogLoadErrors, DuplicateId) {
  auto e = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n  - id: \"2\"\n  - id: \"1\"\n");
  EXPECT_EQ(e.where.line, 5);
  EXPECT_EQ(e.where.column, 10);  // the quoted scalar's text
  EXPECT_NE(e.message.find("duplicate control id '1' (first defined at line 3)"),
            std::string::npos);
}

TEST(CatalogLoadErrors, UnknownTierInApplies) {
  auto e = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n    applies: {iaas: [high, top]}\n");
  EXPECT_EQ(e.where.line, 4);
  EXPECT_EQ(e.where.column, 28);
  EXPECT_NE(e.message.find("unknown tier 'top'"), std::string::npos);
}

TEST(CatalogLoadErrors, UnknownServiceUnknownParentAndBadProfiles) {
  auto e1 = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n    applies: {paas: [high]}\n");
  EXPECT_EQ(e1.where.line, 4);
  EXPECT_NE(e1.message.find("unknown service type 'paas'"), std::string::npos);
  auto e2 = load_error("catalog: x\ncontrols:\n  - id: \"1.1\"\n    parent: \"9\"\n");
  EXPECT_EQ(e2.where.line, 4);
  EXPECT_NE(e2.message.find("unknown parent '9'"), std::string::npos);
  auto e3 = load_error("catalog: x\nprofiles:\n  p1: {service: paas, tier: high}\ncontrols: []\n");
  EXPECT_EQ(e3.where.line, 3);
  EXPECT_NE(e3.message.find("unknown service type 'paas'"), std::string::npos);
  auto e4 = load_error("catalog: x\nprofiles:\n  p1: {service: saas, tier: top}\ncontrols: []\n");
  EXPECT_EQ(e4.where.line, 3);
  EXPECT_NE(e4.message.find("unknown tier 'top'"), std::string::npos);
  auto e5 = load_error(
      "catalog: x\ncontrols:\n  - id: \"1\"\n    parent: \"2\"\n  - id: \"2\"\n"
      "    parent: \"1\"\n");
  EXPECT_NE(e5.message.find("parent cycle"), std::string::npos);
}

TEST(CatalogLoadErrors, WrongTypes) {
  auto e1 = load_error("catalog: x\ncontrols: {a: 1}\n");
  EXPECT_EQ(e1.where.line, 2);
  EXPECT_NE(e1.message.find("'controls' must be a list"), std::string::npos);
  auto e2 = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n    title: [a, b]\n");
  EXPECT_EQ(e2.where.line, 4);
  auto e3 = load_error("catalog: x\ncontrols:\n  - id: [1]\n");
  EXPECT_EQ(e3.where.line, 3);
  auto e4 = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n    kind: magical\n");
  EXPECT_NE(e4.message.find("unknown kind 'magical'"), std::string::npos);
  auto e5 = load_error("catalog: x\ncontrols:\n  - id: \"1\"\n    aplies: all\n");
  EXPECT_NE(e5.message.find("unknown key 'aplies'"), std::string::npos);
  auto e6 = load_error("controls: []\n");
  EXPECT_NE(e6.message.find("no 'catalog:'"), std::string::npos);
  auto e7 = load_error("catalog: x\nstatus: approved\ncontrols: []\n");
  EXPECT_NE(e7.message.find("unknown status"), std::string::npos);
}

TEST(CatalogLoad, DesignExampleLoads) {
  // The example of DESIGN.md §4.
  auto cat = load_catalog_text(R"(catalog: csap
version: "2023-01-31"
status: structure
title: {ko: 클라우드컴퓨팅서비스 보안인증 기준, en: CSAP certification criteria}
tiers: [{id: high, ko: 상}, {id: moderate, ko: 중}, {id: low, ko: 하}]
profiles:
  saas-low: {service: saas, tier: low}
controls:
  - id: "14.2"
    title: {ko: 물리적 보호조치, en: Physical measures for public institutions}
    kind: technical
    applies: {iaas: [high, moderate, low], saas: [high, moderate, low], daas: [high, moderate, low]}
)",
                               "design.yaml");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->find("14.2")->title.get(Lang::kKo), "물리적 보호조치");
  EXPECT_TRUE(cat->in_scope(*cat->find("14.2"), "saas", "low"));
  EXPECT_EQ(cat->find("14.2")->line, 9);
}

TEST(CatalogLoad, FromPathOrBundledName) {
  testing::TempDir dir;
  auto p = dir.write("mine.yaml", "catalog: mine\ncontrols:\n  - {id: A1, title: 하나}\n");
  auto cat = load_catalog(p.string());
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->id, "mine");
  EXPECT_EQ(cat->source, p.string());
  EXPECT_EQ(cat->find("A1")->title.ko, "하나");
  auto bundled = load_catalog("isms-p");
  ASSERT_TRUE(bundled);
  EXPECT_EQ(bundled->source, "bundled:isms-p");
  auto missing = load_catalog("nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("csap"), std::string::npos);
  EXPECT_NE(missing.error().message.find("no catalog 'nope'"), std::string::npos);
  EXPECT_EQ(missing.error().code, Exit::kBadInput);  // like an unknown rule
  auto missing_bundled = load_bundled("nope");
  ASSERT_FALSE(missing_bundled);
  EXPECT_EQ(missing_bundled.error().code, Exit::kBadInput);
  auto missing_file = load_catalog((dir.path() / "absent.yaml").string());
  ASSERT_FALSE(missing_file);
  EXPECT_EQ(missing_file.error().code, Exit::kBadInput);
}

// ---- OSCAL -------------------------------------------------------------------------------------

constexpr const char* kOscalCatalog = R"({
  "catalog": {
    "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
    "metadata": {"title": "Mini Catalog", "last-modified": "2024-01-01T00:00:00Z",
                 "version": "1.0", "oscal-version": "1.1.3"},
    "groups": [
      {"id": "ac", "class": "family", "title": "Access Control",
       "controls": [
         {"id": "ac-1", "class": "SP800-53", "title": "Policy and Procedures",
          "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Develop a policy."}]},
         {"id": "ac-2", "title": "Account Management",
          "controls": [{"id": "ac-2.1", "title": "Automated Account Management"}]},
         {"id": "ac-3", "title": "Withdrawn one",
          "props": [{"name": "status", "value": "withdrawn"}]}
       ]},
      {"id": "au", "title": "Audit", "controls": [{"id": "au-2", "title": "Event Logging"}]}
    ]
  }
})";

TEST(CatalogOscal, ReadsGroupsControlsAndEnhancements) {
  auto cat = load_catalog_text(kOscalCatalog, "mini.json");
  ASSERT_TRUE(cat) << cat.error().str();
  EXPECT_EQ(cat->id, "mini");
  EXPECT_EQ(cat->title.en, "Mini Catalog");
  EXPECT_EQ(cat->version, "1.0");
  EXPECT_EQ(cat->controls.size(), 7u);
  EXPECT_EQ(cat->find("ac-2.1")->parent, "ac-2");
  EXPECT_EQ(cat->area_of("ac-2.1")->id, "ac");
  EXPECT_EQ(cat->find("ac-1")->statement.en, "Develop a policy.");
  auto all = cat->baseline("all", "all");
  EXPECT_FALSE(has(all, "ac-3"));  // withdrawn
  EXPECT_TRUE(has(all, "ac-2.1"));
}

TEST(CatalogOscal, ProfileSelectsControls) {
  const char* profile = R"({"profile": {"uuid": "0c5b0ad4-3ac2-4a4d-9d8f-4a7e1e2f3b11",
    "metadata": {"title": "Low", "last-modified": "2024-01-01T00:00:00Z", "version": "1",
                 "oscal-version": "1.1.3"},
    "imports": [{"href": "mini.json",
                 "include-controls": [{"with-ids": ["ac-1", "ac-2"], "with-child-controls": "yes"}],
                 "exclude-controls": [{"with-ids": ["ac-2.1"]}]}]}})";
  auto cat = load_oscal_text(kOscalCatalog, "mini.json", profile, "low.json");
  ASSERT_TRUE(cat) << cat.error().str();
  auto b = cat->baseline(*cat->resolve_profile("selected"));
  EXPECT_TRUE(has(b, "ac-1"));
  EXPECT_TRUE(has(b, "ac-2"));
  EXPECT_FALSE(has(b, "ac-2.1"));
  EXPECT_FALSE(has(b, "au-2"));
  EXPECT_FALSE(has(b, "au"));
  EXPECT_TRUE(has(b, "ac"));
  auto bad = load_oscal_text(kOscalCatalog, "mini.json",
                             R"({"profile": {"imports": [{"href": "x", "include-controls":
                                 [{"with-ids": ["zz-9"]}]}]}})",
                             "bad.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where.file, "bad.json");
  EXPECT_NE(bad.error().message.find("zz-9"), std::string::npos);
}

// ---- bounded work ------------------------------------------------------------------------------

// A catalog whose controls form one chain of parents: c0 <- c1 <- ... <- c(n-1).
std::string chain_catalog(std::size_t n) {
  std::string s = "catalog: chain\ncontrols:\n  - {id: c0, applies: {saas: [moderate]}}\n";
  s.reserve(n * 40);
  for (std::size_t i = 1; i < n; ++i)
    s += "  - {id: c" + std::to_string(i) + ", parent: c" + std::to_string(i - 1) + "}\n";
  return s;
}

// Loads the chain and asks every per-control question the reports ask; returns the steps taken.
std::uint64_t chain_steps(std::size_t n) {
  std::uint64_t before = work::steps;
  auto cat = load_catalog_text(chain_catalog(n), "chain.yaml");
  EXPECT_TRUE(cat) << (cat ? "" : cat.error().str());
  if (!cat) return 0;
  auto base = cat->baseline("saas", "moderate");
  EXPECT_EQ(base.size(), n);
  EXPECT_TRUE(cat->baseline("iaas", "moderate").empty());
  const Control& last = cat->controls.back();
  EXPECT_EQ(cat->depth(last), static_cast<int>(n - 1));
  EXPECT_EQ(cat->area_of(last.id)->id, "c0");
  EXPECT_NE(cat->effective_applies(last), nullptr);
  for (const Control& c : cat->controls) {
    EXPECT_TRUE(cat->in_scope(c, "saas", "moderate"));
    cat->area_of(c.id);
    cat->depth(c);
  }
  return work::steps - before;
}

TEST(CatalogBoundedWork, ParentChainOf100000IsLinear) {
  std::uint64_t half = chain_steps(50'000);
  std::uint64_t full = chain_steps(100'000);
  EXPECT_GE(half, 50'000u);
  EXPECT_LE(full, half * 5 / 2);
}

TEST(CatalogBoundedWork, CycleAtTheEndOfALongChainIsFoundInLinearSteps) {
  std::string text = chain_catalog(20'000);
  text += "  - {id: x1, parent: x2}\n  - {id: x2, parent: x1}\n  - {id: x3, parent: x2}\n";
  std::uint64_t before = work::steps;
  auto cat = load_catalog_text(text, "cycle.yaml");
  ASSERT_FALSE(cat);
  EXPECT_LE(work::steps - before, 40u * 20'000);
  EXPECT_NE(cat.error().message.find("parent cycle"), std::string::npos);
  EXPECT_EQ(cat.error().where.line, 20'003);  // x1, on the cycle
}

TEST(CatalogBoundedWork, HandBuiltCycleDoesNotHang) {
  Catalog c;
  c.tiers = {{"t", {}, {}}};
  c.service_types = {{"s", {}, {}}};
  for (auto [id, parent] : {std::pair{"a", "b"}, {"b", "a"}, {"c", ""}}) {
    Control x;
    x.id = id;
    x.parent = parent;
    c.controls.push_back(x);
  }
  c.reindex();
  ASSERT_NE(c.parent_cycle(), nullptr);
  EXPECT_EQ(c.parent_cycle()->id, "a");
  EXPECT_EQ(c.area_of("a")->id, "a");
  EXPECT_EQ(c.depth(*c.find("b")), 0);
  EXPECT_TRUE(has(c.baseline("s", "t"), "c"));  // nothing stated: a leaf applies everywhere
}

}  // namespace
}  // namespace csap::catalog
