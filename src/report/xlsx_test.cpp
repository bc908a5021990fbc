// The XLSX checklist, read back with another implementation (python3-openpyxl): sheet names, the
// header block, the table's header row, cells, the frozen pane, the filter range, verdict colours.
#include "report/xlsx.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/csv.h"
#include "report_fixture.h"

namespace csap::report {
namespace {

using namespace fixture;
using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kReader = R"PY(
import json, sys
try:
    import openpyxl
except ImportError:
    print("python3-openpyxl is not installed"); sys.exit(77)
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "active": wb.active.title, "props": {"title": wb.properties.title,
       "keywords": wb.properties.keywords, "creator": wb.properties.creator}}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([c.value for c in row])
    fills = {}
    for row in ws.iter_rows():
        for c in row:
            if c.fill is not None and c.fill.fill_type == "solid":
                fills[c.coordinate] = str(c.fill.fgColor.rgb)
    fonts = sorted({c.font.name for row in ws.iter_rows() for c in row if c.value is not None})
    out[ws.title] = {"rows": rows, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                     "widths": {k: v.width for k, v in ws.column_dimensions.items()},
                     "fills": fills, "fonts": fonts,
                     "wrap": bool(ws.cell(row=ws.max_row, column=1).alignment.wrap_text)}
print(json.dumps(out, ensure_ascii=False))
)PY";

// A Python that has openpyxl: the first python3 on PATH may be another installation than Debian's.
std::string python_with_openpyxl() {
  for (std::string py : {"python3", "/usr/bin/python3"})
    if (testing::run(py + " -c 'import openpyxl' 2>/dev/null") == 0) return py;
  return "python3";
}

// Writes the workbook and reads it back; skips when python3-openpyxl is missing.
json read_back(const assess::Assessment& a, Lang lang, std::string* raw = nullptr) {
  testing::TempDir tmp;
  fs::path file = tmp.path() / "r.xlsx";
  std::string err = write_xlsx_file(file.string(), a, info(lang));
  EXPECT_EQ(err, "");
  if (raw) *raw = read_file(file);
  auto script = tmp.write("read.py", kReader);
  std::string out;
  static const std::string py = python_with_openpyxl();
  int rc = testing::run(py + " '" + script.string() + "' '" + file.string() + "'", &out, true);
  if (rc == 77) return json{{"skip", out}};
  EXPECT_EQ(rc, 0) << out;
  return json::parse(out, nullptr, false);
}

// The value right of the cell holding `label` in the header block ("" when there is none).
std::string meta_value(const json& rows, const std::string& label) {
  for (const auto& row : rows)
    for (std::size_t c = 0; c + 1 < row.size(); ++c)
      if (row[c].is_string() && row[c] == label && row[c + 1].is_string()) return row[c + 1];
  return "";
}

#define READ_BACK(var, a, lang)                                             \
  json var = read_back(a, lang);                                            \
  if (var.contains("skip")) GTEST_SKIP() << var["skip"].get<std::string>(); \
  ASSERT_FALSE(var.is_discarded())

// The row (0-based) whose first cell is `first`.
int find_row(const json& rows, const std::string& first) {
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].size() > 0 && rows[i][0].is_string() && rows[i][0] == first)
      return static_cast<int>(i);
  return -1;
}

