#include "report/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "engine/engine.h"
#include "report/console.h"
#include "report/json.h"
#include "report/labels.h"
#include "report/registry.h"
#include "report_fixture.h"
#include "rules/ruleset.h"
#include "rules/testres.h"
#include "test_support.h"

namespace csap::report {
namespace {

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
  - {id: low, ko: 하, en: low}
profiles:
  saas-moderate: {service: saas, tier: moderate}
controls:
  - {id: "1", title: {ko: 암호화, en: Encryption}, kind: technical}
  - {id: "1.1", parent: "1", title: {ko: 저장 데이터 암호화, en: Encryption at rest}, kind: technical}
  - {id: "1.2", parent: "1", title: {ko: 데이터베이스 보호, en: Database protection}, kind: technical}
  - {id: "1.3", parent: "1", title: {ko: 키 관리 절차, en: Key management procedure}, kind: procedural}
  - {id: "2", title: {ko: 접근 통제, en: Access control}, kind: technical}
  - {id: "2.1", parent: "2", title: {ko: 인스턴스 설명, en: Instance description}, kind: technical}
  - {id: "2.2", parent: "2", title: {ko: 접근 권한 검토, en: Access review}, kind: procedural}
)";

constexpr const char* kRules = R"(
id: T-ENC-001
title: {en: Buckets encrypt data at rest, ko: 버킷 저장 데이터 암호화}
severity: high
resource: [aws_s3_bucket]
check: {path: encrypted, op: truthy}
remediation: {en: "Set encrypted = true on the bucket.", ko: "버킷에 encrypted = true를 설정하십시오."}
---
id: T-DB-001
title: {en: Database password is long, ko: 데이터베이스 암호 길이}
severity: critical
resource: [aws_db_instance]
check: {path: password, op: matches, value: '^.{40,}$'}
remediation: {en: "Use a password of 40 characters or more.", ko: "40자 이상의 암호를 쓰십시오."}
---
id: T-DESC-001
title: {en: Instances carry an approved description, ko: 승인된 인스턴스 설명}
severity: low
resource: [aws_instance]
check: {path: description, op: equals, value: approved}
remediation: {en: "Set description = approved.", ko: "description = approved로 설정하십시오."}
)";

// The helpers of the shared report fixture; the assessment below is this file's own (fifteen
// buckets, to show how the console cuts long lists).
using fixture::Fixture;
using fixture::kSecretKey;
using fixture::kSensitivePw;

std::string resources_yaml() {
  std::string y = "[\n";
  y += "  {type: aws_s3_bucket, name: logs, values: {encrypted: false}},\n";
  y += "  {type: aws_s3_bucket, name: data, values: {encrypted: true}},\n";
  y += "  {type: aws_s3_bucket, name: tmp, values: {}, unknown: [encrypted]},\n";
  for (int i = 0; i < 12; ++i)
    y += "  {type: aws_s3_bucket, name: b" + std::to_string(i) + ", values: {encrypted: false}},\n";
  y += std::string("  {type: aws_db_instance, name: main, values: {password: '") + kSensitivePw +
       "'}, sensitive: [password]},\n";
  y += std::string("  {type: aws_instance, name: web, values: {description: '") + kSecretKey +
       "'}},\n";
  y += "]\n";
  return y;
}

std::unique_ptr<Fixture> make_fixture(std::string status = "structure") {
  auto fx = std::make_unique<Fixture>();
  std::string cat_text = kCatalog;
  if (status != "structure")
    cat_text.replace(cat_text.find("status: structure"), 17, "status: " + status);
  auto cat = catalog::load_catalog_text(cat_text, "test-catalog.yaml");
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

  catalog::Mapping m;
  m.id = "test-mapping";
  m.catalog = "testcat";
  m.file = "mapping.yaml";
  catalog::ControlMapping c11;
  c11.control = "1.1";
  c11.rules = {"T-ENC-001"};
  catalog::ControlMapping c12;
  c12.control = "1.2";
  c12.rules = {"T-DB-001"};
  c12.evidence = {"암호 정책 문서"};
  catalog::ControlMapping c13;
  c13.control = "1.3";
  c13.evidence = {"키 관리 절차서"};
  catalog::ControlMapping c21;
  c21.control = "2.1";
  c21.rules = {"T-DESC-001", "T-ENC-001"};
  m.controls = {c11, c12, c13, c21};

  auto profile = fx->cat.resolve_profile("saas-moderate");
  EXPECT_TRUE(profile) << (profile ? "" : profile.error().str());
  auto findings = engine::run(fx->rules, fx->d);
  fx->a = assess::assess(fx->cat, *profile, {m}, fx->rules, fx->d, std::move(findings));
  return fx;
}

