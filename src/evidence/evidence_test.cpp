#include "evidence/evidence.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "catalog/catalog.h"
#include "core/files.h"
#include "core/yaml.h"
#include "core/yaml_quote.h"
#include "ingest/terraform.h"
#include "rules/testres.h"
#include "test_support.h"

namespace csap::evidence {
namespace {
namespace fs = std::filesystem;
using csap::testing::TempDir;

constexpr const char* kCatalog = R"(
catalog: et
version: "1"
status: custom
title: {ko: 시험, en: Test}
service_types: [{id: saas, ko: SaaS, en: SaaS}]
tiers: [{id: low, ko: 하, en: low}]
profiles: {saas-low: {service: saas, tier: low}}
controls:
  - {id: "1", title: {ko: 영역, en: Area}}
  - {id: "1.1", parent: "1", title: {ko: 정책, en: Policy}, kind: procedural}
  - {id: "1.2", parent: "1", title: {ko: 교육, en: Training}, kind: procedural}
  - {id: "1.3", parent: "1", title: {ko: 시설, en: Premises}, kind: physical}
)";

catalog::Catalog cat() {
  return *catalog::load_catalog_text(kCatalog, "et.yaml");
}

Loaded load_one(const TempDir& dir, const std::string& name, const std::string& text,
                bool attest = true, const std::set<std::string>* rules = nullptr,
                std::string root = {}) {
  static catalog::Catalog c = cat();
  auto p = dir.write(name, text);
  LoadOptions o;
  o.catalog = &c;
  o.rule_ids = rules;
  o.evidence_root = std::move(root);
  return attest ? load({p.string()}, {}, o) : load({}, {p.string()}, o);
}

std::string errors(const Loaded& l) {
  std::string s;
  for (const auto& e : l.errors) s += e.str() + "\n";
  return s;
}

TEST(Dates, OnlyRealCalendarDates) {
  EXPECT_TRUE(parse_date("2026-03-02"));
  EXPECT_TRUE(parse_date("2028-02-29"));
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-04-31"));
  EXPECT_FALSE(parse_date("2026-3-2"));
  EXPECT_FALSE(parse_date("02/03/2026"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_EQ(format_date(*parse_date("2026-03-02")), "2026-03-02");
  EXPECT_EQ(today_local().size(), 10u);
}

TEST(Glob, StarMatchesAnyRun) {
  EXPECT_TRUE(glob_match("ncloud_server.*", "ncloud_server.web"));
  EXPECT_TRUE(glob_match("*", "module.a.aws_s3_bucket.b[0]"));
  EXPECT_TRUE(glob_match("module.*.aws_s3_bucket.logs", "module.net.storage.aws_s3_bucket.logs"));
  EXPECT_TRUE(glob_match("aws_s3_bucket.b[*]", "aws_s3_bucket.b[3]"));
  EXPECT_FALSE(glob_match("aws_s3_bucket.b", "aws_s3_bucket.bb"));
  EXPECT_FALSE(glob_match("ncloud_server.*", "ncloud_server_x.web"));
}

TEST(Load, ValidAttestationWithEvidenceAndHash) {
  TempDir d;
  d.write("evidence/policy.md", "# 정보보호 정책 v3.2\n");
  auto l = load_one(d, "attest.yaml", R"(attestations:
  - control: "1.1"
    status: implemented
    statement: 정보보호 정책 v3.2, CISO 승인
    evidence: [evidence/policy.md]
    owner: security-team
    reviewed: 2026-03-02
    expires: 2027-03-01
  - control: "1.2"
    status:
)");
  ASSERT_TRUE(l.errors.empty()) << errors(l);
  ASSERT_EQ(l.attestations.size(), 1u);  // the second has no status yet
  const auto& a = l.attestations[0];
  EXPECT_EQ(a.line, 2);
  ASSERT_EQ(a.evidence.size(), 1u);
  EXPECT_TRUE(a.evidence[0].exists);
  EXPECT_EQ(a.evidence[0].key, "evidence/policy.md");
  EXPECT_EQ(a.evidence[0].sha256, sha256_hex("# 정보보호 정책 v3.2\n"));
  ASSERT_EQ(l.notes.size(), 1u);
}

TEST(Load, EveryProblemWithItsLine) {
  TempDir d;
  auto l = load_one(d, "attest.yaml", R"(attestations:
  - control: "9.9"
    status: implemented
  - control: "1.1"
    status: done
  - control: "1.2"
    status: not-applicable
  - control: "1.3"
    status: implemented
    expires: 2026-02-30
  - control: "1.1"
    status: implemented
    reviewd: 2026-01-01
)");
  std::string all = errors(l);
  EXPECT_EQ(l.errors.size(), 6u) << all;
  EXPECT_NE(all.find("attest.yaml:2:15: control '9.9' is not in catalog et"), std::string::npos)
      << all;
  EXPECT_NE(all.find("attest.yaml:5:13: unknown status 'done'"), std::string::npos) << all;
  EXPECT_NE(all.find("attest.yaml:7:13: control 1.2 is attested not-applicable without a 'reason'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("attest.yaml:10:14: 'expires' must be a date written YYYY-MM-DD"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("attest.yaml:11:15: control 1.1 is attested twice (also at"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("attest.yaml:13:5: unknown key 'reviewd'"), std::string::npos) << all;
  for (const auto& e : l.errors) EXPECT_EQ(e.code, Exit::kBadInput);
}

TEST(Load, WaiverProblems) {
  TempDir d;
  std::set<std::string> rules{"NCP-SRV-PROTECT-001"};
  auto l = load_one(d, "waivers.yaml", R"(waivers:
  - rule: NCP-SRV-PROTECT-001
    resource: "ncloud_server.*"
    reason: 배치 서버는 파이프라인이 매일 다시 만듦
    approved_by: CISO
    expires: 2026-12-31
  - rule: NO-SUCH-RULE
    resource: "*"
    reason: x
    approved_by: CISO
    expires: 2026-12-31
  - rule: NCP-SRV-PROTECT-001
    resource: "*"
    expires: 2026-12-31
  - rule: NCP-SRV-PROTECT-001
    control: "1.1"
    resource: "*"
    reason: x
    approved_by: y
    expires: tomorrow
)",
                    false, &rules);
  std::string all = errors(l);
  ASSERT_EQ(l.waivers.size(), 1u) << all;
  EXPECT_EQ(l.waivers[0].source.substr(l.waivers[0].source.size() - 14), "waivers.yaml:2");
  EXPECT_NE(all.find("waivers.yaml:7:11: waiver names rule 'NO-SUCH-RULE' that does not exist"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("waivers.yaml:12:5: a waiver needs a 'reason'"), std::string::npos) << all;
  EXPECT_NE(all.find("waivers.yaml:12:5: a waiver needs 'approved_by'"), std::string::npos) << all;
  EXPECT_NE(all.find("waivers.yaml:15:5: a waiver names either a 'rule' or a 'control'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("waivers.yaml:20:14: 'expires' must be a date"), std::string::npos) << all;
  EXPECT_EQ(l.errors.size(), 5u) << all;
}

TEST(Load, MissingExpiryOnWaiver) {
  TempDir d;
  auto l = load_one(d, "w.yaml",
                    "waivers:\n  - {rule: R, resource: '*', reason: r, approved_by: a}\n", false);
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_NE(l.errors[0].str().find("w.yaml:2:5: a waiver needs 'expires'"), std::string::npos)
      << l.errors[0].str();
}

TEST(Load, UnknownTopLevelKeyAndBadYaml) {
  TempDir d;
  auto l = load_one(d, "a.yaml", "attestations: []\nattestation: []\n");
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_NE(l.errors[0].str().find("a.yaml:2:1: unknown key 'attestation'"), std::string::npos);
  auto bad = load_one(d, "b.yaml", "attestations: [\n");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].str().find("b.yaml:"), std::string::npos);
}

TEST(Load, DotDotEscapeIsRefused) {
  TempDir d;
  d.write("outside.txt", "secret");
  d.write("team/evidence/ok.md", "ok");
  auto l = load_one(d, "team/attest.yaml", R"(attestations:
  - control: "1.1"
    status: implemented
    evidence: [evidence/ok.md, ../outside.txt, evidence/../../outside.txt, /etc/passwd]
)");
  std::string all = errors(l);
  EXPECT_EQ(l.errors.size(), 3u) << all;
  EXPECT_NE(
      all.find("attest.yaml:4:32: evidence path '../outside.txt' leads out of the evidence root"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("'/etc/passwd' leads out of the evidence root"), std::string::npos) << all;
  // Inside after normalising: accepted.
  auto ok = load_one(d, "team/attest2.yaml", R"(attestations:
  - {control: "1.1", status: implemented, evidence: [evidence/../evidence/ok.md]}
)");
  EXPECT_TRUE(ok.errors.empty()) << errors(ok);
}

TEST(Load, SymlinkEscapeIsRefused) {
  TempDir d;
  d.write("secret.txt", "secret");
  d.write("team/evidence/ok.md", "ok");
  fs::create_symlink(d.path() / "secret.txt", d.path() / "team/evidence/link.md");
  fs::create_directory_symlink(d.path(), d.path() / "team/evidence/up");
  fs::create_symlink("ok.md", d.path() / "team/evidence/inside.md");
  auto l = load_one(d, "team/attest.yaml", R"(attestations:
  - control: "1.1"
    status: implemented
    evidence: [evidence/link.md, evidence/up/secret.txt, evidence/inside.md]
)");
  std::string all = errors(l);
  EXPECT_EQ(l.errors.size(), 2u) << all;
  EXPECT_NE(all.find("'evidence/link.md' leads out of the evidence root"), std::string::npos)
      << all;
  EXPECT_NE(all.find("through a symbolic link"), std::string::npos) << all;
}

TEST(Load, EvidenceRootOption) {
  TempDir d;
  d.write("docs/policy.md", "p");
  auto l =
      load_one(d, "cfg/attest.yaml",
               "attestations:\n  - {control: '1.1', status: implemented, evidence: [policy.md]}\n",
               true, nullptr, (d.path() / "docs").string());
  ASSERT_TRUE(l.errors.empty()) << errors(l);
  EXPECT_TRUE(l.attestations[0].evidence[0].exists);
}

TEST(Lock, ChangedFileIsNoticed) {
  TempDir d;
  auto ev = d.write("evidence/policy.md", "v1");
  std::string attest =
      "attestations:\n  - {control: '1.1', status: implemented, evidence: [evidence/policy.md, "
      "evidence/later.md]}\n";
  auto l = load_one(d, "attest.yaml", attest);
  ASSERT_TRUE(l.errors.empty()) << errors(l);
  std::string lp = lock_path_for((d.path() / "attest.yaml").string());
  EXPECT_EQ(fs::path(lp).filename(), "attest.lock.yaml");
  std::ofstream(lp) << lock_text(l.attestations, "attest.yaml");
  auto entries = read_lock(lp);
  ASSERT_TRUE(entries) << entries.error().str();
  ASSERT_EQ(entries->size(), 1u);  // the missing file is not locked
  EXPECT_EQ((*entries)[0].key, "evidence/policy.md");

  auto same = load_one(d, "attest.yaml", attest);
  EXPECT_FALSE(same.attestations[0].evidence[0].changed);
  EXPECT_EQ(same.attestations[0].evidence[0].locked_sha256, sha256_hex("v1"));
  std::ofstream(ev) << "v2";
  auto changed = load_one(d, "attest.yaml", attest);
  EXPECT_TRUE(changed.attestations[0].evidence[0].changed);
  std::vector<Waiver> none;
  evaluate(changed.attestations, none, "2026-03-02");
  EXPECT_FALSE(changed.attestations[0].valid);
  EXPECT_NE(changed.attestations[0].problem.en.find("changed since it was locked"),
            std::string::npos);

  std::ofstream(lp) << "lock: something-else\n";
  auto bad = load_one(d, "attest.yaml", attest);
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_NE(bad.errors[0].str().find("attest.lock.yaml:1:7: not a csapcheck evidence lock file"),
            std::string::npos)
      << bad.errors[0].str();
}

TEST(TagWaivers, NeedReasonAndExpiry) {
  const char* plan = R"({"format_version": "1.2", "terraform_version": "1.6.6",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_ebs_volume.a", "mode": "managed", "type": "aws_ebs_volume", "name": "a",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "values": {"encrypted": false, "tags": {"csapcheck:waive": "AWS-EBS-ENC-001",
     "csapcheck:waive-reason": "scratch volume, no data", "csapcheck:waive-expires": "2026-06-30",
     "csapcheck:waive-approver": "CISO"}}},
  {"address": "aws_ebs_volume.b", "mode": "managed", "type": "aws_ebs_volume", "name": "b",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "values": {"encrypted": false, "tags": {"csapcheck:waive": "AWS-EBS-ENC-001"}}},
  {"address": "google_storage_bucket.c", "mode": "managed", "type": "google_storage_bucket", "name": "c",
   "provider_name": "registry.terraform.io/hashicorp/google",
   "values": {"labels": {"csapcheck-waive": "GCP-X", "csapcheck-waive-reason": "public-dataset",
     "csapcheck-waive-expires": "2026-13-01"}}}
 ]}}})";
  Deployment d;
  auto r = ingest::load_terraform_bytes(plan, "plan.json", d);
  ASSERT_TRUE(r) << r.error().str();
  std::set<std::string> ids{"AWS-EBS-ENC-001", "GCP-X"};
  auto w = tag_waivers(d, &ids);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].rule, "AWS-EBS-ENC-001");
  EXPECT_EQ(w[0].resource, "aws_ebs_volume.a");
  EXPECT_EQ(w[0].approved_by, "CISO");
  EXPECT_TRUE(w[0].problem.empty());
  EXPECT_EQ(w[0].source, "tag on aws_ebs_volume.a");
  EXPECT_EQ(w[1].problem.en, "no csapcheck:waive-reason tag");
  EXPECT_NE(w[2].problem.en.find("not a YYYY-MM-DD date"), std::string::npos);
  std::vector<Attestation> none;
  evaluate(none, w, "2026-03-02");
  EXPECT_TRUE(w[0].valid);
  EXPECT_FALSE(w[1].valid);
  EXPECT_FALSE(w[2].valid);
}