TEST(ReportXlsx, SheetsHeaderBlockAndChecklist) {
  auto fx = make_fixture();
  READ_BACK(book, fx->a, Lang::kKo);
  EXPECT_EQ(book["sheets"], json::array({"점검표", "발견사항", "예외·증적", "분야별 현황"}));
  EXPECT_EQ(book["active"], "점검표");
  EXPECT_EQ(book["props"]["creator"], "csapcheck");
  EXPECT_EQ(book["props"]["keywords"], "testcat 2024-01 structure");

  const json& s = book["점검표"];
  const json& rows = s["rows"];
  EXPECT_EQ(rows[0][0], "시험용 인증 기준 — 점검표");
  EXPECT_EQ(meta_value(rows, "인증 기준"), "testcat 2024-01 (구조 목록) — 시험용 인증 기준");
  EXPECT_EQ(meta_value(rows, "프로파일"), "saas-moderate — SaaS · 중(moderate)");
  int notice = find_row(rows, "알림");
  ASSERT_GE(notice, 0) << "the structural notice is in the header block";
  EXPECT_EQ(rows[notice][1], "이 목록은 구조만 담고 있습니다");
  EXPECT_NE(meta_value(rows, "입력")
                .find("plan.json [terraform-plan, Terraform 1.9.5] sha256:" + std::string(64, 'a')),
            std::string::npos);
  EXPECT_EQ(meta_value(rows, "자원"), "8");
  EXPECT_EQ(meta_value(rows, "도구"), "csapcheck 9.9.9");
  EXPECT_EQ(meta_value(rows, "생성 시각"), "2026-03-02T09:15:00Z");
  EXPECT_EQ(meta_value(rows, "준비도"), "16% (해당 6개 중 적합 1개)");

  // A clean header row right under the block, frozen, with the filter over the whole table.
  int head = find_row(rows, "분야");
  ASSERT_GT(head, notice);
  EXPECT_EQ(rows[head], json::array({"분야", "항목", "통제번호", "통제항목", "점검결과",
                                     "근거·증적", "담당", "비고"}));
  EXPECT_EQ(s["freeze"], "A" + std::to_string(head + 2));
  std::size_t n = fx->a.controls.size();
  EXPECT_EQ(s["filter"],
            "A" + std::to_string(head + 1) + ":H" + std::to_string(head + 1 + static_cast<int>(n)));
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(head) + 1 + n);

  std::map<std::string, json> by_id;
  for (std::size_t i = static_cast<std::size_t>(head) + 1; i < rows.size(); ++i)
    by_id[rows[i][2]] = rows[i];
  EXPECT_EQ(by_id["1.1"][0], "1 암호화");
  EXPECT_EQ(by_id["1.1"][4], "부적합");
  EXPECT_NE(by_id["1.1"][5].get<std::string>().find("aws_s3_bucket.logs — 속성 encrypted"),
            std::string::npos);
  EXPECT_EQ(by_id["1.3"][4], "적합");
  EXPECT_EQ(by_id["1.3"][6], "보안팀");
  EXPECT_EQ(by_id["2.1"][4], "예외 승인");
  EXPECT_EQ(by_id["2.2.1"][1], "2.2 접근 권한 관리");
  EXPECT_EQ(by_id["2.2.1"][4], "수동 확인 필요");
  EXPECT_EQ(by_id["2.3"][4], "해당 없음");
  EXPECT_EQ(by_id["1.4"][4], "확인 불가");

  // Verdict cells are coloured; the font is Korean-friendly; wide evidence column; wrapped text.
  std::string fail_cell;
  for (std::size_t i = static_cast<std::size_t>(head) + 1; i < rows.size(); ++i)
    if (rows[i][2] == "1.1") fail_cell = "E" + std::to_string(i + 1);
  EXPECT_EQ(s["fills"][fail_cell], "FFFFC7CE") << s["fills"].dump();
  EXPECT_EQ(s["fills"]["A" + std::to_string(head + 1)], "FF1F4E79") << "header row filled";
  EXPECT_EQ(s["fonts"], json::array({"맑은 고딕"}));
  EXPECT_GE(s["widths"]["F"].get<double>(), 60);
  EXPECT_TRUE(s["wrap"]);
}