ReportInfo info(Lang lang = Lang::kEn, bool color = false) {
  ReportInfo i;
  i.tool_version = "9.9.9";
  i.generated_at = "2026-03-02T09:15:00Z";
  i.lang = lang;
  i.color = color;
  i.warnings = {"waiver for T-ENC-001 expired on 2026-01-31"};
  return i;
}

std::string console(const assess::Assessment& a, const ReportInfo& i) {
  std::ostringstream os;
  write_console(os, a, i);
  return os.str();
}

std::string json_text(const assess::Assessment& a, const ReportInfo& i) {
  std::ostringstream os;
  write_json(os, a, i);
  return os.str();
}

TEST(ReportWidth, KoreanTakesTwoColumns) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("적합"), 4u);
  EXPECT_EQ(display_width("부적합 2"), 8u);
  EXPECT_EQ(display_width("SaaS · 중(moderate)"), 19u);  // '·' is narrow
  EXPECT_EQ(display_width("漢字かな"), 8u);
  EXPECT_EQ(display_width("ＡＢ"), 4u);                                  // fullwidth forms
  EXPECT_EQ(display_width("\x1b[31m부적합\x1b[0m"), 6u);                 // escapes take no room
  EXPECT_EQ(display_width("e\xcc\x81"), 1u);                             // combining acute
  EXPECT_EQ(display_width("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"), 2u);  // 한 as conjoining jamo
  EXPECT_EQ(display_width("\xff"), 1u);                                  // invalid byte
  EXPECT_EQ(pad_right("적합", 6), "적합  ");
  EXPECT_EQ(pad_left("중", 4), "  중");
  EXPECT_EQ(pad_right("부적합", 4), "부적합");
  EXPECT_EQ(truncate_width("정보보호 정책", 7), "정보보…");
  EXPECT_EQ(display_width(truncate_width("정보보호 정책", 7)), 7u);
  EXPECT_EQ(truncate_width("short", 10), "short");
  EXPECT_EQ(group_digits(100000), "100 000");
  EXPECT_EQ(group_digits(42), "42");
}

TEST(ReportConsole, GroupsByAreaWithFindingDetails) {
  auto fx = make_fixture();
  std::string out = console(fx->a, info());
  // Header.
  EXPECT_NE(out.find("csapcheck 9.9.9"), std::string::npos) << out;
  EXPECT_NE(out.find("testcat 2024-01 (structure)"), std::string::npos) << out;
  EXPECT_NE(out.find("saas-moderate — SaaS · moderate (중)"), std::string::npos) << out;
  EXPECT_NE(out.find("plan.json"), std::string::npos);
  EXPECT_NE(out.find("sha256:aaaaaaaaaaaa"), std::string::npos);
  // Areas in catalog order, controls under them.
  std::size_t area1 = out.find("\n1  Encryption");
  std::size_t area2 = out.find("\n2  Access control");
  ASSERT_NE(area1, std::string::npos) << out;
  ASSERT_NE(area2, std::string::npos) << out;
  EXPECT_LT(area1, area2);
  std::size_t c11 = out.find("1.1  Encryption at rest");
  ASSERT_NE(c11, std::string::npos) << out;
  EXPECT_GT(c11, area1);
  EXPECT_LT(c11, area2);
  // The failing finding: rule, severity, address, attribute, expected vs actual, remediation.
  EXPECT_NE(out.find("✗ HIGH      T-ENC-001  Buckets encrypt data at rest"), std::string::npos)
      << out;
  EXPECT_NE(out.find("aws_s3_bucket.logs  (plan.json:12)"), std::string::npos) << out;
  EXPECT_NE(out.find("attribute encrypted · expected truthy · actual false"), std::string::npos)
      << out;
  EXPECT_NE(out.find("Remediation: Set encrypted = true on the bucket."), std::string::npos) << out;
  // 13 failing buckets share one explanation; 10 are listed.
  EXPECT_NE(out.find("(13 resources)"), std::string::npos) << out;
  EXPECT_NE(out.find("… and 3 more"), std::string::npos) << out;
  EXPECT_EQ(out.find("attribute encrypted · expected truthy · actual false"),
            out.rfind("attribute encrypted · expected truthy · actual false"));
  // The same rule under a second control points back instead of repeating.
  EXPECT_NE(out.find("details under 1.1"), std::string::npos) << out;
  // Unknown finding shown as such.
  EXPECT_NE(out.find("known after apply"), std::string::npos) << out;
  // Manual controls are summarised with a hint, not listed.
  EXPECT_NE(out.find("1 control needs an attestation with evidence: 1.3"), std::string::npos)
      << out;
  EXPECT_NE(out.find("csapcheck init --profile saas-moderate"), std::string::npos) << out;
  EXPECT_EQ(out.find("1.3  Key management procedure"), std::string::npos) << out;
  // Summary.
  EXPECT_NE(out.find("Summary"), std::string::npos);
  EXPECT_NE(out.find("Top failing rules"), std::string::npos);
  EXPECT_NE(out.find("CRITICAL  T-DB-001"), std::string::npos) << out;
  EXPECT_NE(out.find("waiver for T-ENC-001 expired"), std::string::npos);
  // The critical rule ranks above the high one.
  std::size_t top = out.find("Top failing rules");
  EXPECT_LT(out.find("T-DB-001", top), out.find("T-ENC-001", top));
}