TEST(Skeleton, RerunKeepsHandEditsAndAddsOnlyWhatIsMissing) {
  auto c = cat();
  auto profile = *c.resolve_profile("saas-low");
  std::vector<SkeletonEntry> two{{c.find("1.1"), {"정보보호 정책서"}}, {c.find("1.2"), {}}};
  std::string first = skeleton_text(c, profile, two);
  EXPECT_NE(first.find("# 1.1 정책 — Policy [procedural]"), std::string::npos) << first;
  EXPECT_NE(first.find("#   - 정보보호 정책서"), std::string::npos);
  ASSERT_TRUE(yaml::parse_one(first, "x"));

  // The team fills 1.1 in, adds a comment of its own and a waivers section after the list.
  std::string edited = first;
  auto pos = edited.find("    status:", edited.find("control: \"1.1\""));
  edited.replace(pos, edited.find('\n', pos) - pos, "    status: implemented   # 2026 audit");
  edited = "# our own header comment\n" + edited + "\n# accepted risks\nwaivers: []\n";

  std::vector<SkeletonEntry> three = two;
  three.push_back({c.find("1.3"), {"출입 통제 기록"}});
  auto m = merge_skeleton(edited, "attest.yaml", c, profile, three);
  ASSERT_TRUE(m) << m.error().str();
  EXPECT_EQ(m->added, std::vector<std::string>{"1.3"});
  EXPECT_EQ(m->kept, 2u);
  // Every byte written before is still there, in order.
  std::string t = m->text;
  EXPECT_NE(t.find("# our own header comment"), std::string::npos);
  EXPECT_NE(t.find("status: implemented   # 2026 audit"), std::string::npos);
  auto root = yaml::parse_one(t, "attest.yaml");
  ASSERT_TRUE(root) << root.error().str();
  const auto* list = root->get("attestations");
  ASSERT_TRUE(list && list->is_seq());
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(list->items[2].get("control")->scalar, "1.3");
  EXPECT_EQ(list->items[0].get("status")->scalar, "implemented");
  ASSERT_TRUE(root->get("waivers"));
  // The new entry went into the list, before the comment that leads to 'waivers'.
  EXPECT_LT(t.find("control: \"1.3\""), t.find("# accepted risks"));
  // Removing the inserted block gives back the edited file exactly.
  std::string back = t;
  auto start = back.find("\n  # 1.3 ");
  ASSERT_NE(start, std::string::npos);
  back.erase(start, t.size() - edited.size());
  EXPECT_EQ(back, edited);

  // A second run adds nothing.
  auto again = merge_skeleton(t, "attest.yaml", c, profile, three);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->added.empty());
  EXPECT_EQ(again->text, t);
}

