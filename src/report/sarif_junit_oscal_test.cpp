// SARIF, JUnit XML and OSCAL assessment-results: golden files (src/report/testdata; regenerate with
// CSAP_UPDATE_GOLDEN=1), validation against the official schemas in ../shared/schemas, and content.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "engine/engine.h"
#include "report/junit.h"
#include "report/oscal.h"
#include "report/report.h"
#include "report/sarif.h"
#include "report/sarif_oscal_util.h"
#include "report_fixture.h"
#include "rules/ruleset.h"
#include "rules/testres.h"
#include "test_support.h"

namespace csap::report {
namespace {

namespace fs = std::filesystem;
using assess::Verdict;
// The helpers of the shared report fixture; the assessment below is this file's own.
using fixture::control;
using fixture::expect_golden;
using fixture::expect_no_secrets;
using fixture::Fixture;
using fixture::kSecretKey;
using fixture::kSensitivePw;
using fixture::lang_name;
using fixture::read_file;

constexpr const char* kCatalog = R"(
catalog: testcat
version: "2024-01"
status: structure
title: {ko: 시험용 인증 기준, en: Test criteria}
notice: {ko: 이 목록은 구조만 담고 있습니다, en: This list is structural only}
service_types:
  - {id: saas, ko: SaaS, en: SaaS}
tiers:
  - {id: high, ko: 상, en: high}
  - {id: moderate, ko: 중, en: moderate}
profiles:
  saas-moderate: {service: saas, tier: moderate}
controls:
  - {id: "1", title: {ko: 암호화, en: Encryption}, kind: technical}
  - {id: "1.1", parent: "1", title: {ko: 저장 데이터 암호화, en: Encryption at rest}, kind: technical}
  - {id: "1.2", parent: "1", title: {ko: 데이터베이스 보호, en: Database protection}, kind: technical}
  - {id: "1.3", parent: "1", title: {ko: 키 관리 절차, en: Key management procedure}, kind: procedural}
  - {id: "1.4", parent: "1", title: {ko: 키 교체, en: Key rotation}, kind: technical}
  - {id: "2", title: {ko: 접근 통제, en: Access control}, kind: technical}
  - {id: "2.1", parent: "2", title: {ko: 인스턴스 설명, en: Instance description}, kind: technical}
  - {id: "2.2", parent: "2", title: {ko: 접근 권한 검토, en: Access review}, kind: procedural}
  - {id: "2.3", parent: "2", title: {ko: 컨테이너 저장소, en: Container registry}, kind: technical}
)";

constexpr const char* kRules = R"(
id: T-ENC-001
title: {en: Buckets encrypt data at rest, ko: 버킷 저장 데이터 암호화}
severity: high
resource: [aws_s3_bucket]
check: {path: encrypted, op: truthy}
rationale: {en: "Stored data must be encrypted.", ko: "저장 데이터는 암호화해야 합니다."}
remediation: {en: "Set encrypted = true on the bucket.", ko: "버킷에 encrypted = true를 설정하십시오."}
---
id: T-DB-001
title: {en: Database password is long, ko: 데이터베이스 암호 길이}
severity: critical
resource: [aws_db_instance]
check: {path: password, op: matches, value: '^.{40,}$'}
remediation: {en: "Use a password of 40 characters or more.", ko: "40자 이상의 암호를 쓰십시오."}
---
id: T-KMS-001
title: {en: Keys rotate, ko: 키 자동 교체}
severity: medium
resource: [aws_kms_key]
check: {path: enable_key_rotation, op: truthy}
remediation: {en: "Set enable_key_rotation = true.", ko: "enable_key_rotation = true로 설정하십시오."}
---
id: T-DESC-001
title: {en: Instances carry an approved description, ko: 승인된 인스턴스 설명}
severity: low
resource: [aws_instance]
check: {path: description, op: equals, value: approved}
remediation: {en: "Set description = approved.", ko: "description = approved로 설정하십시오."}
---
id: T-ECR-001
title: {en: Registries scan images, ko: 저장소 이미지 검사}
severity: info
resource: [aws_ecr_repository]
check: {path: scan_on_push, op: truthy}
)";