TEST(ReportConsole, VerboseListsEveryControl) {
  auto fx = make_fixture();
  auto i = info();
  i.verbose = true;
  std::string out = console(fx->a, i);
  EXPECT_NE(out.find("1.3  Key management procedure"), std::string::npos) << out;
  EXPECT_NE(out.find("키 관리 절차서"), std::string::npos) << out;
  EXPECT_NE(out.find("2.2  Access review"), std::string::npos) << out;
}

TEST(ReportConsole, StructuralNoticeAlwaysShown) {
  auto fx = make_fixture("structure");
  EXPECT_NE(console(fx->a, info()).find("This list is structural only"), std::string::npos);
  EXPECT_NE(console(fx->a, info(Lang::kKo)).find("이 목록은 구조만 담고 있습니다"),
            std::string::npos);
  // A structural catalog without a notice of its own still gets the standard one.
  fx->cat.notice = {};
  EXPECT_NE(console(fx->a, info()).find("csapcheck catalog import"), std::string::npos);
  auto official = make_fixture("official");
  official->cat.notice = {};
  std::string out = console(official->a, info());
  EXPECT_EQ(out.find("Notice"), std::string::npos) << out;
}

TEST(ReportConsole, ColourOnlyWhenAsked) {
  auto fx = make_fixture();
  EXPECT_EQ(console(fx->a, info(Lang::kEn, false)).find('\x1b'), std::string::npos);
  EXPECT_EQ(console(fx->a, info(Lang::kKo, false)).find('\x1b'), std::string::npos);
  std::string coloured = console(fx->a, info(Lang::kEn, true));
  EXPECT_NE(coloured.find("\x1b[31"), std::string::npos);  // red for fail
  EXPECT_NE(coloured.find("\x1b[36"), std::string::npos);  // cyan for manual
}

TEST(ReportConsole, KoreanLabelsAndAlignment) {
  auto fx = make_fixture();
  std::string out = console(fx->a, info(Lang::kKo));
  EXPECT_NE(out.find("인증 기준"), std::string::npos) << out;
  EXPECT_NE(out.find("SaaS · 중(moderate)"), std::string::npos) << out;
  EXPECT_NE(out.find("분야별 결과"), std::string::npos);
  EXPECT_NE(out.find("암호화"), std::string::npos);
  EXPECT_NE(out.find("부적합"), std::string::npos);
  EXPECT_NE(out.find("조치 방법: 버킷에 encrypted = true를 설정하십시오."), std::string::npos)
      << out;
  EXPECT_NE(out.find("요약"), std::string::npos);
  EXPECT_NE(out.find("준비도"), std::string::npos);
  EXPECT_NE(out.find("… 외 3건"), std::string::npos) << out;
  EXPECT_EQ(out.find("Remediation"), std::string::npos);
  // Control rows: the id column starts at the same display column whatever the verdict word.
  std::istringstream lines(out);
  std::string line;
  std::set<std::size_t> id_cols;
  while (std::getline(lines, line)) {
    for (std::string_view v : {"부적합", "확인불가", "적합", "수동확인"}) {
      std::string prefix = "  " + std::string(v) + " ";
      if (line.rfind(prefix, 0) == 0) {
        std::size_t p = line.find_first_not_of(' ', prefix.size());
        id_cols.insert(display_width(line.substr(0, p)));
      }
    }
  }
  ASSERT_FALSE(id_cols.empty()) << out;
  EXPECT_EQ(id_cols.size(), 1u) << out;
  // Area rows: the readiness bar starts at the same column for both areas (titles of different
  // display widths).
  std::set<std::size_t> bar_cols;
  std::istringstream again(out);
  while (std::getline(again, line))
    if ((line.rfind("1  ", 0) == 0 || line.rfind("2  ", 0) == 0) &&
        line.find('[') != std::string::npos)
      bar_cols.insert(display_width(line.substr(0, line.find('['))));
  EXPECT_EQ(bar_cols.size(), 1u) << out;
}

