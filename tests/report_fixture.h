// The assessment the report tests share: a failing control (with markup, a secret-looking value and
// an unknown finding among its resources), a critical failure on a sensitive value, an attested
// procedural control whose attestation expires soon, an attestation whose evidence changed, an
// unknown-only control, a waived control, a stale waiver and a not-applicable control.
// make_fixture(Extras::kCanaries) adds a secret canary wherever an input can put one (a sensitive
// value, a secret-named attribute, a key-like value inside an object, an attestation statement, a
// warning) and control characters wherever an input can put them (Terraform's version, for_each
// keys, resource names, attestation statements, waiver reasons, warnings).
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "catalog/mapping.h"
#include "engine/engine.h"
#include "report/report.h"
#include "rules/ruleset.h"
#include "rules/testres.h"
#include "test_support.h"

namespace csap::report::fixture {

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
  - {id: "2.2", parent: "2", title: {ko: 접근 권한 관리, en: Access management}, kind: procedural}
  - {id: "2.2.1", parent: "2.2", title: {ko: 접근 권한 검토, en: Access review}, kind: procedural}
  - {id: "2.3", parent: "2", title: {ko: 컨테이너 저장소, en: Container registry}, kind: technical}
)";

constexpr const char* kRules = R"(
id: T-ENC-001
title: {en: Buckets encrypt data at rest, ko: 버킷 저장 데이터 암호화}
severity: high
resource: [aws_s3_bucket]
check: {path: encrypted, op: truthy}
remediation: {en: "Set encrypted = true on the bucket.", ko: "버킷에 encrypted = true를 설정하십시오."}
---
id: T-ACL-001
title: {en: Buckets are private, ko: 버킷 비공개}
severity: medium
resource: [aws_s3_bucket]
check: {path: acl, op: equals, value: private}
remediation: {en: "Set acl = \"private\".", ko: "acl = \"private\"로 설정하십시오."}
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

constexpr const char* kCanaryRules = R"(
---
id: T-KEY-001
title: {en: API keys are rotated, ko: API 키 교체}
severity: high
resource: [aws_api_gateway_api_key]
check: {path: value, op: equals, value: rotated}
---
id: T-CFG-001
title: {en: Settings are empty, ko: 설정 없음}
severity: medium
resource: [aws_ssm_document]
check: {path: settings, op: equals, value: {}}
)";

// Canaries: none may appear in any report.
constexpr const char* kCanarySensitive = "canary-sensitive-value-3141";  // marked sensitive
constexpr const char* kCanaryNamed = "canary-named-value-2718";          // in `value` of a key
constexpr const char* kCanaryNested = "canary-nested-password-1618";     // settings.db_password
constexpr const char* kCanaryKey = "AKIACANARY0000000001";               // looks like a key
// Control characters from inputs, one of each kind.
constexpr const char* kEscTitle = "\x1b]0;owned\x07";  // OSC: sets the terminal's title
constexpr const char* kEscCsi = "\x1b[2J";             // CSI: clears the screen
constexpr const char* kEscC1 =
    "\xc2\x9b"
    "31m";                               // C1 CSI
constexpr const char* kEscCr = "\rOK";   // CR: overwrites the line
constexpr const char* kEscDel = "\x7f";  // DEL

constexpr const char* kSecretKey = "AKIAIOSFODNN7EXAMPLE";
constexpr const char* kSensitivePw = "hunter2-Sensitive-Pw";
constexpr const char* kScriptAddress = R"(aws_s3_bucket.site["<script>alert(1)</script>"])";
constexpr const char* kMarkupValue = R"(<img src=x onerror=alert(2)>, "public")";

inline std::string resources_yaml(bool canaries = false) {
  std::string y = "[\n";
  y += "  {type: aws_s3_bucket, name: logs, values: {encrypted: false, acl: private}},\n";
  y += "  {type: aws_s3_bucket, name: data, values: {encrypted: true, acl: private}},\n";
  y += "  {type: aws_s3_bucket, name: tmp, values: {acl: private}, unknown: [encrypted]},\n";
  y += std::string("  {type: aws_s3_bucket, name: site, address: '") + kScriptAddress +
       "', values: {encrypted: true, acl: '" + kMarkupValue + "'}},\n";
  y += std::string("  {type: aws_s3_bucket, name: keyed, values: {encrypted: true, acl: '") +
       kSecretKey + "'}},\n";
  y += std::string("  {type: aws_db_instance, name: main, values: {password: '") + kSensitivePw +
       "'}, sensitive: [password]},\n";
  y += "  {type: aws_kms_key, name: main, values: {}, unknown: [enable_key_rotation]},\n";
  y += "  {type: aws_instance, name: web, values: {description: legacy}},\n";
  if (canaries) {
    y += std::string("  {type: aws_db_instance, name: canary, values: {password: '") +
         kCanarySensitive + "'}, sensitive: [password]},\n";
    y += std::string("  {type: aws_api_gateway_api_key, name: canary, values: {value: '") +
         kCanaryNamed + "'}, sensitive: [value]},\n";
    y +=
        std::string("  {type: aws_ssm_document, name: canary, values: {settings: {db_password: '") +
        kCanaryNested + "', api_key: '" + kCanaryKey + "'}}},\n";
  }
  y += "]\n";
  return y;
}