std::string resources_yaml() {
  std::string y = "[\n";
  y += "  {type: aws_s3_bucket, name: logs, values: {encrypted: false}},\n";
  y += "  {type: aws_s3_bucket, name: data, values: {encrypted: true}},\n";
  y += "  {type: aws_s3_bucket, name: tmp, values: {}, unknown: [encrypted]},\n";
  y += std::string("  {type: aws_db_instance, name: main, values: {password: '") + kSensitivePw +
       "'}, sensitive: [password]},\n";
  y += "  {type: aws_kms_key, name: main, values: {}, unknown: [enable_key_rotation]},\n";
  y += std::string("  {type: aws_instance, name: web, values: {description: '") + kSecretKey +
       "'}},\n";
  y += "]\n";
  return y;
}

// The assessment the three formats are tested on: a failing control (with an unknown finding too),
// a critical failure on a sensitive value, an attested procedural control, an unknown-only control,
// a waived failure, a manual control and a not-applicable one.
std::unique_ptr<Fixture> make_fixture() {
  auto fx = std::make_unique<Fixture>();
  auto cat = catalog::load_catalog_text(kCatalog, "test-catalog.yaml");
  EXPECT_TRUE(cat) << (cat ? "" : cat.error().str());
  fx->cat = std::move(*cat);
  auto compiled = rules::compile_rules_text(kRules, "rules.yaml");
  EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().str());
  for (auto& r : *compiled) fx->rules.add(std::move(r));
  fx->rules.index();
  auto node = yaml::parse_one(resources_yaml(), "res.yaml");
  EXPECT_TRUE(node) << (node ? "" : node.error().str());
  auto ok = rules::add_test_resources(*node, fx->d, "res.yaml");
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().str());
  fx->d.inputs.push_back(
      {"plan.json", std::string(64, 'a'), "terraform-plan", "1.2", "1.9.5", 4096});
  fx->d.resources[0].line = 12;
  fx->d.resources[0].column = 7;
  fx->d.resources[3].line = 40;
  fx->d.resources[2].line = 0;  // the unknown bucket: no line known
  fx->d.resources[2].column = 0;

  catalog::Mapping m;
  m.id = "test-mapping";
  m.catalog = "testcat";
  m.file = "mapping.yaml";
  auto entry = [](std::string id, std::vector<std::string> rules,
                  std::vector<std::string> evidence = {}, bool conditional = false) {
    catalog::ControlMapping c;
    c.control = std::move(id);
    c.rules = std::move(rules);
    c.evidence = std::move(evidence);
    c.conditional = conditional;
    return c;
  };
  m.controls = {entry("1.1", {"T-ENC-001"}),          entry("1.2", {"T-DB-001"}),
                entry("1.3", {}, {"키 관리 절차서"}), entry("1.4", {"T-KMS-001"}),
                entry("2.1", {"T-DESC-001"}),         entry("2.2", {}, {"접근 권한 검토 기록"}),
                entry("2.3", {"T-ECR-001"}, {}, true)};
  auto profile = fx->cat.resolve_profile("saas-moderate");
  EXPECT_TRUE(profile) << (profile ? "" : profile.error().str());
  auto findings = engine::run(fx->rules, fx->d);
  fx->a = assess::assess(fx->cat, *profile, {m}, fx->rules, fx->d, std::move(findings));
  auto& a = fx->a;
  a.today = "2026-03-02";

  // A waiver for the instance's description, and an attestation for the key procedure, set
  // directly (as the waiver and evidence steps of the assessor record them).
  assess::Waiver w;
  w.rule = "T-DESC-001";
  w.resource = "aws_instance.*";
  w.reason = "레거시 서버, 3분기 폐기 예정";
  w.approved_by = "정보보호최고책임자";
  w.expires = "2026-09-30";
  w.source = "waivers.yaml:3";
  w.valid = true;
  w.matched = 1;
  a.waivers.push_back(w);
  a.finding_waiver.assign(a.findings.size(), -1);
  for (std::size_t i = 0; i < a.findings.size(); ++i)
    if (fx->rules.rules[a.findings[i].rule].id == "T-DESC-001") a.finding_waiver[i] = 0;
  auto& c21 = control(a, "2.1");
  c21.verdict = Verdict::kWaived;
  c21.reason = {"부적합 1건이 예외 승인됨", "1 failing finding accepted by a waiver"};

  assess::Attestation at;
  at.control = "1.3";
  at.status = "implemented";
  at.statement = "키 관리 절차서를 매년 검토합니다";
  assess::EvidenceFile ef;
  ef.path = "evidence/key-procedure.pdf";
  ef.sha256 = std::string(64, 'b');
  ef.locked_sha256 = ef.sha256;
  ef.exists = true;
  at.evidence.push_back(ef);
  at.owner = "보안팀";
  at.reviewed = "2026-01-15";
  at.expires = "2027-01-14";
  at.file = "attest.yaml";
  at.line = 4;
  at.valid = true;
  a.attestations.push_back(at);
  auto& c13 = control(a, "1.3");
  c13.verdict = Verdict::kPass;
  c13.attestation = 0;
  c13.reason = {"증적으로 확인됨", "attested with evidence"};

  // Reasons of our own, so that the golden files do not follow the assessor's wording.
  control(a, "1.1").reason = {"부적합 1건", "1 failing finding"};
  control(a, "1.2").reason = {"부적합 1건", "1 failing finding"};
  control(a, "1.4").reason = {"적용 후 결정되는 값 1건", "1 value known only after apply"};
  control(a, "2.2").reason = {"증적 확인 필요", "needs an attestation with evidence"};
  control(a, "2.3").reason = {"점검 대상 유형의 자원이 없음",
                              "no resource of a checked type exists"};
  EXPECT_EQ(control(a, "1.1").verdict, Verdict::kFail);
  EXPECT_EQ(control(a, "1.2").verdict, Verdict::kFail);
  EXPECT_EQ(control(a, "1.4").verdict, Verdict::kUnknown);
  EXPECT_EQ(control(a, "2.2").verdict, Verdict::kManual);
  EXPECT_EQ(control(a, "2.3").verdict, Verdict::kNotApplicable);

  // Counts again, from the verdicts as they now are.
  a.summary = {};
  a.automated = {};
  for (auto& ar : a.areas) ar.counts = {}, ar.automated = {};
  for (const auto& cr : a.controls) {
    a.summary.add(cr.verdict);
    if (cr.automated) a.automated.add(cr.verdict);
    for (auto& ar : a.areas)
      if (fx->cat.area_of(cr.control->id) == ar.area) {
        ar.counts.add(cr.verdict);
        if (cr.automated) ar.automated.add(cr.verdict);
      }
  }
  return fx;
}