TEST(ReportConsole, NoSensitiveValues) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo})
    for (bool verbose : {false, true}) {
      auto i = info(lang);
      i.verbose = verbose;
      std::string out = console(fx->a, i);
      EXPECT_EQ(out.find(kSecretKey), std::string::npos) << out;
      EXPECT_EQ(out.find(kSensitivePw), std::string::npos) << out;
      EXPECT_EQ(out.find("AKIA"), std::string::npos) << out;
    }
  std::string out = console(fx->a, info());
  EXPECT_NE(out.find("aws_db_instance.main"), std::string::npos) << out;
  EXPECT_NE(out.find("(sensitive)"), std::string::npos) << out;
  EXPECT_NE(out.find("(redacted)"), std::string::npos) << out;
}

TEST(ReportJson, HasEveryFieldWithTheRightValues) {
  auto fx = make_fixture();
  auto j = nlohmann::json::parse(json_text(fx->a, info()));
  EXPECT_EQ(j["schema"], "csapcheck/report/v1");
  EXPECT_EQ(j["tool"]["name"], "csapcheck");
  EXPECT_EQ(j["tool"]["version"], "9.9.9");
  EXPECT_EQ(j["generated_at"], "2026-03-02T09:15:00Z");
  EXPECT_EQ(j["catalog"]["id"], "testcat");
  EXPECT_EQ(j["catalog"]["version"], "2024-01");
  EXPECT_EQ(j["catalog"]["status"], "structure");
  EXPECT_EQ(j["catalog"]["title"]["ko"], "시험용 인증 기준");
  EXPECT_EQ(j["catalog"]["notice"]["en"], "This list is structural only");
  EXPECT_EQ(j["profile"]["id"], "saas-moderate");
  EXPECT_EQ(j["profile"]["service"], "saas");
  EXPECT_EQ(j["profile"]["tier"], "moderate");
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["path"], "plan.json");
  EXPECT_EQ(j["inputs"][0]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(j["inputs"][0]["kind"], "terraform-plan");
  EXPECT_EQ(j["inputs"][0]["format_version"], "1.2");
  EXPECT_EQ(j["inputs"][0]["terraform_version"], "1.9.5");
  EXPECT_EQ(j["inputs"][0]["bytes"], 4096);
  EXPECT_EQ(j["resources"], fx->d.resources.size());

  // Findings: one per engine finding, in the assessment's order.
  ASSERT_EQ(j["findings"].size(), fx->a.findings.size());
  std::size_t fails = 0;
  const nlohmann::json* logs = nullptr;
  for (const auto& f : j["findings"]) {
    if (f["status"] == "fail") ++fails;
    if (f["resource"] == "aws_s3_bucket.logs") logs = &f;
    for (const char* k : {"rule", "resource", "type", "status", "controls", "severity", "message",
                          "attribute", "expected", "actual", "error", "remediation", "location"})
      EXPECT_TRUE(f.contains(k)) << k << " missing in " << f.dump();
  }
  EXPECT_EQ(fails, fx->a.finding_counts[static_cast<std::size_t>(engine::Status::kFail)]);
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ((*logs)["rule"], "T-ENC-001");
  EXPECT_EQ((*logs)["type"], "aws_s3_bucket");
  EXPECT_EQ((*logs)["status"], "fail");
  EXPECT_EQ((*logs)["controls"], nlohmann::json::array({"1.1", "2.1"}));
  EXPECT_EQ((*logs)["severity"], "high");
  EXPECT_EQ((*logs)["attribute"], "encrypted");
  EXPECT_EQ((*logs)["expected"], "truthy");
  EXPECT_EQ((*logs)["actual"], "false");
  EXPECT_EQ((*logs)["message"],
            "Buckets encrypt data at rest: encrypted — expected truthy, actual false");
  EXPECT_EQ((*logs)["remediation"]["ko"], "버킷에 encrypted = true를 설정하십시오.");
  EXPECT_EQ((*logs)["location"]["file"], "plan.json");
  EXPECT_EQ((*logs)["location"]["line"], 12);
  EXPECT_EQ((*logs)["location"]["column"], 7);

  // Controls.
  ASSERT_EQ(j["controls"].size(), fx->a.controls.size());
  const nlohmann::json* c11 = nullptr;
  for (const auto& c : j["controls"])
    if (c["id"] == "1.1") c11 = &c;
  ASSERT_NE(c11, nullptr);
  EXPECT_EQ((*c11)["title"]["en"], "Encryption at rest");
  EXPECT_EQ((*c11)["area"], "1");
  EXPECT_EQ((*c11)["kind"], "technical");
  EXPECT_EQ((*c11)["verdict"], "fail");
  EXPECT_EQ((*c11)["rules"], nlohmann::json::array({"T-ENC-001"}));
  EXPECT_EQ((*c11)["findings"]["fail"], 13);
  EXPECT_EQ((*c11)["findings"]["pass"], 1);
  EXPECT_EQ((*c11)["findings"]["unknown"], 1);
  EXPECT_EQ((*c11)["findings"]["error"], 0);
  EXPECT_TRUE((*c11)["evidence_expected"].is_array());
  EXPECT_FALSE((*c11)["reason"]["ko"].get<std::string>().empty());

  // Areas and summary.
  ASSERT_EQ(j["areas"].size(), 2u);
  EXPECT_EQ(j["areas"][0]["id"], "1");
  EXPECT_EQ(j["areas"][0]["verdict"], "fail");
  EXPECT_EQ(j["areas"][0]["counts"]["fail"], 2);
  EXPECT_EQ(j["areas"][0]["counts"]["manual"], 1);
  const auto& s = j["summary"];
  EXPECT_EQ(s["controls"]["fail"], fx->a.summary[assess::Verdict::kFail]);
  EXPECT_EQ(s["controls"]["manual"], fx->a.summary[assess::Verdict::kManual]);
  EXPECT_EQ(s["findings"]["fail"], fails);
  EXPECT_DOUBLE_EQ(s["readiness"].get<double>(), fx->a.summary.readiness());
  EXPECT_TRUE(s.contains("automated_readiness"));
  EXPECT_TRUE(j["notes"].is_array());
  EXPECT_EQ(j["warnings"][0], "waiver for T-ENC-001 expired on 2026-01-31");

  // Stable key order and deterministic output.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  auto ordered = nlohmann::ordered_json::parse(json_text(fx->a, info()));
  std::vector<std::string> okeys;
  for (auto it = ordered.begin(); it != ordered.end(); ++it) okeys.push_back(it.key());
  EXPECT_EQ(okeys.front(), "schema");
  EXPECT_EQ(okeys, (std::vector<std::string>{"schema", "tool", "generated_at", "lang", "catalog",
                                             "profile", "inputs", "resources", "findings",
                                             "controls", "areas", "summary", "today",
                                             "attestations", "waivers", "notes", "warnings"}));
  EXPECT_EQ(json_text(fx->a, info()), json_text(fx->a, info()));
}

