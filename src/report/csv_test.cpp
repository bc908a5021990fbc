// The CSV checklist: golden files (src/report/testdata; CSAP_UPDATE_GOLDEN=1 rewrites them), the
// columns and words an auditor expects, RFC 4180 quoting, and no sensitive values.
#include "report/csv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report_fixture.h"

namespace csap::report {
namespace {

using namespace fixture;

std::string render_csv(const assess::Assessment& a, Lang lang, bool findings = false) {
  std::ostringstream os;
  if (findings)
    write_csv_findings(os, a, info(lang));
  else
    write_csv(os, a, info(lang));
  return os.str();
}

// A minimal RFC 4180 reader: records of fields, CRLF between records.
std::vector<std::vector<std::string>> parse_csv(std::string_view s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"')
        field += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field)), field.clear(), was_quoted = false;
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      rows.back().push_back(std::move(field)), field.clear(), was_quoted = false;
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

const std::vector<std::string>* row_for(const std::vector<std::vector<std::string>>& rows,
                                        std::string_view id) {
  for (const auto& r : rows)
    if (r.size() > 2 && r[2] == id) return &r;
  return nullptr;
}

TEST(ReportCsv, Golden) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kKo, Lang::kEn}) {
    expect_golden("checklist_" + lang_name(lang) + ".csv", render_csv(fx->a, lang));
    expect_golden("findings_" + lang_name(lang) + ".csv", render_csv(fx->a, lang, true));
  }
}

TEST(ReportCsv, BomCrlfAndKoreanColumns) {
  auto fx = make_fixture();
  std::string out = render_csv(fx->a, Lang::kKo);
  ASSERT_EQ(out.rfind("\xEF\xBB\xBF", 0), 0u)
      << "UTF-8 byte-order mark first, so Excel reads Korean";
  EXPECT_EQ(out.substr(3, out.find("\r\n") - 3),
            "분야,항목,통제번호,통제항목,점검결과,근거·증적,담당,비고");
  // Every line break between records is CRLF (line breaks inside quoted cells are LF).
  auto rows = parse_csv(std::string_view(out).substr(3));
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i] == '\r') {
      EXPECT_EQ(out[i + 1], '\n');
    }
  // Header + one row per assessed control, then an empty record and the meta rows.
  std::size_t n = fx->a.controls.size();
  ASSERT_GT(rows.size(), n + 2);
  for (std::size_t i = 0; i <= n; ++i) EXPECT_EQ(rows[i].size(), 8u) << i;
  EXPECT_EQ(rows[n + 1], std::vector<std::string>{""});
  EXPECT_EQ(rows[n + 2][0], "# 인증 기준");
  EXPECT_EQ(rows[n + 2][1], "testcat 2024-01 (구조 목록) — 시험용 인증 기준");
  std::string meta;
  for (std::size_t i = n + 2; i < rows.size(); ++i) meta += rows[i][0] + "=" + rows[i][1] + "\n";
  EXPECT_NE(meta.find("plan.json [terraform-plan, Terraform 1.9.5] sha256:" + std::string(64, 'a')),
            std::string::npos)
      << meta;
  EXPECT_NE(meta.find("# 도구=csapcheck 9.9.9"), std::string::npos) << meta;
  EXPECT_NE(meta.find("# 생성 시각=2026-03-02T09:15:00Z"), std::string::npos) << meta;
  EXPECT_NE(meta.find("# 알림=이 목록은 구조만 담고 있습니다"), std::string::npos) << meta;
  EXPECT_NE(meta.find("saas-moderate"), std::string::npos) << meta;
}

TEST(ReportCsv, RowsCarryVerdictEvidenceOwnerAndRemarks) {
  auto fx = make_fixture();
  auto rows = parse_csv(std::string_view(render_csv(fx->a, Lang::kKo)).substr(3));

  const auto* r11 = row_for(rows, "1.1");
  ASSERT_TRUE(r11);
  EXPECT_EQ((*r11)[0], "1 암호화");
  EXPECT_EQ((*r11)[1], "1.1 저장 데이터 암호화");
  EXPECT_EQ((*r11)[3], "저장 데이터 암호화");
  EXPECT_EQ((*r11)[4], "부적합");
  EXPECT_NE((*r11)[5].find("[T-ENC-001] 버킷 저장 데이터 암호화 (높음)"), std::string::npos)
      << (*r11)[5];
  EXPECT_NE((*r11)[5].find("aws_s3_bucket.logs — 속성 encrypted, 기대값"), std::string::npos)
      << (*r11)[5];
  EXPECT_NE((*r11)[5].find("aws_s3_bucket.tmp — 속성 encrypted: 적용(apply) 후 결정됨"),
            std::string::npos)
      << (*r11)[5];
  EXPECT_NE((*r11)[5].find(kMarkupValue), std::string::npos)
      << "values are data in CSV, kept as they are";

  const auto* r13 = row_for(rows, "1.3");
  ASSERT_TRUE(r13);
  EXPECT_EQ((*r13)[4], "적합");
  EXPECT_NE((*r13)[5].find("증적 확인 (이행): 키 관리 절차서를 매년 검토합니다"), std::string::npos)
      << (*r13)[5];
  EXPECT_NE((*r13)[5].find("evidence/key-procedure.pdf (sha256 bbbbbbbbbbbb)"), std::string::npos)
      << (*r13)[5];
  EXPECT_EQ((*r13)[6], "보안팀");
  EXPECT_NE((*r13)[7].find("증적 만료 2026-03-19 · 만료 임박(30일 이내)"), std::string::npos)
      << (*r13)[7];

  const auto* r21 = row_for(rows, "2.1");
  ASSERT_TRUE(r21);
  EXPECT_EQ((*r21)[4], "예외 승인");
  EXPECT_NE((*r21)[5].find("aws_instance.web — 예외 승인 (레거시 서버, 3분기 폐기 예정)"),
            std::string::npos)
      << (*r21)[5];
  EXPECT_EQ((*r21)[6], "정보보호최고책임자 (예외 승인)");
  EXPECT_NE((*r21)[7].find("예외 만료 2026-03-20 (승인 정보보호최고책임자) · 만료 임박"),
            std::string::npos)
      << (*r21)[7];

  const auto* r221 = row_for(rows, "2.2.1");
  ASSERT_TRUE(r221);
  EXPECT_EQ((*r221)[1], "2.2 접근 권한 관리") << "the sub-area holding a third-level control";
  EXPECT_EQ((*r221)[4], "수동 확인 필요");
  EXPECT_NE((*r221)[5].find("[해시 변경]"), std::string::npos) << (*r221)[5];
  EXPECT_NE((*r221)[7].find("증적 파일의 해시가 잠금 이후 바뀜"), std::string::npos) << (*r221)[7];

  const auto* r14 = row_for(rows, "1.4");
  ASSERT_TRUE(r14);
  EXPECT_EQ((*r14)[4], "확인 불가");
  const auto* r23 = row_for(rows, "2.3");
  ASSERT_TRUE(r23);
  EXPECT_EQ((*r23)[4], "해당 없음");
  const auto* r12 = row_for(rows, "1.2");
  ASSERT_TRUE(r12);
  EXPECT_NE((*r12)[5].find("필요 증적: 암호 정책 문서"), std::string::npos) << (*r12)[5];
}

