#include "catalog/import.h"

#include <gtest/gtest.h>
#include <minizip/zip.h>

#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "core/workcount.h"
#include "test_support.h"

namespace csap::catalog {
namespace {

std::set<std::string> tiers_of(const Catalog& cat, std::string_view id, std::string_view svc) {
  const Control* c = cat.find(id);
  if (!c || !c->applies) return {};
  auto it = c->applies->find(std::string(svc));
  return it == c->applies->end() ? std::set<std::string>{} : it->second;
}

TEST(CatalogImport, CsvRoundTrip) {
  // A BOM, CRLF line ends, a quoted title with a comma and a quote, a multi-line quoted field,
  // Korean and English tier words with different separators, and an empty service cell.
  std::string csv =
      "\xEF\xBB\xBFid,title_ko,title_en,kind,iaas,saas,daas\r\n"
      "1,정보보호 정책 및 조직,\"Policy, and "
      "\"\"organization\"\"\",관리적,\"상,중,하\",상;중;하,high/moderate/low\r\n"
      "1.1,정보보호 정책,\"Security\npolicy\",procedural,상 중,,all\r\n"
      "1.1.1,정책의 수립,,procedural,high,moderate,\r\n"
      "R4,외부 네트워크 차단,External network blocked,technical,상,상,상\r\n";
  ImportOptions opts;
  opts.catalog_id = "csap-official";
  opts.version = "2024-01";
  auto rep = import_csv_text(csv, "list.csv", opts);
  ASSERT_TRUE(rep.ok()) << rep.error().str();
  EXPECT_EQ(rep.ids, (std::vector<std::string>{"1", "1.1", "1.1.1", "R4"}));
  auto cat = load_catalog_text(rep.yaml, "imported.yaml");
  ASSERT_TRUE(cat) << cat.error().str() << "\n" << rep.yaml;
  EXPECT_EQ(cat->id, "csap-official");
  EXPECT_EQ(cat->status, "official");
  EXPECT_EQ(cat->version, "2024-01");
  EXPECT_EQ(cat->profiles.size(), 9u);
  ASSERT_EQ(cat->controls.size(), 4u);
  EXPECT_EQ(cat->find("1")->title.en, "Policy, and \"organization\"");
  EXPECT_EQ(cat->find("1")->kind, "procedural");
  EXPECT_EQ(cat->find("1.1")->title.en, "Security\npolicy");
  EXPECT_EQ(cat->find("1.1")->parent, "1");
  EXPECT_EQ(cat->find("1.1.1")->parent, "1.1");
  EXPECT_TRUE(cat->find("R4")->parent.empty());
  std::set<std::string> all{"high", "moderate", "low"};
  EXPECT_EQ(tiers_of(*cat, "1", "iaas"), all);
  EXPECT_EQ(tiers_of(*cat, "1", "saas"), all);
  EXPECT_EQ(tiers_of(*cat, "1", "daas"), all);
  EXPECT_EQ(tiers_of(*cat, "1.1", "iaas"), (std::set<std::string>{"high", "moderate"}));
  EXPECT_TRUE(tiers_of(*cat, "1.1", "saas").empty());
  EXPECT_EQ(tiers_of(*cat, "1.1", "daas"), all);
  EXPECT_EQ(tiers_of(*cat, "1.1.1", "saas"), (std::set<std::string>{"moderate"}));
  EXPECT_TRUE(cat->in_scope(*cat->find("R4"), "saas", "high"));
  EXPECT_FALSE(cat->in_scope(*cat->find("R4"), "saas", "low"));
  EXPECT_FALSE(cat->in_scope(*cat->find("1.1"), "saas", "high"));
  // 1.1 spans lines 3-4, so 1.1.1 is on line 5.
  EXPECT_NE(cat->find("1.1.1")->basis.find("list.csv:5"), std::string::npos);
}

TEST(CatalogImport, CsvReportsEveryBadRowWithItsLine) {
  std::string csv =
      "id,title_ko,title_en,kind,iaas,saas,daas\n"
      "1,하나,one,procedural,상,상,상\n"
      ",제목만,title only,procedural,상,,\n"  // line 3: no id
      "2,둘,two,technical,상,중,하\n"
      "3,셋,three,technical,최상,,\n"  // line 5: unknown tier
      "2,중복,dup,technical,,,\n"      // line 6: duplicate id
      "4,넷,four,magical,,,\n";        // line 7: unknown kind
  auto rep = import_csv_text(csv, "bad.csv");
  ASSERT_FALSE(rep.ok());
  EXPECT_TRUE(rep.yaml.empty());
  ASSERT_EQ(rep.errors.size(), 4u);
  EXPECT_EQ(rep.errors[0].where.line, 3);
  EXPECT_NE(rep.errors[0].message.find("no id"), std::string::npos);
  EXPECT_EQ(rep.errors[1].where.line, 5);
  EXPECT_NE(rep.errors[1].message.find("unknown tier '최상'"), std::string::npos);
  EXPECT_EQ(rep.errors[2].where.line, 6);
  EXPECT_NE(rep.errors[2].message.find("duplicate id '2' (first at line 4)"), std::string::npos);
  EXPECT_EQ(rep.errors[3].where.line, 7);
  EXPECT_NE(rep.errors[3].message.find("unknown kind"), std::string::npos);
  for (const auto& e : rep.errors) EXPECT_EQ(e.where.file, "bad.csv");
  Error all = rep.error();
  EXPECT_EQ(all.code, Exit::kBadInput);
  EXPECT_NE(all.str().find("bad.csv:3: row has no id"), std::string::npos);
  EXPECT_NE(all.str().find("bad.csv:5: "), std::string::npos);
}

TEST(CatalogImport, CsvTwoBadRows) {
  auto rep = import_csv_text("id,iaas\n1,상\n,하\n2,상\n3,높음\n", "two.csv");
  ASSERT_EQ(rep.errors.size(), 2u);
  EXPECT_EQ(rep.errors[0].str(), "two.csv:3: row has no id");
  EXPECT_EQ(rep.errors[1].where.line, 5);
}

TEST(CatalogImport, CsvStructuralErrors) {
  auto r1 = import_csv_text("title_ko,iaas\n하나,상\n", "h.csv");
  ASSERT_EQ(r1.errors.size(), 1u);
  EXPECT_NE(r1.errors[0].message.find("no 'id' column"), std::string::npos);
  auto r2 = import_csv_text("id,title_en\n1,\"open\n", "q.csv");
  ASSERT_EQ(r2.errors.size(), 1u);
  EXPECT_NE(r2.errors[0].message.find("unterminated"), std::string::npos);
  EXPECT_EQ(r2.errors[0].where.line, 2);
  auto r3 = import_csv_text("id,notes,iaas\n1,x,상\n", "w.csv");
  ASSERT_TRUE(r3.ok()) << r3.error().str();
  ASSERT_EQ(r3.warnings.size(), 1u);
  EXPECT_NE(r3.warnings[0].find("unknown column 'notes'"), std::string::npos);
}

TEST(CatalogImport, YamlQuoting) {
  EXPECT_EQ(yaml_quote("1.1"), "\"1.1\"");
  EXPECT_EQ(yaml_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(yaml_quote("줄\n바꿈"), "\"줄\\n바꿈\"");
  EXPECT_EQ(yaml_quote(std::string("\x01", 1)), "\"\\x01\"");
}

// ---- XLSX --------------------------------------------------------------------------------------

// Writes a minimal but real .xlsx (Office Open XML zip) with minizip.
void write_zip(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& parts) {
  zipFile zf = zipOpen64(path.string().c_str(), APPEND_STATUS_CREATE);
  ASSERT_NE(zf, nullptr);
  for (const auto& [name, body] : parts) {
    zip_fileinfo zi{};
    ASSERT_EQ(zipOpenNewFileInZip64(zf, name.c_str(), &zi, nullptr, 0, nullptr, 0, nullptr,
                                    Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0),
              ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(zf, body.data(), static_cast<unsigned>(body.size())), ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zf), ZIP_OK);
  }
  ASSERT_EQ(zipClose(zf, nullptr), ZIP_OK);
}

std::vector<std::pair<std::string, std::string>> workbook(const std::string& sheet_xml) {
  return {
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/controls.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)"},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="통제목록" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets>
</workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/other.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/controls.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>)"},
      {"xl/sharedStrings.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">
<si><t>id</t></si><si><t>title_ko</t></si><si><t>title_en</t></si><si><t>kind</t></si>
<si><t>iaas</t></si><si><t>saas</t></si><si><t>daas</t></si>
<si><r><rPr><b/></rPr><t>접근</t></r><r><t xml:space="preserve">통제</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>
<si><t>상, 중, 하</t></si>
</sst>)"},
      {"xl/worksheets/controls.xml", sheet_xml},
      {"xl/worksheets/other.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>)"},
  };
}