TEST(ReportJson, MessagesInKorean) {
  auto fx = make_fixture();
  auto j = nlohmann::json::parse(json_text(fx->a, info(Lang::kKo)));
  EXPECT_EQ(j["lang"], "ko");
  bool found = false;
  for (const auto& f : j["findings"])
    if (f["resource"] == "aws_s3_bucket.logs") {
      EXPECT_EQ(f["message"], "버킷 저장 데이터 암호화: encrypted — 기대값 truthy, 실제값 false");
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(ReportJson, NoSensitiveValues) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kEn, Lang::kKo}) {
    std::string out = json_text(fx->a, info(lang));
    EXPECT_EQ(out.find(kSecretKey), std::string::npos) << out;
    EXPECT_EQ(out.find(kSensitivePw), std::string::npos) << out;
    EXPECT_EQ(out.find("AKIA"), std::string::npos);
  }
  auto j = nlohmann::json::parse(json_text(fx->a, info()));
  for (const auto& f : j["findings"]) {
    if (f["resource"] == "aws_db_instance.main") {
      EXPECT_EQ(f["actual"], "(sensitive)");
    }
    if (f["resource"] == "aws_instance.web") {
      EXPECT_EQ(f["actual"], "(redacted)");
    }
  }
}

TEST(ReportJson, ValidatesAgainstSchema) {
  if (testing::run("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
    GTEST_SKIP()
        << "python3 with the jsonschema module is not available; the report is not validated "
           "against docs/report.schema.json";
  auto fx = make_fixture();
  testing::TempDir tmp;
  for (Lang lang : {Lang::kEn, Lang::kKo}) {
    auto report = tmp.write("report.json", json_text(fx->a, info(lang)));
    auto schema = testing::source_dir() / "docs" / "report.schema.json";
    std::string cmd =
        "python3 -c 'import json,sys,jsonschema; s=json.load(open(sys.argv[1])); "
        "jsonschema.Draft202012Validator.check_schema(s); "
        "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))' '" +
        schema.string() + "' '" + report.string() + "'";
    std::string out;
    EXPECT_EQ(testing::run(cmd, &out, true), 0) << out;
  }
}

TEST(ReportJson, EmptyDeploymentIsStillAReport) {
  auto cat = catalog::load_catalog_text(kCatalog, "test-catalog.yaml");
  ASSERT_TRUE(cat) << cat.error().str();
  rules::RuleSet rs;
  Deployment d;
  auto profile = cat->resolve_profile("saas-moderate");
  ASSERT_TRUE(profile);
  auto a = assess::assess(*cat, *profile, {}, rs, d, {});
  auto j = nlohmann::json::parse(json_text(a, info()));
  EXPECT_EQ(j["findings"], nlohmann::json::array());
  EXPECT_EQ(j["inputs"], nlohmann::json::array());
  EXPECT_EQ(j["resources"], 0);
  EXPECT_EQ(j["summary"]["readiness"], 0);
  std::string out = console(a, info());
  EXPECT_NE(out.find("(no inputs)"), std::string::npos) << out;
  EXPECT_EQ(out.find("Top failing rules"), std::string::npos) << out;
}

TEST(ReportLabels, EveryLabelInBothLanguages) {
  for (int i = 0; i < static_cast<int>(L::kCount); ++i) {
    const Text& t = text(static_cast<L>(i));
    EXPECT_FALSE(t.ko.empty()) << i;
    EXPECT_FALSE(t.en.empty()) << i;
  }
}

TEST(ReportProgress, LineAndClear) {
  EXPECT_EQ(Progress::line(Lang::kKo, 42000, 100000), "스캔 중 42% (42 000/100 000 자원)");
  EXPECT_EQ(Progress::line(Lang::kEn, 5, 10), "Scanning 50% (5/10 resources)");
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    Progress p(true, Lang::kEn, f, {std::chrono::milliseconds(0), std::chrono::milliseconds(0)});
    p.update(1, 4);
    p.update(4, 4);
    p.finish();
  }
  std::rewind(f);
  std::string got;
  char buf[256];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) got.append(buf, n);
  std::fclose(f);
  EXPECT_NE(got.find("\rScanning 25% (1/4 resources)"), std::string::npos) << got;
  EXPECT_NE(got.find("\rScanning 100% (4/4 resources)"), std::string::npos) << got;
  EXPECT_EQ(got.substr(got.size() - 1), "\r");  // cleared, cursor back at the start
  // Disabled: nothing at all.
  std::FILE* g = std::tmpfile();
  {
    Progress p(false, Lang::kEn, g, {std::chrono::milliseconds(0), std::chrono::milliseconds(0)});
    p.update(1, 2);
  }
  EXPECT_EQ(std::ftell(g), 0);
  std::fclose(g);
}

TEST(ReportColor, HonoursFlagAndNoColor) {
  EXPECT_FALSE(use_color(1, true));
  const char* old = std::getenv("NO_COLOR");
  std::string saved = old ? old : "";
  ::setenv("NO_COLOR", "1", 1);
  EXPECT_FALSE(use_color(1, false));
  if (old)
    ::setenv("NO_COLOR", saved.c_str(), 1);
  else
    ::unsetenv("NO_COLOR");
  // A pipe is not a terminal.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(use_color(fds[1], false));
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace csap::report
