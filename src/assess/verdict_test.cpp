// The verdict of a control with attestations and waivers (DESIGN.md §3), case by case.
#include <gtest/gtest.h>

#include <memory>

#include "assess/assess.h"
#include "assess/roadmap.h"
#include "catalog/catalog.h"
#include "catalog/gap.h"
#include "catalog/mapping.h"
#include "engine/engine.h"
#include "report/evidence_warnings.h"
#include "rules/ruleset.h"
#include "rules/testres.h"

namespace csap::assess {
namespace {

constexpr const char* kCatalog = R"(
catalog: vt
version: "1"
status: custom
title: {ko: 시험, en: Test}
service_types: [{id: saas, ko: SaaS, en: SaaS}]
tiers: [{id: high, ko: 상, en: high}, {id: low, ko: 하, en: low}]
profiles:
  saas-low: {service: saas, tier: low}
  saas-high: {service: saas, tier: high}
controls:
  - {id: "1", title: {ko: 영역, en: Area}}
  - {id: "1.1", parent: "1", title: {ko: 암호화, en: Encryption}, kind: technical}
  - {id: "1.2", parent: "1", title: {ko: 정책, en: Policy}, kind: procedural}
  - {id: "1.3", parent: "1", title: {ko: 암호화와 키 관리, en: Encryption and keys}, kind: technical}
  - {id: "1.4", parent: "1", title: {ko: 데이터베이스, en: Database}, kind: technical}
  - {id: "1.5", parent: "1", title: {ko: 상 등급 절차, en: High-tier procedure}, kind: procedural,
     applies: {saas: [high]}}
)";

constexpr const char* kMapping = R"(
mapping: vt-map
catalog: vt
controls:
  "1.1": {rules: [T-ENC]}
  "1.3": {rules: [T-ENC], evidence: ["키 관리 절차서"]}
  "1.4": {rules: [T-DB], conditional: true}
)";

constexpr const char* kRules = R"(
id: T-ENC
title: {en: Buckets encrypt, ko: 버킷 암호화}
severity: high
resource: [aws_s3_bucket]
check: {path: encrypted, op: truthy}
---
id: T-DB
title: {en: DB encrypts, ko: DB 암호화}
severity: high
resource: [aws_db_instance]
check: {path: encrypted, op: truthy}
)";

struct Run {
  catalog::Catalog cat;
  std::vector<catalog::Mapping> mappings;
  rules::RuleSet rules;
  Deployment d;
  Assessment a;

  Verdict verdict(const std::string& id) const {
    for (const auto& cr : a.controls)
      if (cr.control->id == id) return cr.verdict;
    ADD_FAILURE() << "no control " << id;
    return Verdict::kPass;
  }
  const ControlResult& control(const std::string& id) const {
    for (const auto& cr : a.controls)
      if (cr.control->id == id) return cr;
    throw std::runtime_error("no control " + id);
  }
};

// `resources`: a YAML list of test resources. Today is 2026-03-02.
std::unique_ptr<Run> run(const std::string& resources, std::vector<Attestation> att,
                         std::vector<Waiver> waivers, const std::string& profile = "saas-low") {
  auto r = std::make_unique<Run>();
  r->cat = *catalog::load_catalog_text(kCatalog, "vt.yaml");
  r->mappings.push_back(*catalog::load_mapping_text(kMapping, "vt-map.yaml"));
  auto compiled = rules::compile_rules_text(kRules, "rules.yaml");
  EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().str());
  for (auto& x : *compiled) r->rules.add(std::move(x));
  r->rules.index();
  auto node = yaml::parse_one(resources, "res.yaml");
  EXPECT_TRUE(node) << (node ? "" : node.error().str());
  auto ok = rules::add_test_resources(*node, r->d, "res.yaml");
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().str());
  auto findings = engine::run(r->rules, r->d);
  Evidence ev{std::move(att), std::move(waivers), "2026-03-02"};
  r->a = assess(r->cat, *r->cat.resolve_profile(profile), r->mappings, r->rules, r->d,
                std::move(findings), std::move(ev));
  return r;
}

Attestation attest(std::string control, std::string status, std::string expires = "2027-01-01") {
  Attestation a;
  a.control = std::move(control);
  a.status = std::move(status);
  a.statement = "stated";
  a.expires = std::move(expires);
  a.owner = "security-team";
  if (a.status == "not-applicable") a.reason = "no such service";
  a.file = "attest.yaml";
  a.line = 3;
  return a;
}

Attestation with_evidence(Attestation a, bool exists, bool changed) {
  EvidenceFile f;
  f.path = "evidence/policy.md";
  f.exists = exists;
  f.changed = changed;
  a.evidence.push_back(f);
  return a;
}

Waiver waiver(std::string rule, std::string resource, std::string expires = "2027-01-01") {
  Waiver w;
  w.rule = std::move(rule);
  w.resource = std::move(resource);
  w.reason = "accepted";
  w.approved_by = "CISO";
  w.expires = std::move(expires);
  w.source = "waivers.yaml:2";
  return w;
}