constexpr const char* kGoodSheet = R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>
<row r="2"><c r="A2"><v>10</v></c><c r="B2" t="s"><v>7</v></c><c r="D2" t="inlineStr"><is><t>technical</t></is></c><c r="E2" t="s"><v>8</v></c><c r="F2" t="s"><v>8</v></c><c r="G2" t="s"><v>8</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>10.1</t></is></c><c r="B4" t="inlineStr"><is><t>접근통제 정책</t></is></c><c r="C4" t="str"><v>Access control policy</v></c><c r="E4" t="inlineStr"><is><t>high</t></is></c><c r="G4" t="inlineStr"><is><t>중</t></is></c></row>
<row r="5"><c r="A5"><v>2.2999999999999998</v></c><c r="B5" t="inlineStr"><is><t>외부인력 보안</t></is></c></row>
</sheetData></worksheet>)";

TEST(CatalogImport, XlsxReadsCellsSharedStringsAndEmptyCells) {
  testing::TempDir dir;
  auto path = dir.path() / "list.xlsx";
  write_zip(path, workbook(kGoodSheet));
  auto sheet = read_xlsx_first_sheet(path);
  ASSERT_TRUE(sheet) << sheet.error().str();
  EXPECT_EQ(sheet->name, "통제목록");
  ASSERT_EQ(sheet->rows.size(), 4u);
  EXPECT_EQ(sheet->rows[0].cells[4], "iaas");      // shared string
  EXPECT_EQ(sheet->rows[1].cells[0], "10");        // number
  EXPECT_EQ(sheet->rows[1].cells[1], "접근통제");  // rich-text shared string, no phonetic
  EXPECT_EQ(sheet->rows[1].cells[2], "");          // C2 absent: empty cell
  EXPECT_EQ(sheet->rows[2].number, 4);             // row 3 skipped in the file
  EXPECT_EQ(sheet->rows[2].cells[5], "");          // F4 absent
  EXPECT_EQ(sheet->rows[2].cells[6], "중");        // G4 after a gap
  EXPECT_EQ(sheet->rows[3].cells[0], "2.3");       // binary double read back as typed

  auto rep = import_table(path);
  ASSERT_TRUE(rep.ok()) << rep.error().str();
  auto cat = load_catalog_text(rep.yaml, "x.yaml");
  ASSERT_TRUE(cat) << cat.error().str() << rep.yaml;
  EXPECT_EQ(cat->find("10")->title.ko, "접근통제");
  EXPECT_EQ(cat->find("10.1")->parent, "10");
  EXPECT_EQ(cat->find("10.1")->title.en, "Access control policy");
  EXPECT_EQ(tiers_of(*cat, "10.1", "iaas"), (std::set<std::string>{"high"}));
  EXPECT_TRUE(tiers_of(*cat, "10.1", "saas").empty());
  EXPECT_EQ(tiers_of(*cat, "10.1", "daas"), (std::set<std::string>{"moderate"}));
  EXPECT_EQ(tiers_of(*cat, "10", "saas"), (std::set<std::string>{"high", "moderate", "low"}));
  EXPECT_NE(cat->find("2.3"), nullptr);
  EXPECT_NE(cat->find("10.1")->basis.find("sheet '통제목록' row 4"), std::string::npos);
}