TEST(ReportCsv, EnglishWithLangEn) {
  auto fx = make_fixture();
  std::string out = render_csv(fx->a, Lang::kEn);
  EXPECT_EQ(out.substr(3, out.find("\r\n") - 3),
            "Area,Item,Control ID,Control,Result,Basis and evidence,Owner,Remarks");
  auto rows = parse_csv(std::string_view(out).substr(3));
  EXPECT_EQ((*row_for(rows, "1.1"))[4], "Fail");
  EXPECT_EQ((*row_for(rows, "2.2.1"))[4], "Manual check required");
  EXPECT_EQ((*row_for(rows, "2.1"))[4], "Waived");
  EXPECT_EQ((*row_for(rows, "2.3"))[4], "Not applicable");
  EXPECT_EQ((*row_for(rows, "1.4"))[4], "Unknown");
  EXPECT_EQ((*row_for(rows, "1.3"))[4], "Pass");
}

TEST(ReportCsv, Rfc4180Quoting) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("한글"), "한글");
  // What a spreadsheet would run as a formula is not a formula here.
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("-1"), "-1");
  EXPECT_EQ(csv_field("+3.5"), "+3.5");
  EXPECT_EQ(csv_field("-cmd"), "'-cmd");
  // Control characters and invalid UTF-8 never reach the file.
  EXPECT_EQ(csv_field("a\tb\x01"), "a b ");
  EXPECT_EQ(csv_field("bad\xff"), "bad\xEF\xBF\xBD");
}

TEST(ReportCsv, FindingsList) {
  auto fx = make_fixture();
  auto rows = parse_csv(std::string_view(render_csv(fx->a, Lang::kKo, true)).substr(3));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], finding_headers(Lang::kKo));
  // Every non-passing finding once; failures first, most severe first.
  std::size_t non_pass = 0;
  for (const auto& f : fx->a.findings) non_pass += f.status != engine::Status::kPass;
  std::size_t n = 0;
  while (n + 1 < rows.size() && rows[n + 1].size() == 11) ++n;
  EXPECT_EQ(n, non_pass);
  EXPECT_EQ(rows[1][0], "T-DB-001");
  EXPECT_EQ(rows[1][2], "긴급");
  EXPECT_EQ(rows[1][8], "부적합");
  bool script = false, waived = false;
  for (std::size_t i = 1; i <= n; ++i) {
    script = script || rows[i][3] == kScriptAddress;
    waived = waived || (rows[i][0] == "T-DESC-001" && rows[i][8] == "예외 승인");
  }
  EXPECT_TRUE(script);
  EXPECT_TRUE(waived);
}

TEST(ReportCsv, NoSensitiveValues) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kKo, Lang::kEn}) {
    expect_no_secrets(render_csv(fx->a, lang));
    expect_no_secrets(render_csv(fx->a, lang, true));
  }
}

TEST(ReportCsv, EveryWordInBothLanguages) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(CL::kCount); ++i) {
    const Text& t = cl_text(static_cast<CL>(i));
    EXPECT_FALSE(t.ko.empty()) << i;
    EXPECT_FALSE(t.en.empty()) << i;
  }
  for (std::size_t i = 0; i < assess::kVerdicts; ++i)
    EXPECT_NE(checklist_verdict(static_cast<assess::Verdict>(i), Lang::kKo),
              checklist_verdict(static_cast<assess::Verdict>(i), Lang::kEn));
}

TEST(ReportCsv, CellTextKeepsCharactersWhole) {
  std::string s;
  for (int i = 0; i < 100; ++i) s += "가";
  std::string cut = cell_text(s, 50);
  EXPECT_LE(cut.size(), 50u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
  EXPECT_EQ((cut.size() - 3) % 3, 0u) << "never half a Hangul syllable";
}

}  // namespace
}  // namespace csap::report