TEST(Skeleton, EmptyListAndFlowList) {
  auto c = cat();
  auto profile = *c.resolve_profile("saas-low");
  std::vector<SkeletonEntry> one{{c.find("1.1"), {}}};
  for (std::string start : {"attestations: []\n", "attestations:\n",
                            "# only a comment\nattestations: []  # none yet\n"}) {
    auto m = merge_skeleton(start, "a.yaml", c, profile, one);
    ASSERT_TRUE(m) << m.error().str();
    auto root = yaml::parse_one(m->text, "a.yaml");
    ASSERT_TRUE(root) << root.error().str() << "\n" << m->text;
    ASSERT_EQ(root->get("attestations")->items.size(), 1u) << m->text;
  }
}

// ---- init on files people wrote: one insertion, nothing changed, a file that loads -------------

// The text `after` is `before` with one run of bytes inserted (nothing removed or changed).
bool one_insertion(const std::string& before, const std::string& after) {
  if (after.size() < before.size()) return false;
  std::size_t p = 0;
  while (p < before.size() && before[p] == after[p]) ++p;
  std::size_t k = after.size() - before.size();
  return after.compare(p + k, std::string::npos, before, p) == 0;
}

TEST(Skeleton, EveryShapeKeepsItsBytesAndLoads) {
  auto c = cat();
  auto profile = *c.resolve_profile("saas-low");
  std::vector<SkeletonEntry> three{
      {c.find("1.1"), {}}, {c.find("1.2"), {"교육 기록"}}, {c.find("1.3"), {}}};
  const std::string one = "  - control: \"1.1\"\n    status: implemented\n";
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"byte-order mark", "\xEF\xBB\xBF# ours\nattestations:\n" + one},
      {"CRLF", "# ours\r\nattestations:\r\n  - control: \"1.1\"\r\n    status: implemented\r\n"},
      {"CR only", "# ours\rattestations:\r  - control: \"1.1\"\r    status: implemented\r"},
      {"anchors",
       "attestations: &all\n  - &first\n    control: &id \"1.1\"\n    status: implemented\n"},
      {"waivers after the list", "attestations:\n" + one +
                                     "\n# accepted risks\nwaivers:\n  - {rule: R-1, resource: "
                                     "\"a.*\", reason: r, approved_by: "
                                     "CISO, expires: 2030-01-01}\n"},
      {"empty list with a comment", "attestations: []  # none yet\nwaivers: []\n"},
      {"empty key with a comment", "attestations:   # fill in below\n"},
      {"flow list", "attestations: [{control: \"1.1\", status: implemented}]  # flow\n"},
      {"flow list, trailing comma",
       "attestations: [\n  {control: \"1.1\", status: implemented},  # x\n  ]\n"},
      {"flow document", "{attestations: [{control: \"1.1\", status: implemented}]}\n"},
      {"flow document without the key", "{waivers: []}\n"},
      {"document markers", "---\nattestations:\n" + one + "...\n"},
      {"no final line break", "attestations:\n  - control: \"1.1\"\n    status: implemented"},
      {"list at column 0", "attestations:\n- control: \"1.1\"\n  status: implemented\n# end\n"},
      {"only comments", "# to be written\n"},
      {"waivers only", "waivers: []\n"},
  };
  for (const auto& [what, text] : shapes) {
    SCOPED_TRACE(what);
    auto m = merge_skeleton(text, "a.yaml", c, profile, three);
    ASSERT_TRUE(m) << m.error().str();
    EXPECT_TRUE(one_insertion(text, m->text)) << m->text;
    if (text.starts_with("\xEF\xBB\xBF")) {
      EXPECT_TRUE(m->text.starts_with("\xEF\xBB\xBF"));
    }
    if (text.find("\r\n") != std::string::npos) {
      // Every line break added is CRLF too.
      for (std::size_t i = 0; i < m->text.size(); ++i)
        if (m->text[i] == '\n') {
          ASSERT_TRUE(i > 0 && m->text[i - 1] == '\r') << m->text;
        }
    }
    if (what == "CR only") {
      EXPECT_EQ(m->text.find('\n'), std::string::npos) << m->text;
    }
    // The file loads, with the entries that were there and the new ones.
    TempDir d;
    auto l = load_one(d, "a.yaml", m->text);
    EXPECT_TRUE(l.errors.empty()) << errors(l) << m->text;
    auto again = merge_skeleton(m->text, "a.yaml", c, profile, three);
    ASSERT_TRUE(again) << again.error().str();
    EXPECT_TRUE(again->added.empty()) << m->text;
    EXPECT_EQ(again->kept, 3u) << m->text;
  }
}