ReportInfo info(Lang lang) {
  ReportInfo i;
  i.tool_version = "9.9.9";
  i.generated_at = "2026-03-02T09:15:00Z";
  i.lang = lang;
  i.warnings = {"waiver for T-ENC-001 expired on 2026-01-31"};
  return i;
}

std::string render(std::string_view format, const assess::Assessment& a, Lang lang) {
  std::ostringstream os;
  if (format == "sarif")
    write_sarif(os, a, info(lang));
  else if (format == "junit")
    write_junit(os, a, info(lang));
  else
    write_oscal(os, a, info(lang));
  return os.str();
}

// Validates `text` with tests/cli/lib/validate_report.py; skips when the validator is missing.
void expect_valid(const std::string& kind, const std::string& text, const std::string& ext) {
  fs::path schemas = testing::shared_dir() / "schemas";
  if (!fs::is_directory(schemas))
    GTEST_SKIP() << schemas << " is not beside this clone; schema validation skipped";
  testing::TempDir tmp;
  auto file = tmp.write("report." + ext, text);
  std::string script =
      (testing::source_dir() / "tests" / "cli" / "lib" / "validate_report.py").string();
  std::string out;
  int rc = testing::run(
      "python3 '" + script + "' " + kind + " '" + file.string() + "' '" + schemas.string() + "'",
      &out, true);
  if (rc == 77) GTEST_SKIP() << out;
  EXPECT_EQ(rc, 0) << out;
}

// ---- SARIF ----------------------------------------------------------------------------------

TEST(ReportSarif, Golden) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_golden("report_" + lang_name(lang) + ".sarif", render("sarif", fx->a, lang));
}

TEST(ReportSarif, ValidatesAgainstSarif210Schema) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_valid("sarif", render("sarif", fx->a, lang), "sarif");
}