const char* kFailing =
    "[{type: aws_s3_bucket, name: logs, values: {encrypted: false}}, "
    "{type: aws_s3_bucket, name: data, values: {encrypted: true}}]";
const char* kPassing = "[{type: aws_s3_bucket, name: data, values: {encrypted: true}}]";
const char* kUnknown = "[{type: aws_s3_bucket, name: tmp, values: {}, unknown: [encrypted]}]";

TEST(Verdicts, FailingFindingFails) {
  auto r = run(kFailing, {}, {});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kFail);
  EXPECT_EQ(r->verdict("1.3"), Verdict::kFail);
}

TEST(Verdicts, ValidWaiverTurnsFailIntoWaived) {
  auto r = run(kFailing, {}, {waiver("T-ENC", "aws_s3_bucket.lo*")});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kWaived);
  // 1.3 also expects evidence from people: manual outranks waived.
  EXPECT_EQ(r->verdict("1.3"), Verdict::kManual);
  EXPECT_EQ(r->a.waivers[0].matched, 1u);
  EXPECT_TRUE(r->a.waivers[0].valid);
  int waived = 0;
  for (int w : r->a.finding_waiver) waived += w == 0;
  EXPECT_EQ(waived, 1);
  EXPECT_FALSE(fails_at(r->a, rules::Severity::kLow));
}

TEST(Verdicts, WaivedAndAttestedIsWaived) {
  auto r = run(kFailing, {attest("1.3", "implemented")}, {waiver("T-ENC", "aws_s3_bucket.logs")});
  EXPECT_EQ(r->verdict("1.3"), Verdict::kWaived);
}

TEST(Verdicts, ExpiredWaiverIsNotAppliedAndWarned) {
  auto r = run(kFailing, {}, {waiver("T-ENC", "aws_s3_bucket.logs", "2026-03-01")});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kFail);
  EXPECT_FALSE(r->a.waivers[0].valid);
  EXPECT_EQ(r->a.waivers[0].problem.en, "expired on 2026-03-01");
  EXPECT_TRUE(fails_at(r->a, rules::Severity::kHigh));
  auto w = report::evidence_warnings(r->a, Lang::kEn);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("not applied: expired on 2026-03-01"), std::string::npos) << w[0];
}

TEST(Verdicts, WaiverExpiringTodayStillApplies) {
  auto r = run(kFailing, {}, {waiver("T-ENC", "aws_s3_bucket.logs", "2026-03-02")});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kWaived);
  EXPECT_TRUE(r->a.waivers[0].expiring_soon);
}

TEST(Verdicts, StaleWaiverIsReported) {
  auto r = run(kPassing, {}, {waiver("T-ENC", "aws_s3_bucket.*")});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kPass);
  EXPECT_EQ(r->a.waivers[0].matched, 0u);
  auto w = report::evidence_warnings(r->a, Lang::kEn);
  ASSERT_FALSE(w.empty());
  EXPECT_NE(w[0].find("stale"), std::string::npos);
}

TEST(Verdicts, ControlWaiverCoversOnlyItsControl) {
  Waiver w = waiver("", "*");
  w.control = "1.1";
  auto r = run(kFailing, {}, {w});
  EXPECT_EQ(r->verdict("1.1"), Verdict::kWaived);
  EXPECT_EQ(r->verdict("1.3"), Verdict::kFail);
  EXPECT_EQ(r->a.finding_waiver[0], -1);  // per control, not per finding
}

TEST(Verdicts, AttestedNotMetFailsEvenWhenFindingsPass) {
  auto partial = run(kPassing, {attest("1.3", "partial")}, {});
  EXPECT_EQ(partial->verdict("1.3"), Verdict::kFail);
  EXPECT_NE(partial->control("1.3").reason.en.find("partial"), std::string::npos);
  auto planned = run(kPassing, {attest("1.2", "planned")}, {});
  EXPECT_EQ(planned->verdict("1.2"), Verdict::kFail);
  // Not met outranks unknown.
  auto unk = run(kUnknown, {attest("1.3", "partial")}, {});
  EXPECT_EQ(unk->verdict("1.3"), Verdict::kFail);
}

TEST(Verdicts, UnknownOutranksAttestation) {
  auto r = run(kUnknown, {attest("1.3", "implemented")}, {});
  EXPECT_EQ(r->verdict("1.3"), Verdict::kUnknown);
}