TEST(ReportXlsx, FindingsAndExceptionsSheets) {
  auto fx = make_fixture();
  READ_BACK(book, fx->a, Lang::kKo);
  const json& f = book["발견사항"];
  EXPECT_EQ(f["rows"][0], json::array({"규칙", "규칙명", "위험도", "자원", "위치", "속성", "기대값",
                                       "실제값", "상태", "관련 통제", "조치 방법"}));
  EXPECT_EQ(f["freeze"], "A2");
  std::size_t non_pass = 0;
  for (const auto& x : fx->a.findings) non_pass += x.status != engine::Status::kPass;
  EXPECT_EQ(f["filter"], "A1:K" + std::to_string(non_pass + 1));
  EXPECT_EQ(f["rows"].size(), non_pass + 1);
  EXPECT_EQ(f["rows"][1][0], "T-DB-001");
  EXPECT_EQ(f["rows"][1][2], "긴급");
  bool script = false, located = false;
  for (const auto& r : f["rows"]) {
    script = script || r[3] == kScriptAddress;
    located = located || r[4] == "plan.json:12";
  }
  EXPECT_TRUE(script);
  EXPECT_TRUE(located);

  const json& e = book["예외·증적"];
  EXPECT_EQ(e["rows"][0], json::array({"구분", "대상", "적용 범위", "내용", "승인자·담당", "만료일",
                                       "증적 파일(sha256)", "상태", "출처"}));
  EXPECT_EQ(e["freeze"], "A2");
  EXPECT_EQ(e["filter"], "A1:I5");
  ASSERT_EQ(e["rows"].size(), 5u);
  EXPECT_EQ(e["rows"][1][0], "예외 승인");
  EXPECT_EQ(e["rows"][1][1], "T-DESC-001");
  EXPECT_EQ(e["rows"][1][4], "정보보호최고책임자");
  EXPECT_EQ(e["rows"][1][5], "2026-03-20");
  EXPECT_EQ(e["rows"][1][7], "유효 · 자원 1건 · 만료 임박(30일 이내)");
  EXPECT_EQ(e["fills"]["F2"], "FFFFEB9C") << "expiring soon is highlighted";
  EXPECT_EQ(e["rows"][2][7], "미사용(해당 부적합 없음)");
  EXPECT_EQ(e["fills"]["H3"], "FFFFC7CE") << "a stale waiver is flagged";
  EXPECT_EQ(e["rows"][3][0], "증적 확인");
  EXPECT_EQ(e["rows"][3][1], "1.3");
  EXPECT_EQ(e["rows"][3][6], "evidence/key-procedure.pdf sha256:" + std::string(64, 'b'));
  EXPECT_EQ(e["rows"][4][7], "증적 파일의 해시가 잠금 이후 바뀜");

  const json& ar = book["분야별 현황"];
  EXPECT_EQ(ar["rows"][1][0], "1 암호화");
  EXPECT_EQ(ar["rows"][1][1], 4);
  EXPECT_EQ(ar["rows"].back()[0], "요약");
}

TEST(ReportXlsx, EnglishWithLangEn) {
  auto fx = make_fixture();
  READ_BACK(book, fx->a, Lang::kEn);
  EXPECT_EQ(book["sheets"],
            json::array({"Checklist", "Findings", "Waivers and evidence", "Areas"}));
  const json& rows = book["Checklist"]["rows"];
  int head = find_row(rows, "Area");
  ASSERT_GE(head, 0);
  EXPECT_EQ(rows[head][5], "Basis and evidence");
  EXPECT_GE(find_row(rows, "Notice"), 0);
}

TEST(ReportXlsx, NoSensitiveValuesAndNoScriptsRun) {
  auto fx = make_fixture();
  std::string raw;
  json book = read_back(fx->a, Lang::kKo, &raw);
  if (book.contains("skip")) GTEST_SKIP() << book["skip"].get<std::string>();
  std::string all = book.dump();
  EXPECT_EQ(all.find(kSecretKey), std::string::npos);
  EXPECT_EQ(all.find(kSensitivePw), std::string::npos);
  EXPECT_EQ(all.find("AKIA"), std::string::npos);
  // Markup is just text in a cell.
  EXPECT_NE(all.find("onerror=alert(2)"), std::string::npos);
}

TEST(ReportXlsx, LongCellsAreCut) {
  auto fx = make_fixture();
  std::string long_reason(40000, 'x');
  fx->a.waivers[0].reason = long_reason;
  READ_BACK(book, fx->a, Lang::kKo);
  std::string reason = book["예외·증적"]["rows"][1][3];
  EXPECT_LE(reason.size(), 32767u);
  EXPECT_EQ(reason.substr(reason.size() - 3), "…");
}

TEST(ReportXlsx, UnwritablePathIsAnError) {
  auto fx = make_fixture();
  std::string err = write_xlsx_file("/nonexistent-dir/x/r.xlsx", fx->a, info(Lang::kKo));
  EXPECT_NE(err, "");
  auto r = write_xlsx(Sink("/nonexistent-dir/x/r.xlsx"), fx->a, info(Lang::kKo));
  EXPECT_FALSE(r);
}

}  // namespace
}  // namespace csap::report