TEST(ReportSarif, RulesResultsLevelsAndSuppressions) {
  auto fx = make_fixture();
  auto j = nlohmann::json::parse(render("sarif", fx->a, Lang::kEn));
  EXPECT_EQ(j["version"], "2.1.0");
  ASSERT_EQ(j["runs"].size(), 1u);
  const auto& run = j["runs"][0];
  const auto& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "csapcheck");
  EXPECT_EQ(driver["version"], "9.9.9");
  ASSERT_EQ(driver["rules"].size(), fx->rules.rules.size());
  std::map<std::string, nlohmann::json> rules;
  for (const auto& r : driver["rules"]) rules[r["id"]] = r;
  EXPECT_EQ(rules["T-ENC-001"]["shortDescription"]["text"], "Buckets encrypt data at rest");
  EXPECT_EQ(rules["T-ENC-001"]["fullDescription"]["text"], "Stored data must be encrypted.");
  EXPECT_NE(rules["T-ENC-001"]["help"]["text"].get<std::string>().find("Set encrypted = true"),
            std::string::npos);
  EXPECT_NE(rules["T-ENC-001"]["help"]["markdown"].get<std::string>().find("**Remediation**"),
            std::string::npos);
  EXPECT_EQ(rules["T-ENC-001"]["properties"]["security-severity"], "8.0");
  EXPECT_EQ(rules["T-DB-001"]["properties"]["security-severity"], "9.5");
  EXPECT_EQ(rules["T-KMS-001"]["properties"]["security-severity"], "5.5");
  EXPECT_EQ(rules["T-DESC-001"]["properties"]["security-severity"], "3.0");
  EXPECT_EQ(rules["T-ECR-001"]["properties"]["security-severity"], "1.0");
  EXPECT_EQ(rules["T-ENC-001"]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rules["T-KMS-001"]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(rules["T-DESC-001"]["defaultConfiguration"]["level"], "note");
  auto tags = rules["T-ENC-001"]["properties"]["tags"];
  EXPECT_NE(std::find(tags.begin(), tags.end(), "testcat:1.1"), tags.end()) << tags;

  // Results: fail, unknown and waived findings; passes are left out.
  std::map<std::string, nlohmann::json> by;  // "rule address" -> result
  for (const auto& r : run["results"])
    by[r["ruleId"].get<std::string>() + " " +
       r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].get<std::string>()] = r;
  EXPECT_EQ(by.size(), 5u);
  EXPECT_EQ(by.count("T-ENC-001 aws_s3_bucket.data"), 0u);
  const auto& logs = by["T-ENC-001 aws_s3_bucket.logs"];
  EXPECT_EQ(logs["level"], "error");
  EXPECT_EQ(driver["rules"][logs["ruleIndex"].get<int>()]["id"], "T-ENC-001");
  EXPECT_EQ(logs["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "plan.json");
  EXPECT_EQ(logs["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(logs["locations"][0]["physicalLocation"]["region"]["startColumn"], 7);
  EXPECT_EQ(logs["locations"][0]["logicalLocations"][0]["kind"], "resource");
  EXPECT_EQ(logs["partialFingerprints"].size(), 1u);
  EXPECT_FALSE(logs.contains("suppressions"));
  EXPECT_EQ(by["T-ENC-001 aws_s3_bucket.tmp"]["level"], "note");
  EXPECT_NE(by["T-ENC-001 aws_s3_bucket.tmp"]["message"]["text"].get<std::string>().find(
                "known after apply"),
            std::string::npos);
  EXPECT_FALSE(
      by["T-ENC-001 aws_s3_bucket.tmp"]["locations"][0]["physicalLocation"].contains("region"));
  EXPECT_EQ(by["T-DB-001 aws_db_instance.main"]["level"], "error");
  EXPECT_EQ(by["T-KMS-001 aws_kms_key.main"]["level"], "note");
  const auto& web = by["T-DESC-001 aws_instance.web"];
  ASSERT_TRUE(web.contains("suppressions"));
  EXPECT_EQ(web["suppressions"][0]["kind"], "external");
  EXPECT_EQ(web["suppressions"][0]["status"], "accepted");
  std::string just = web["suppressions"][0]["justification"];
  EXPECT_NE(just.find("레거시 서버"), std::string::npos) << just;
  EXPECT_NE(just.find("정보보호최고책임자"), std::string::npos) << just;
  EXPECT_NE(just.find("2026-09-30"), std::string::npos) << just;

  // Fingerprints depend on rule and address only: stable across languages and line moves.
  auto fx2 = make_fixture();
  fx2->d.resources[0].line = 99;
  auto j2 = nlohmann::json::parse(render("sarif", fx2->a, Lang::kKo));
  for (const auto& r : j2["runs"][0]["results"])
    if (r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_s3_bucket.logs") {
      EXPECT_EQ(r["partialFingerprints"], logs["partialFingerprints"]);
    }

  // Catalog, profile, inputs with hashes.
  EXPECT_EQ(run["properties"]["catalog"]["id"], "testcat");
  EXPECT_EQ(run["properties"]["catalog"]["version"], "2024-01");
  EXPECT_EQ(run["properties"]["catalog"]["status"], "structure");
  EXPECT_EQ(run["properties"]["profile"]["id"], "saas-moderate");
  EXPECT_EQ(run["properties"]["inputs"][0]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(run["artifacts"][0]["hashes"]["sha-256"], std::string(64, 'a'));
}

TEST(ReportSarif, KoreanAndNoSecrets) {
  auto fx = make_fixture();
  std::string ko = render("sarif", fx->a, Lang::kKo);
  EXPECT_NE(ko.find("버킷 저장 데이터 암호화"), std::string::npos);
  EXPECT_NE(ko.find("\"ko-KR\""), std::string::npos);
  for (Lang lang : {Lang::kEn, Lang::kKo}) expect_no_secrets(render("sarif", fx->a, lang));
  EXPECT_NE(render("sarif", fx->a, Lang::kEn).find("(sensitive)"), std::string::npos);
}

TEST(ReportSarif, ArtifactUris) {
  EXPECT_EQ(artifact_uri("plan.json"), "plan.json");
  EXPECT_EQ(artifact_uri("./out/my plan.json"), "out/my%20plan.json");
  EXPECT_EQ(artifact_uri("계획.json"), "%EA%B3%84%ED%9A%8D.json");
  EXPECT_EQ(artifact_uri((fs::current_path() / "x" / "plan.json").string()), "x/plan.json");
  EXPECT_EQ(artifact_uri("/nonexistent-root-dir/plan.json").rfind("file:///", 0), 0u);
}

// ---- JUnit ----------------------------------------------------------------------------------

TEST(ReportJunit, Golden) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_golden("report_" + lang_name(lang) + ".junit.xml", render("junit", fx->a, lang));
}

TEST(ReportJunit, ValidatesAgainstJunitXsd) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_valid("junit", render("junit", fx->a, lang), "xml");
}

TEST(ReportJunit, SuitesCasesAndCounts) {
  auto fx = make_fixture();
  std::string out = render("junit", fx->a, Lang::kEn);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(out.c_str())) << out;
  auto suites = doc.child("testsuites");
  std::vector<pugi::xml_node> list;
  for (auto s : suites.children("testsuite")) list.push_back(s);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_STREQ(list[0].attribute("name").value(), "1 Encryption");
  EXPECT_STREQ(list[1].attribute("name").value(), "2 Access control");
  EXPECT_STREQ(list[0].attribute("timestamp").value(), "2026-03-02T09:15:00");
  // Area 1: 1.1 fail, 1.2 fail, 1.3 pass (attested), 1.4 unknown.
  EXPECT_EQ(list[0].attribute("tests").as_int(), 4);
  EXPECT_EQ(list[0].attribute("failures").as_int(), 2);
  EXPECT_EQ(list[0].attribute("skipped").as_int(), 1);
  EXPECT_EQ(list[0].attribute("errors").as_int(), 0);
  // Area 2: 2.1 waived (passes), 2.2 manual, 2.3 not applicable.
  EXPECT_EQ(list[1].attribute("tests").as_int(), 3);
  EXPECT_EQ(list[1].attribute("failures").as_int(), 0);
  EXPECT_EQ(list[1].attribute("skipped").as_int(), 2);
  std::map<std::string, pugi::xml_node> cases;
  for (auto s : list)
    for (auto tc : s.children("testcase")) cases[tc.attribute("name").value()] = tc;
  auto c11 = cases["1.1 Encryption at rest"];
  EXPECT_STREQ(c11.attribute("classname").value(), "testcat.1");
  auto failure = c11.child("failure");
  ASSERT_TRUE(failure);
  EXPECT_STREQ(failure.attribute("type").value(), "high");
  std::string body = failure.text().get();
  EXPECT_NE(body.find("aws_s3_bucket.logs (plan.json:12:7)"), std::string::npos) << body;
  EXPECT_NE(body.find("attribute encrypted · expected truthy · actual false"), std::string::npos)
      << body;
  EXPECT_NE(body.find("Remediation: Set encrypted = true on the bucket."), std::string::npos)
      << body;
  EXPECT_NE(body.find("aws_s3_bucket.tmp"), std::string::npos) << body;  // unknown, listed apart
  EXPECT_STREQ(cases["1.2 Database protection"].child("failure").attribute("type").value(),
               "critical");
  EXPECT_STREQ(cases["1.4 Key rotation"].child("skipped").attribute("message").value(),
               "known only after apply");
  EXPECT_FALSE(cases["1.3 Key management procedure"].first_child());
  EXPECT_FALSE(cases["2.1 Instance description"].first_child());
  EXPECT_STREQ(cases["2.2 Access review"].child("skipped").attribute("message").value(),
               "needs an attestation with evidence");
  EXPECT_TRUE(cases["2.3 Container registry"].child("skipped"));
  // Waivers and attestations in the suites' output.
  std::string out1 = list[0].child("system-out").text().get();
  std::string out2 = list[1].child("system-out").text().get();
  EXPECT_NE(out1.find("evidence/key-procedure.pdf"), std::string::npos) << out1;
  EXPECT_NE(out2.find("레거시 서버"), std::string::npos) << out2;
  EXPECT_NE(out2.find("2026-09-30"), std::string::npos) << out2;
  // Properties: catalog, profile, inputs with hashes, tool version.
  std::map<std::string, std::string> props;
  for (auto p : list[0].child("properties").children("property"))
    props[p.attribute("name").value()] = p.attribute("value").value();
  EXPECT_EQ(props["catalog.id"], "testcat");
  EXPECT_EQ(props["catalog.version"], "2024-01");
  EXPECT_EQ(props["catalog.status"], "structure");
  EXPECT_EQ(props["profile"], "saas-moderate");
  EXPECT_EQ(props["input.1.path"], "plan.json");
  EXPECT_EQ(props["input.1.sha256"], std::string(64, 'a'));
  EXPECT_EQ(props["tool.version"], "9.9.9");
}

TEST(ReportJunit, KoreanAndNoSecrets) {
  auto fx = make_fixture();
  std::string ko = render("junit", fx->a, Lang::kKo);
  EXPECT_NE(ko.find("name=\"1.1 저장 데이터 암호화\""), std::string::npos) << ko;
  EXPECT_NE(ko.find("조치 방법: 버킷에 encrypted = true를 설정하십시오."), std::string::npos) << ko;
  for (Lang lang : {Lang::kEn, Lang::kKo}) expect_no_secrets(render("junit", fx->a, lang));
}

// ---- OSCAL ----------------------------------------------------------------------------------

TEST(ReportOscal, Golden) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_golden("report_" + lang_name(lang) + ".oscal.json", render("oscal", fx->a, lang));
}