TEST(Verdicts, ProceduralControlNeedsValidAttestation) {
  EXPECT_EQ(run(kPassing, {}, {})->verdict("1.2"), Verdict::kManual);
  EXPECT_EQ(run(kPassing, {attest("1.2", "implemented")}, {})->verdict("1.2"), Verdict::kPass);

  auto expired = run(kPassing, {attest("1.2", "implemented", "2026-03-01")}, {});
  EXPECT_EQ(expired->verdict("1.2"), Verdict::kManual);
  EXPECT_EQ(expired->control("1.2").reason.en,
            "the attestation does not count: expired on 2026-03-01");

  auto missing = run(kPassing, {with_evidence(attest("1.2", "implemented"), false, false)}, {});
  EXPECT_EQ(missing->verdict("1.2"), Verdict::kManual);
  EXPECT_NE(missing->control("1.2").reason.en.find("evidence file missing: evidence/policy.md"),
            std::string::npos);

  auto changed = run(kPassing, {with_evidence(attest("1.2", "implemented"), true, true)}, {});
  EXPECT_EQ(changed->verdict("1.2"), Verdict::kManual);
  EXPECT_NE(changed->control("1.2").reason.en.find("changed since it was locked"),
            std::string::npos);

  auto good = run(kPassing, {with_evidence(attest("1.2", "implemented"), true, false)}, {});
  EXPECT_EQ(good->verdict("1.2"), Verdict::kPass);
}

TEST(Verdicts, AutomatedControlWithEvidenceNeedsBoth) {
  EXPECT_EQ(run(kPassing, {}, {})->verdict("1.3"), Verdict::kManual);
  EXPECT_EQ(run(kPassing, {attest("1.3", "implemented")}, {})->verdict("1.3"), Verdict::kPass);
  EXPECT_EQ(run(kPassing, {}, {})->verdict("1.1"), Verdict::kPass);
  EXPECT_EQ(run(kFailing, {attest("1.3", "implemented")}, {})->verdict("1.3"), Verdict::kFail);
}

TEST(Verdicts, NotApplicable) {
  // Attested not-applicable, with a reason.
  auto r = run(kPassing, {attest("1.2", "not-applicable")}, {});
  EXPECT_EQ(r->verdict("1.2"), Verdict::kNotApplicable);
  EXPECT_EQ(r->control("1.2").reason.en, "attested not applicable: no such service");
  // Expired: manual again.
  EXPECT_EQ(run(kPassing, {attest("1.2", "not-applicable", "2026-01-01")}, {})->verdict("1.2"),
            Verdict::kManual);
  // Conditional mapping, no database in the deployment.
  EXPECT_EQ(r->verdict("1.4"), Verdict::kNotApplicable);
  // A failing finding outranks a not-applicable attestation.
  EXPECT_EQ(run(kFailing, {attest("1.1", "not-applicable")}, {})->verdict("1.1"), Verdict::kFail);
}

TEST(Verdicts, ReadinessCountsAutomatedAndAttestedSeparately) {
  auto r = run(kPassing, {attest("1.2", "implemented")}, {});
  // 1.1 pass (automated), 1.2 pass (attested), 1.3 manual (both), 1.4 not-applicable (automated).
  EXPECT_EQ(r->a.automated[Verdict::kPass], 1u);
  EXPECT_EQ(r->a.automated[Verdict::kManual], 1u);
  EXPECT_EQ(r->a.attested[Verdict::kPass], 1u);
  EXPECT_EQ(r->a.attested[Verdict::kManual], 1u);
  EXPECT_EQ(r->a.attested.total(), 2u);
  ASSERT_EQ(r->a.areas.size(), 1u);
  EXPECT_DOUBLE_EQ(r->a.areas[0].attested.readiness(), 0.5);
}

TEST(Verdicts, ExpiringSoonIsFlagged) {
  auto r = run(
      kPassing,
      {attest("1.2", "implemented", "2026-04-01"), attest("1.3", "implemented", "2026-04-02")}, {});
  EXPECT_TRUE(r->a.attestations[0].expiring_soon);   // 30 days
  EXPECT_FALSE(r->a.attestations[1].expiring_soon);  // 31 days
  auto w = report::evidence_warnings(r->a, Lang::kEn);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("expires on 2026-04-01 (in 30 days)"), std::string::npos) << w[0];
}

TEST(Roadmap, SeparatesFixAttestAndNew) {
  auto r = run(kFailing, {attest("1.2", "implemented")}, {}, "saas-high");
  auto g = catalog::gap(r->cat, "saas", "low", "high");
  ASSERT_TRUE(g);
  auto rm = roadmap(r->a, *g);
  ASSERT_EQ(rm.areas.size(), 1u);
  std::map<std::string, std::pair<Step, bool>> items;
  for (const auto& it : rm.areas[0].items)
    items[it.control->control->id] = {it.step, it.new_at_target};
  EXPECT_EQ(items.at("1.1").first, Step::kFix);
  EXPECT_EQ(items.at("1.3").first, Step::kFix);
  EXPECT_EQ(items.at("1.5").first, Step::kAttest);
  EXPECT_TRUE(items.at("1.5").second);
  EXPECT_FALSE(items.at("1.1").second);
  EXPECT_EQ(items.count("1.2"), 0u);  // attested
  EXPECT_EQ(rm.new_controls, 1u);
  EXPECT_EQ(rm.fix, 2u);
  EXPECT_EQ(rm.attest, 1u);
}

}  // namespace
}  // namespace csap::assess