TEST(Skeleton, RefusesWhatItCannotAddToSafely) {
  auto c = cat();
  auto profile = *c.resolve_profile("saas-low");
  std::vector<SkeletonEntry> one{{c.find("1.2"), {}}};
  for (std::string text :
       {std::string("attestations: null\n"), std::string("attestations: ~  # x\n"),
        std::string("---\nattestations: []\n---\nwaivers: []\n"), std::string("---\n...\n")}) {
    auto m = merge_skeleton(text, "a.yaml", c, profile, one);
    ASSERT_FALSE(m) << text << "\n->\n" << m->text;
    EXPECT_EQ(m.error().code, Exit::kBadInput);
    EXPECT_NE(m.error().str().find("a.yaml"), std::string::npos);
    EXPECT_NE(m.error().message.find("cannot add to this file safely"), std::string::npos)
        << m.error().str();
  }
}

// ---- the lock file: any file name reads back --------------------------------------------------

TEST(Lock, AnyFileNameReadsBack) {
  TempDir d;
  const std::vector<std::string> names = {"line\nbreak.md", "say \"hi\".md", "a: b.md",
                                          "# hash.md",      "  leading.md",  "it's.md",
                                          "back\\slash.md", "tab\there.md",  "- dash.md"};
  std::string attest =
      "attestations:\n  - control: \"1.1\"\n    status: implemented\n    evidence:\n";
  for (const auto& n : names) {
    d.write("evidence/" + n, "content of " + n);
    attest += "      - " + yaml_quote("evidence/" + n) + "\n";
  }
  auto l = load_one(d, "attest.yaml", attest);
  ASSERT_TRUE(l.errors.empty()) << errors(l);
  ASSERT_EQ(l.attestations[0].evidence.size(), names.size());
  for (const auto& f : l.attestations[0].evidence) EXPECT_TRUE(f.exists) << f.path;
  // An attestation file whose own name needs quoting, too.
  std::string lock_name = (d.path() / "x.lock.yaml").string();
  std::ofstream(lock_name) << lock_text(l.attestations, "we\"ird\nname: #1.yaml");
  auto back = read_lock(lock_name);
  ASSERT_TRUE(back) << back.error().str();
  ASSERT_EQ(back->size(), names.size());
  std::set<std::string> keys;
  for (const auto& e : *back) keys.insert(e.key);
  for (const auto& n : names) EXPECT_TRUE(keys.count("evidence/" + n)) << n;
  // And a scan reading the lock beside the attestation file finds every file unchanged.
  std::ofstream(lock_path_for((d.path() / "attest.yaml").string()))
      << lock_text(l.attestations, "attest.yaml");
  auto again = load_one(d, "attest.yaml", attest);
  ASSERT_TRUE(again.errors.empty()) << errors(again);
  for (const auto& f : again.attestations[0].evidence) {
    EXPECT_FALSE(f.locked_sha256.empty()) << f.path;
    EXPECT_FALSE(f.changed) << f.path;
  }
}