TEST(ReportOscal, ValidatesAgainstAssessmentResults113Schema) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    expect_valid("oscal", render("oscal", fx->a, lang), "json");
}

TEST(ReportOscal, FindingsObservationsRisks) {
  auto fx = make_fixture();
  std::string text = render("oscal", fx->a, Lang::kEn);
  EXPECT_EQ(text, render("oscal", fx->a, Lang::kEn));  // deterministic
  auto j = nlohmann::json::parse(text)["assessment-results"];
  EXPECT_EQ(j["metadata"]["oscal-version"], "1.1.3");
  std::map<std::string, std::string> meta;
  for (const auto& p : j["metadata"]["props"]) meta[p["name"]] = p["value"];
  EXPECT_EQ(meta["catalog-id"], "testcat");
  EXPECT_EQ(meta["catalog-version"], "2024-01");
  EXPECT_EQ(meta["catalog-status"], "structure");
  EXPECT_EQ(meta["profile"], "saas-moderate");
  EXPECT_EQ(meta["tool-version"], "9.9.9");
  EXPECT_EQ(meta["input-sha256"], std::string(64, 'a'));
  ASSERT_EQ(j["results"].size(), 1u);
  const auto& r = j["results"][0];

  std::set<std::string> uuids;
  const RE2 uuid_re("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  auto check_uuid = [&](const nlohmann::json& u) {
    EXPECT_TRUE(RE2::FullMatch(u.get<std::string>(), uuid_re)) << u;
    EXPECT_TRUE(uuids.insert(u.get<std::string>()).second) << "duplicate " << u;
  };
  check_uuid(j["uuid"]);
  check_uuid(r["uuid"]);

  // Reviewed controls use tokens made from the catalog's ids.
  std::vector<std::string> ids;
  for (const auto& c : r["reviewed-controls"]["control-selections"][0]["include-controls"])
    ids.push_back(c["control-id"]);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"testcat-1.1", "testcat-1.2", "testcat-1.3", "testcat-1.4",
                                      "testcat-2.1", "testcat-2.2", "testcat-2.3"}));

  // Observations: TEST per non-passing finding, TEST per rule's passes, EXAMINE per attestation.
  std::map<std::string, nlohmann::json> obs;
  std::size_t tests = 0, examines = 0;
  for (const auto& o : r["observations"]) {
    check_uuid(o["uuid"]);
    obs[o["uuid"]] = o;
    if (o["methods"][0] == "TEST") ++tests;
    if (o["methods"][0] == "EXAMINE") {
      ++examines;
      EXPECT_EQ(o["relevant-evidence"].size(), 1u);
      EXPECT_EQ(o["collected"], "2026-01-15T00:00:00Z");
    }
  }
  EXPECT_EQ(tests, 5u + 1u);  // 5 non-passing findings, passes of T-ENC-001
  EXPECT_EQ(examines, 1u);

  // Findings: one per control; target state by verdict.
  std::map<std::string, nlohmann::json> findings;
  for (const auto& f : r["findings"]) {
    check_uuid(f["uuid"]);
    findings[f["target"]["target-id"]] = f;
    for (const auto& ro : f.value("related-observations", nlohmann::json::array()))
      EXPECT_TRUE(obs.count(ro["observation-uuid"])) << ro;
  }
  ASSERT_EQ(findings.size(), 7u);
  auto state = [&](const std::string& id) {
    return findings[id]["target"]["status"]["state"].get<std::string>();
  };
  EXPECT_EQ(state("testcat-1.1"), "not-satisfied");
  EXPECT_EQ(findings["testcat-1.1"]["target"]["type"], "objective-id");
  EXPECT_EQ(findings["testcat-1.1"]["target"]["props"][0]["value"], "1.1");
  EXPECT_EQ(state("testcat-1.3"), "satisfied");
  EXPECT_EQ(state("testcat-1.4"), "not-satisfied");
  EXPECT_EQ(state("testcat-2.1"), "not-satisfied");
  EXPECT_EQ(state("testcat-2.2"), "not-satisfied");
  EXPECT_EQ(state("testcat-2.3"), "satisfied");
  EXPECT_EQ(findings["testcat-2.3"]["target"]["implementation-status"]["state"], "not-applicable");

  // Risks: open for failing rules, deviation-approved for the waived one.
  std::map<std::string, nlohmann::json> risks;
  for (const auto& k : r["risks"]) {
    check_uuid(k["uuid"]);
    risks[k["props"][0]["value"]] = k;
  }
  ASSERT_EQ(risks.size(), 3u);
  EXPECT_EQ(risks["T-ENC-001"]["status"], "open");
  EXPECT_EQ(risks["T-DB-001"]["status"], "open");
  EXPECT_EQ(risks["T-ENC-001"]["remediations"][0]["description"],
            "Set encrypted = true on the bucket.");
  const auto& waived = risks["T-DESC-001"];
  EXPECT_EQ(waived["status"], "deviation-approved");
  std::map<std::string, std::string> wp;
  for (const auto& p : waived["props"]) wp[p["name"]] = p["value"];
  EXPECT_EQ(wp["waiver-reason"], "레거시 서버, 3분기 폐기 예정");
  EXPECT_EQ(wp["waiver-approved-by"], "정보보호최고책임자");
  EXPECT_EQ(wp["waiver-expires"], "2026-09-30");
  ASSERT_TRUE(findings["testcat-2.1"].contains("related-risks"));
  EXPECT_EQ(findings["testcat-2.1"]["related-risks"][0]["risk-uuid"], waived["uuid"]);

  // Back matter: the input and the evidence file, with SHA-256.
  std::size_t hashed = 0;
  for (const auto& res : j["back-matter"]["resources"])
    for (const auto& l : res.value("rlinks", nlohmann::json::array()))
      if (l.contains("hashes")) {
        ++hashed;
        EXPECT_EQ(l["hashes"][0]["algorithm"], "SHA-256");
      }
  EXPECT_EQ(hashed, 2u);
  EXPECT_EQ(j["import-ap"]["href"].get<std::string>().substr(0, 1), "#");
}