// Where the canary resources' names and keys carry control characters (set after loading: the
// test-resource format has no escapes).
inline std::string hostile_address() {
  return std::string("aws_s3_bucket.ctl[\"") + kEscTitle + kEscCsi + "\"]";
}

struct Fixture {
  catalog::Catalog cat;
  rules::RuleSet rules;
  Deployment d;
  assess::Assessment a;
};

inline assess::ControlResult& control(assess::Assessment& a, std::string_view id) {
  for (auto& cr : a.controls)
    if (cr.control->id == id) return cr;
  throw std::runtime_error("no control " + std::string(id));
}

inline assess::EvidenceFile evidence_file(std::string path, std::string sha, std::string locked) {
  assess::EvidenceFile e;
  e.path = std::move(path);
  e.sha256 = std::move(sha);
  e.locked_sha256 = std::move(locked);
  e.exists = true;
  e.changed = e.sha256 != e.locked_sha256;
  return e;
}

// Marks the control's failing findings of `rule` waived by waiver `wi`, as the assessor records it.
template <class CR>
void mark_waived(assess::Assessment& a, CR& cr, const rules::RuleSet& rules, std::string_view rule,
                 int wi) {
  if constexpr (requires { cr.waived; }) cr.waived.assign(cr.findings.size(), -1);
  for (std::size_t k = 0; k < cr.findings.size(); ++k) {
    std::size_t fi = cr.findings[k];
    if (rules.rules[a.findings[fi].rule].id != rule ||
        a.findings[fi].status != engine::Status::kFail)
      continue;
    a.finding_waiver[fi] = wi;
    if constexpr (requires { cr.waived; }) cr.waived[k] = wi;
  }
}

enum class Extras { kNone, kCanaries };