TEST(Lock, FifoIsUnreadableNotMissing) {
  TempDir d;
  d.write("evidence/ok.md", "ok");
  ASSERT_EQ(::mkfifo((d.path() / "evidence/pipe.md").c_str(), 0600), 0);
  auto l = load_one(d, "attest.yaml",
                    "attestations:\n  - {control: '1.1', status: implemented, evidence: "
                    "[evidence/ok.md, evidence/pipe.md, evidence/gone.md]}\n");
  ASSERT_TRUE(l.errors.empty()) << errors(l);
  const auto& ev = l.attestations[0].evidence;
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_TRUE(ev[0].exists);
  EXPECT_FALSE(ev[1].exists);
  EXPECT_EQ(ev[1].unreadable, "not a regular file");
  EXPECT_FALSE(ev[2].exists);
  EXPECT_TRUE(ev[2].unreadable.empty());
  std::vector<Waiver> none;
  evaluate(l.attestations, none, "2026-03-02");
  EXPECT_EQ(l.attestations[0].problem.en,
            "evidence file unreadable: evidence/pipe.md (not a regular file)");
}

// A symbolic link swapped in while the evidence is read never makes the lock record a file
// outside the root: what is hashed is the file that was checked (bounded by a count of runs).
TEST(Lock, SwappedSymlinkIsNeverHashed) {
  TempDir d;
  auto secret = d.write("outside/secret.txt", "outside the root");
  const std::string secret_hash = sha256_hex("outside the root");
  d.write("team/evidence/doc.md", "the real evidence");
  d.write("team/evidence/doc.real", "the real evidence");
  fs::create_symlink(secret, d.path() / "team/evidence/doc.link");
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    const fs::path doc = d.path() / "team/evidence/doc.md";
    for (int i = 0; !stop; ++i) {
      // Atomic renames: the name is always there, a file one moment, a link the next.
      fs::path from = d.path() / (i % 2 ? "team/evidence/doc.real" : "team/evidence/doc.link");
      fs::path copy = from.string() + ".tmp";
      std::error_code ec;
      fs::copy(from, copy, fs::copy_options::copy_symlinks | fs::copy_options::overwrite_existing,
               ec);
      fs::rename(copy, doc, ec);
    }
  });
  int hashed = 0;
  for (int run = 0; run < 300; ++run) {
    auto l = load_one(d, "team/attest.yaml",
                      "attestations:\n  - {control: '1.1', status: implemented, evidence: "
                      "[evidence/doc.md]}\n");
    for (const auto& a : l.attestations)
      for (const auto& f : a.evidence) {
        EXPECT_NE(f.sha256, secret_hash) << "run " << run;
        if (f.exists) ++hashed;
      }
  }
  stop = true;
  swapper.join();
  EXPECT_GT(hashed, 0);
}