TEST(ReportOscal, KoreanAndNoSecrets) {
  auto fx = make_fixture();
  std::string ko = render("oscal", fx->a, Lang::kKo);
  EXPECT_NE(ko.find("보안인증 준비도 평가 결과"), std::string::npos);
  EXPECT_NE(ko.find("저장 데이터 암호화"), std::string::npos);
  for (Lang lang : {Lang::kEn, Lang::kKo}) expect_no_secrets(render("oscal", fx->a, lang));
}

TEST(ReportOscal, ControlIdsBecomeTokens) {
  EXPECT_EQ(oscal_control_id("csap", "ac-1"), "ac-1");
  EXPECT_EQ(oscal_control_id("csap", "10.3.2"), "csap-10.3.2");
  EXPECT_EQ(oscal_control_id("n2sf", "N2SF-LP-4(1)"), "N2SF-LP-4.1");
  EXPECT_EQ(oscal_control_id("isms-p", "2.1.1"), "isms-p-2.1.1");
  EXPECT_EQ(oscal_control_id("9cat", "1 a/b"), "control-1_a_b");
}

TEST(ReportSarifJunitOscal, EmptyAssessmentIsStillValid) {
  auto cat = catalog::load_catalog_text(kCatalog, "test-catalog.yaml");
  ASSERT_TRUE(cat) << cat.error().str();
  rules::RuleSet rs;
  Deployment d;
  auto profile = cat->resolve_profile("saas-moderate");
  ASSERT_TRUE(profile);
  auto a = assess::assess(*cat, *profile, {}, rs, d, {});
  expect_valid("oscal", render("oscal", a, Lang::kEn), "json");
  expect_valid("sarif", render("sarif", a, Lang::kEn), "sarif");
  expect_valid("junit", render("junit", a, Lang::kEn), "xml");
}