TEST(CatalogImport, XlsxReportsBadRowsWithSheetAndRow) {
  testing::TempDir dir;
  auto path = dir.path() / "bad.xlsx";
  write_zip(path, workbook(R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>4</v></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>상</t></is></c></row>
<row r="3"><c r="B3" t="inlineStr"><is><t>중</t></is></c></row>
<row r="7"><c r="A7"><v>2</v></c><c r="B7" t="inlineStr"><is><t>최고</t></is></c></row>
</sheetData></worksheet>)"));
  auto rep = import_table(path);
  ASSERT_EQ(rep.errors.size(), 2u);
  EXPECT_EQ(rep.errors[0].str(), path.string() + ": sheet '통제목록' row 3: row has no id");
  EXPECT_NE(rep.errors[1].str().find(": sheet '통제목록' row 7: unknown tier '최고'"),
            std::string::npos);
}

TEST(CatalogImport, XlsxThatIsNotAWorkbook) {
  testing::TempDir dir;
  auto path = dir.write("fake.xlsx", "id,iaas\n1,상\n");
  auto rep = import_table(path);
  ASSERT_EQ(rep.errors.size(), 1u);
  EXPECT_NE(rep.errors[0].message.find("not an .xlsx workbook"), std::string::npos);
  auto zipped = dir.path() / "nowb.xlsx";
  write_zip(zipped, {{"hello.txt", "hi"}});
  auto rep2 = import_table(zipped);
  ASSERT_EQ(rep2.errors.size(), 1u);
  EXPECT_NE(rep2.errors[0].message.find("xl/workbook.xml"), std::string::npos);
}

// ---- bounded work and memory ------------------------------------------------------------------

// Imports a chain of n controls (each the parent of the next) and loads what the import wrote,
// as `catalog import` does; returns the steps taken.
std::uint64_t csv_chain_steps(std::size_t n) {
  std::string csv = "id,parent,title_en,saas\n";
  csv.reserve(n * 24);
  for (std::size_t i = 0; i < n; ++i)
    csv += "c" + std::to_string(i) + "," + (i ? "c" + std::to_string(i - 1) : "") + ",t,중\n";
  std::uint64_t before = work::steps;
  auto rep = import_csv_text(csv, "chain.csv");
  EXPECT_TRUE(rep.ok()) << (rep.ok() ? "" : rep.error().str());
  EXPECT_EQ(rep.ids.size(), n);
  auto cat = load_catalog_text(rep.yaml, "chain.yaml");
  EXPECT_TRUE(cat) << (cat ? "" : cat.error().str());
  if (cat) {
    EXPECT_EQ(cat->depth(cat->controls.back()), static_cast<int>(n - 1));
  }
  return work::steps - before;
}

TEST(CatalogImportBounded, CsvParentChainOf100000IsLinear) {
  std::uint64_t half = csv_chain_steps(50'000);
  std::uint64_t full = csv_chain_steps(100'000);
  EXPECT_GE(half, 50'000u);
  EXPECT_LE(full, half * 5 / 2);
}

std::uint64_t csv_quotes_steps(std::size_t quotes) {
  // Quotes inside an unquoted field are kept as they are.
  std::string csv = "id,title_en,saas\nx,a" + std::string(quotes, '"') + ",중\n";
  std::uint64_t before = work::steps;
  auto rep = import_csv_text(csv, "quotes.csv");
  EXPECT_TRUE(rep.ok()) << (rep.ok() ? "" : rep.error().str());
  EXPECT_NE(rep.yaml.find("a\\\"\\\""), std::string::npos);
  return work::steps - before;
}

TEST(CatalogImportBounded, CsvFieldWithTwoMillionQuotesIsLinear) {
  std::uint64_t half = csv_quotes_steps(1'000'000);
  std::uint64_t full = csv_quotes_steps(2'000'000);
  EXPECT_GE(half, 1'000'000u);
  EXPECT_LE(full, half * 5 / 2);
}

std::string sheet(const std::string& rows) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

TEST(CatalogImportBounded, XlsxDeeplyNestedStringIsReadWithoutRecursion) {
  testing::TempDir dir;
  auto path = dir.path() / "deep.xlsx";
  std::string nest;
  const int depth = 200'000;
  for (int i = 0; i < depth; ++i) nest += "<r>";
  nest += "<t>deep</t>";
  for (int i = 0; i < depth; ++i) nest += "</r>";
  write_zip(path, workbook(sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is>)" + nest +
                                 R"(</is></c></row>)")));
  auto s = read_xlsx_first_sheet(path);
  ASSERT_TRUE(s) << s.error().str();
  ASSERT_EQ(s->rows.size(), 1u);
  EXPECT_EQ(s->rows[0].cells.at(0), "deep");
}

TEST(CatalogImportBounded, XlsxRowNumbersOutOfRangeAreInputErrors) {
  testing::TempDir dir;
  for (const char* r : {"2147483647", "2147483648", "0", "-1", "x"}) {
    auto path = dir.path() / "rows.xlsx";
    std::filesystem::remove(path);
    // A row at INT_MAX followed by one without a number would overflow the next number.
    write_zip(path, workbook(sheet(std::string(R"(<row r=")") + r +
                                   R"("><c t="inlineStr"><is><t>a</t></is></c></row>)"
                                   R"(<row><c t="inlineStr"><is><t>b</t></is></c></row>)")));
    auto s = read_xlsx_first_sheet(path);
    ASSERT_FALSE(s) << r;
    EXPECT_EQ(s.error().code, Exit::kBadInput);
    EXPECT_EQ(s.error().where.file, path.string());
    EXPECT_NE(s.error().message.find("row number"), std::string::npos) << s.error().message;
  }
  // The last row Excel has is fine, and a row after it without a number is not.
  auto path = dir.path() / "last.xlsx";
  write_zip(path, workbook(sheet(R"(<row r="1048576"><c t="inlineStr"><is><t>a</t></is></c></row>)"
                                 R"(<row><c t="inlineStr"><is><t>b</t></is></c></row>)")));
  auto s = read_xlsx_first_sheet(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("more than 1048576 rows"), std::string::npos);
}

TEST(CatalogImportBounded, XlsxCellsAtColumnXfdAreBounded) {
  // Every row has one cell at the last column: 16 384 cells a row, most of them empty.
  testing::TempDir dir;
  auto path = dir.path() / "xfd.xlsx";
  std::string rows;
  for (int r = 1; r <= 1000; ++r)
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"XFD" + std::to_string(r) +
            "\"><v>1</v></c></row>";
  write_zip(path, workbook(sheet(rows)));
  EXPECT_LT(std::filesystem::file_size(path), 64u * 1024);
  auto s = read_xlsx_first_sheet(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Exit::kBadInput);
  EXPECT_EQ(s.error().where.file, path.string());
  EXPECT_NE(s.error().message.find("cells"), std::string::npos) << s.error().message;
  auto rep = import_table(path);
  ASSERT_EQ(rep.errors.size(), 1u);
  // A few cells at XFD are fine.
  auto few = dir.path() / "few.xlsx";
  write_zip(few, workbook(sheet(R"(<row r="1"><c r="XFD1"><v>7</v></c></row>)")));
  auto ok = read_xlsx_first_sheet(few);
  ASSERT_TRUE(ok) << ok.error().str();
  EXPECT_EQ(ok->rows[0].cells.size(), 16384u);
  EXPECT_EQ(ok->rows[0].cells.back(), "7");
}

TEST(CatalogImportBounded, XlsxManySharedStringsAreBounded) {
  // Millions of empty shared strings compress to almost nothing.
  testing::TempDir dir;
  auto path = dir.path() / "sst.xlsx";
  auto parts = workbook(sheet(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"));
  std::string sst = R"(<?xml version="1.0" encoding="UTF-8"?><sst>)";
  sst.reserve(3'000'000 * 5 + 100);
  for (int i = 0; i < 3'000'000; ++i) sst += "<si/>";
  sst += "</sst>";
  for (auto& [name, body] : parts)
    if (name == "xl/sharedStrings.xml") body = sst;
  write_zip(path, parts);
  EXPECT_LT(std::filesystem::file_size(path), 512u * 1024);
  auto s = read_xlsx_first_sheet(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().where.file, path.string());
  EXPECT_NE(s.error().message.find("sharedStrings.xml"), std::string::npos) << s.error().message;
}

TEST(CatalogImportBounded, XlsxRepeatedLongSharedStringIsBounded) {
  // One long shared string referenced by many cells: each cell would hold a copy.
  testing::TempDir dir;
  auto path = dir.path() / "long.xlsx";
  std::string rows;
  for (int r = 1; r <= 400; ++r)
    rows += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c></row>";
  auto parts = workbook(sheet(rows));
  for (auto& [name, body] : parts)
    if (name == "xl/sharedStrings.xml")
      body = "<sst><si><t>" + std::string(1 << 20, 'x') + "</t></si></sst>";
  write_zip(path, parts);
  auto s = read_xlsx_first_sheet(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("MiB of cell text"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace csap::catalog