// Tags marked sensitive are never copied into a waiver: reason, approver and a bad expiry read
// "(sensitive)", also when the waiver is rejected.
TEST(TagWaivers, SensitiveTagsAreNeverCopied) {
  auto list = yaml::parse_one(R"(
- type: aws_ebs_volume
  name: a
  values:
    tags: {"csapcheck:waive": AWS-EBS-ENC-001, "csapcheck:waive-reason": "hunter2-reason",
           "csapcheck:waive-approver": "hunter2-approver", "csapcheck:waive-expires": "hunter2-date"}
  sensitive: [tags]
)",
                              "res.yaml");
  ASSERT_TRUE(list) << list.error().str();
  Deployment d;
  auto r = rules::add_test_resources(*list, d, "res.yaml");
  ASSERT_TRUE(r) << r.error().str();
  std::set<std::string> ids{"AWS-EBS-ENC-001"};
  auto w = tag_waivers(d, &ids);
  ASSERT_EQ(w.size(), 1u);
  std::vector<Attestation> none;
  evaluate(none, w, "2026-03-02");
  EXPECT_FALSE(w[0].valid);
  for (const std::string& s : {w[0].reason, w[0].approved_by, w[0].expires, w[0].problem.en,
                               w[0].problem.ko, w[0].source, w[0].rule})
    EXPECT_EQ(s.find("hunter2"), std::string::npos) << s;
  EXPECT_EQ(w[0].reason, "(sensitive)");
  EXPECT_EQ(w[0].approved_by, "(sensitive)");
  EXPECT_EQ(w[0].expires, "(sensitive)");
  EXPECT_FALSE(w[0].problem.empty());  // rejected, and says so without the values
}

}  // namespace
}  // namespace csap::evidence