inline std::unique_ptr<Fixture> make_fixture(Extras extras = Extras::kNone) {
  const bool canaries = extras == Extras::kCanaries;
  using assess::Verdict;
  auto fx = std::make_unique<Fixture>();
  auto cat = catalog::load_catalog_text(kCatalog, "test-catalog.yaml");
  EXPECT_TRUE(cat) << (cat ? "" : cat.error().str());
  fx->cat = std::move(*cat);
  auto compiled = rules::compile_rules_text(
      canaries ? std::string(kRules) + kCanaryRules : std::string(kRules), "rules.yaml");
  EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().str());
  for (auto& r : *compiled) fx->rules.add(std::move(r));
  fx->rules.index();
  auto node = yaml::parse_one(resources_yaml(canaries), "res.yaml");
  EXPECT_TRUE(node) << (node ? "" : node.error().str());
  auto ok = rules::add_test_resources(*node, fx->d, "res.yaml");
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().str());
  fx->d.inputs.push_back(
      {"plan.json", std::string(64, 'a'), "terraform-plan", "1.2", "1.9.5", 4096});
  fx->d.resources[0].line = 12;
  fx->d.resources[0].column = 7;
  if (canaries) {
    fx->d.inputs[0].tool_version = std::string("1.9.5") + kEscTitle;
    fx->d.inputs.push_back({std::string("state") + kEscCr + ".json", std::string(64, 'e'),
                            "terraform-state", "4", std::string("1.8.0") + kEscC1, 2048});
    static const std::string address = hostile_address();
    static const std::string name = std::string("logs") + kEscCsi + kEscDel;
    for (auto& r : fx->d.resources)
      if (r.type == "aws_s3_bucket" && r.name == "logs") {
        r.address = address;
        r.name = name;
      }
  }

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
  m.controls = {entry("1.1", canaries ? std::vector<std::string>{"T-ENC-001", "T-ACL-001",
                                                                 "T-KEY-001", "T-CFG-001"}
                                      : std::vector<std::string>{"T-ENC-001", "T-ACL-001"}),
                entry("1.2", {"T-DB-001"}, {"암호 정책 문서"}),
                entry("1.3", {}, {"키 관리 절차서"}),
                entry("1.4", {"T-KMS-001"}),
                entry("2.1", {"T-DESC-001"}),
                entry("2.2.1", {}, {"접근 권한 검토 기록"}),
                entry("2.3", {"T-ECR-001"}, {}, true)};
  auto profile = fx->cat.resolve_profile("saas-moderate");
  EXPECT_TRUE(profile) << (profile ? "" : profile.error().str());
  auto findings = engine::run(fx->rules, fx->d);
  fx->a = assess::assess(fx->cat, *profile, {m}, fx->rules, fx->d, std::move(findings));
  auto& a = fx->a;
  a.today = "2026-03-02";

  // Waivers and attestations, set as the assessor's waiver and evidence steps record them.
  assess::Waiver w;
  w.rule = "T-DESC-001";
  w.resource = "aws_instance.*";
  w.reason = "레거시 서버, 3분기 폐기 예정";
  if (canaries) w.reason += std::string(" ") + kEscCsi + kCanaryKey;
  w.approved_by = "정보보호최고책임자";
  w.expires = "2026-03-20";
  w.source = "waivers.yaml:3";
  w.valid = true;
  w.expiring_soon = true;
  w.matched = 1;
  a.waivers.push_back(w);
  assess::Waiver stale;
  stale.rule = "T-ECR-001";
  stale.resource = "aws_ecr_repository.old";
  stale.reason = "이전 저장소";
  stale.approved_by = "보안팀장";
  stale.expires = "2026-12-31";
  stale.source = "waivers.yaml:9";
  stale.valid = true;
  a.waivers.push_back(stale);
  a.finding_waiver.assign(a.findings.size(), -1);
  auto& c21 = control(a, "2.1");
  mark_waived(a, c21, fx->rules, "T-DESC-001", 0);
  c21.verdict = Verdict::kWaived;
  c21.reason = {"부적합 1건이 예외 승인됨", "1 failing finding accepted by a waiver"};

  assess::Attestation at;
  at.control = "1.3";
  at.status = "implemented";
  at.statement = "키 관리 절차서를 매년 검토합니다";
  if (canaries) at.statement += std::string(" ") + kEscTitle + kEscCr + kEscC1 + " " + kCanaryKey;
  at.evidence.push_back(
      evidence_file("evidence/key-procedure.pdf", std::string(64, 'b'), std::string(64, 'b')));
  at.owner = "보안팀";
  if (canaries) at.owner += std::string(kEscCr) + kEscC1;
  at.reviewed = "2025-03-20";
  at.expires = "2026-03-19";
  at.file = "attest.yaml";
  at.line = 4;
  at.valid = true;
  at.expiring_soon = true;
  a.attestations.push_back(at);
  auto& c13 = control(a, "1.3");
  c13.verdict = Verdict::kPass;
  c13.attestation = 0;
  c13.reason = {"증적으로 확인됨", "attested with evidence"};

  assess::Attestation changed;
  changed.control = "2.2.1";
  changed.status = "implemented";
  changed.statement = "분기마다 접근 권한을 검토합니다";
  changed.evidence.push_back(
      evidence_file("evidence/access-review.xlsx", std::string(64, 'c'), std::string(64, 'd')));
  changed.owner = "인프라팀";
  changed.reviewed = "2026-01-10";
  changed.expires = "2027-01-09";
  changed.file = "attest.yaml";
  changed.line = 12;
  changed.valid = false;
  changed.problem = {"증적 파일의 해시가 잠금 이후 바뀜",
                     "an evidence file changed since it was locked"};
  a.attestations.push_back(changed);
  control(a, "2.2.1").attestation = 1;

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

inline ReportInfo info(Lang lang, Extras extras = Extras::kNone) {
  ReportInfo i;
  i.tool_version = "9.9.9";
  i.generated_at = "2026-03-02T09:15:00Z";
  i.lang = lang;
  i.warnings = {"waiver for T-ENC-001 expired on 2026-01-31"};
  if (extras == Extras::kCanaries)
    i.warnings.push_back(std::string("skipped ") + kEscCsi + kEscTitle + "x.json: token " +
                         kCanaryKey);
  return i;
}

inline std::string lang_name(Lang lang) {
  return lang == Lang::kKo ? "ko" : "en";
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Compares `got` with src/report/testdata/NAME; with CSAP_UPDATE_GOLDEN=1 in the environment,
// writes it there instead.
inline void expect_golden(const std::string& name, const std::string& got) {
  namespace fs = std::filesystem;
  fs::path p = testing::source_dir() / "src" / "report" / "testdata" / name;
  if (const char* u = std::getenv("CSAP_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << got;
    return;
  }
  ASSERT_TRUE(fs::exists(p)) << p
                             << " is missing; run the tests with CSAP_UPDATE_GOLDEN=1 to write it";
  std::string want = read_file(p);
  if (want == got) return;
  std::istringstream sa(want), sb(got);
  std::string la, lb;
  int line = 1;
  while (true) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea || eb || la != lb) break;
    ++line;
  }
  ADD_FAILURE() << name << " differs from the golden file at line " << line << ":\n  want: " << la
                << "\n  got:  " << lb
                << "\n(CSAP_UPDATE_GOLDEN=1 rewrites it after a deliberate change)";
}

inline void expect_no_secrets(const std::string& out) {
  EXPECT_EQ(out.find(kSecretKey), std::string::npos);
  EXPECT_EQ(out.find(kSensitivePw), std::string::npos);
  EXPECT_EQ(out.find("AKIA"), std::string::npos);
}

}  // namespace csap::report::fixture