// ---- the command line -----------------------------------------------------------------------

TEST(ReportSarifJunitOscal, CliWritesAllThreeFormatsThatValidate) {
  testing::TempDir tmp;
  std::string cmd =
      "cd '" + testing::source_dir().string() + "' && '" + testing::binary() +
      "' scan examples/demo/plan.json --profile iaas-moderate -q --format sarif -o '" +
      (tmp.path() / "r.sarif").string() + "' --format junit -o '" +
      (tmp.path() / "r.xml").string() + "' --format oscal -o '" + (tmp.path() / "r.json").string() +
      "'";
  std::string out;
  int rc = testing::run(cmd, &out, true);
  EXPECT_EQ(rc, 1) << out;  // the demo fails on purpose
  for (const char* f : {"r.sarif", "r.xml", "r.json"})
    ASSERT_TRUE(fs::exists(tmp.path() / f)) << f << "\n" << out;
  auto sarif = nlohmann::json::parse(read_file(tmp.path() / "r.sarif"));
  EXPECT_EQ(sarif["runs"][0]["artifacts"][0]["location"]["uri"], "examples/demo/plan.json");
  EXPECT_FALSE(sarif["runs"][0]["results"].empty());
  for (const char* f : {"r.sarif", "r.xml", "r.json"})
    EXPECT_EQ(read_file(tmp.path() / f).find("Minwon!2026"), std::string::npos);
  expect_valid("sarif", read_file(tmp.path() / "r.sarif"), "sarif");
  expect_valid("junit", read_file(tmp.path() / "r.xml"), "xml");
  expect_valid("oscal", read_file(tmp.path() / "r.json"), "json");
}

}  // namespace
}  // namespace csap::report
