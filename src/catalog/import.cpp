#include "catalog/import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <minizip/unzip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <unordered_map>

#include "catalog/catalog.h"
#include "core/files.h"
#include "core/workcount.h"

namespace csap::catalog {
namespace {

namespace fs = std::filesystem;

// Bounds on what an .xlsx may make us hold (zip bombs, sparse or repetitive sheets). A control
// list is a few thousand rows; these leave ample room and keep memory under a few hundred MiB.
constexpr std::uint64_t kMaxXlsxPart = 64ULL << 20;  // uncompressed bytes of one part
constexpr std::size_t kMaxXmlTags = 2'000'000;       // '<' in one part: bounds the XML tree
constexpr std::size_t kMaxSheetCells = 4'000'000;    // cells held, empty ones up to the last
constexpr std::size_t kMaxSheetText = 128ULL << 20;  // bytes of cell text, shared ones copied
constexpr int kMaxSheetRow = 1'048'576;              // the last row Excel has

std::string trim(std::string_view s) {
  work::step(s.size() + 1);
  auto ws = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && ws(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // Non-breaking space (U+00A0) at either end, common in spreadsheets.
  while (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
  while (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
  return std::string(s);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One record of the table with where it came from.
struct Record {
  std::string where;  // prefix for messages: "3" (CSV line) or "sheet 'X' row 7"
  int line = 0;       // CSV line (0 for XLSX)
  std::vector<std::string> cells;
};

struct Table {
  std::string file;
  bool xlsx = false;
  std::vector<Record> records;
};

// RFC 4180: fields separated by commas, optionally in double quotes ("" = a quote inside), records
// ended by CRLF or LF; quoted fields may span lines. Reports unterminated quotes.
Result<std::vector<Record>> parse_csv(std::string_view text, const std::string& file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Record> out;
  Record rec;
  std::string field;
  int line = 1;
  rec.line = 1;
  bool quoted = false, was_quoted = false, any = false;
  bool blank = true;  // the field so far is only spaces and tabs (a quote may still open it)
  int quote_line = 0;
  auto end_field = [&] {
    rec.cells.push_back(was_quoted ? field : trim(field));
    field.clear();
    was_quoted = false;
    blank = true;
  };
  auto end_record = [&] {
    end_field();
    rec.where = std::to_string(rec.line);
    out.push_back(std::move(rec));
    rec = Record{};
    any = false;
  };
  work::step(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && blank) {
      field.clear();
      quoted = was_quoted = true;
      quote_line = line;
      any = true;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n' || c == '\r') {
      end_record();
      ++line;
      rec.line = line;
    } else {
      if (was_quoted) {
        if (c == ' ' || c == '\t') continue;
        return fail(fmt::format("text after a closing quote (a quote inside a quoted field is "
                                "written \"\")"),
                    SourceLoc(file, line));
      }
      field += c;
      // Spaces, tabs and no-break spaces (U+00A0) before an opening quote are not content.
      auto u = static_cast<unsigned char>(c);
      if (c != ' ' && c != '\t' && u != 0xC2 && u != 0xA0) blank = false;
      any = true;
    }
  }
  if (quoted) return fail("unterminated quoted field", SourceLoc(file, quote_line));
  if (any || !field.empty()) end_record();
  return out;
}

// ---- XLSX ------------------------------------------------------------------------------------

std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child_local(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c : n.children())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

// Concatenated text of every <t> under `n`, skipping phonetic runs (<rPh>). Iterative: a
// workbook may nest elements as deep as it likes.
void collect_text(pugi::xml_node n, std::string& out) {
  std::vector<pugi::xml_node> stack;
  auto push_children = [&](pugi::xml_node p) {
    std::size_t mark = stack.size();
    for (pugi::xml_node c : p.children())
      if (c.type() == pugi::node_element) stack.push_back(c);
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  };
  push_children(n);
  while (!stack.empty()) {
    pugi::xml_node c = stack.back();
    stack.pop_back();
    std::string_view ln = local_name(c.name());
    if (ln == "rPh") continue;
    if (ln == "t")
      out += c.text().get();
    else
      push_children(c);
  }
}

struct Unzip {
  unzFile zf = nullptr;
  ~Unzip() {
    if (zf) unzClose(zf);
  }
};

// Reads one part of the archive; nullopt when absent.
Result<std::optional<std::string>> read_part(unzFile zf, const std::string& name,
                                             const std::string& file) {
  if (unzLocateFile(zf, name.c_str(), 1) != UNZ_OK) return std::optional<std::string>{};
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zf, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK)
    return fail(fmt::format("cannot read '{}' in the workbook", name), SourceLoc(file));
  if (info.uncompressed_size > kMaxXlsxPart)
    return fail(
        fmt::format("'{}' in the workbook is too large ({} bytes)", name, info.uncompressed_size),
        SourceLoc(file));
  if (unzOpenCurrentFile(zf) != UNZ_OK)
    return fail(fmt::format("cannot open '{}' in the workbook", name), SourceLoc(file));
  std::string out;
  char buf[65536];
  int n;
  while ((n = unzReadCurrentFile(zf, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > kMaxXlsxPart) {
      unzCloseCurrentFile(zf);
      return fail(fmt::format("'{}' in the workbook is too large", name), SourceLoc(file));
    }
  }
  bool crc_ok = unzCloseCurrentFile(zf) == UNZ_OK;
  if (n < 0 || !crc_ok)
    return fail(fmt::format("'{}' in the workbook is corrupt", name), SourceLoc(file));
  return std::optional<std::string>(std::move(out));
}

Result<pugi::xml_document*> parse_xml(pugi::xml_document& doc, const std::string& text,
                                      const std::string& part, const std::string& file) {
  if (std::count(text.begin(), text.end(), '<') > static_cast<std::ptrdiff_t>(kMaxXmlTags))
    return fail(fmt::format("'{}' in the workbook has more than {} XML tags", part, kMaxXmlTags),
                SourceLoc(file));
  pugi::xml_parse_result r =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    return fail(fmt::format("'{}' in the workbook is not valid XML: {} (at byte {})", part,
                            r.description(), r.offset),
                SourceLoc(file));
  return &doc;
}

// "C7" -> column 2; -1 when malformed.
int column_of(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (col > 16384) return -1;
    ++i;
  }
  return i == 0 ? -1 : col - 1;
}

std::string number_text(std::string_view v) {
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d)) return std::string(v);
  // Excel writes binary doubles ("2.2999999999999998"); 15 significant digits give back "2.3".
  return fmt::format("{:.15g}", d);
}

// ---- building the catalog ---------------------------------------------------------------------

struct Columns {
  int id = -1, title_ko = -1, title_en = -1, kind = -1, parent = -1;
  std::vector<std::pair<std::string, int>> services;  // service id -> column
};

const std::map<std::string, std::string>& kind_words() {
  static const std::map<std::string, std::string> m = {
      {"technical", "technical"},      {"procedural", "procedural"}, {"physical", "physical"},
      {"기술적", "technical"},         {"관리적", "procedural"},     {"물리적", "physical"},
      {"administrative", "procedural"}};
  return m;
}

std::vector<std::string> split_tiers(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = trim(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ',' || c == ';' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else if (s.substr(i).starts_with("\xEF\xBC\x8C") || s.substr(i).starts_with("\xE3\x80\x81") ||
               s.substr(i).starts_with("\xC2\xB7")) {  // fullwidth comma, ideographic comma, ·
      flush();
      i += s.substr(i).starts_with("\xC2\xB7") ? 1 : 2;
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

std::string where_of(const Table& t, const Record& r) {
  return t.xlsx ? fmt::format("{}: {}", t.file, r.where) : fmt::format("{}:{}", t.file, r.line);
}

Error row_error(const Table& t, const Record& r, std::string msg) {
  if (t.xlsx) return Error{Exit::kBadInput, fmt::format("{}: {}", r.where, msg), SourceLoc(t.file)};
  return Error{Exit::kBadInput, std::move(msg), SourceLoc(t.file, r.line)};
}

ImportReport build(const Table& t, const ImportOptions& opts) {
  ImportReport rep;
  auto base = load_bundled(opts.base);
  if (!base) {
    rep.errors.push_back(base.error());
    return rep;
  }
  // Header: the first record with any non-empty cell.
  std::size_t h = 0;
  while (h < t.records.size() && std::all_of(t.records[h].cells.begin(), t.records[h].cells.end(),
                                             [](const std::string& c) { return trim(c).empty(); }))
    ++h;
  if (h == t.records.size()) {
    rep.errors.push_back(
        Error{Exit::kBadInput, "the table is empty (no header row)", SourceLoc(t.file)});
    return rep;
  }
  const Record& header = t.records[h];
  Columns cols;
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    std::string name = lower(trim(header.cells[i]));
    int col = static_cast<int>(i);
    if (name.empty()) continue;
    if (name == "id")
      cols.id = col;
    else if (name == "title_ko")
      cols.title_ko = col;
    else if (name == "title_en")
      cols.title_en = col;
    else if (name == "kind")
      cols.kind = col;
    else if (name == "parent")
      cols.parent = col;
    else if (base->find_service(name))
      cols.services.emplace_back(name, col);
    else
      rep.warnings.push_back(
          fmt::format("{}: unknown column '{}' ignored", where_of(t, header), header.cells[i]));
  }
  if (cols.id < 0) {
    rep.errors.push_back(row_error(t, header,
                                   "the header has no 'id' column (expected "
                                   "id,title_ko,title_en,kind,iaas,saas,daas)"));
    return rep;
  }
  // Tier words: ids and names of the base catalog's tiers.
  std::unordered_map<std::string, std::string> tier_word;
  for (const auto& tier : base->tiers) {
    tier_word[lower(tier.id)] = tier.id;
    if (!tier.title.ko.empty()) tier_word[tier.title.ko] = tier.id;
    if (!tier.title.en.empty()) tier_word[lower(tier.title.en)] = tier.id;
  }
  std::vector<std::string> tier_names;
  for (const auto& tier : base->tiers)
    tier_names.push_back(tier.title.ko.empty() ? tier.id : tier.title.ko + "/" + tier.id);

  struct Row {
    const Record* rec;
    std::string id, title_ko, title_en, kind, parent;
    std::vector<std::pair<std::string, std::vector<std::string>>> applies;
  };
  std::vector<Row> rows;
  std::unordered_map<std::string, const Record*> seen;
  auto cell = [](const Record& r, int c) {
    return c >= 0 && static_cast<std::size_t>(c) < r.cells.size() ? trim(r.cells[c])
                                                                  : std::string();
  };
  for (std::size_t i = h + 1; i < t.records.size(); ++i) {
    const Record& r = t.records[i];
    if (std::all_of(r.cells.begin(), r.cells.end(),
                    [](const std::string& c) { return trim(c).empty(); }))
      continue;
    Row row{&r,
            cell(r, cols.id),
            cell(r, cols.title_ko),
            cell(r, cols.title_en),
            lower(cell(r, cols.kind)),
            cell(r, cols.parent),
            {}};
    std::vector<std::string> problems;
    if (row.id.empty()) {
      problems.push_back("row has no id");
    } else if (auto it = seen.find(row.id); it != seen.end()) {
      problems.push_back(
          fmt::format("duplicate id '{}' (first at {})", row.id,
                      t.xlsx ? it->second->where : fmt::format("line {}", it->second->line)));
    }
    if (!row.kind.empty()) {
      auto k = kind_words().find(row.kind);
      if (k == kind_words().end())
        problems.push_back(
            fmt::format("unknown kind '{}' (expected technical, procedural or "
                        "physical)",
                        cell(r, cols.kind)));
      else
        row.kind = k->second;
    }
    for (const auto& [svc, col] : cols.services) {
      std::vector<std::string> tiers;
      for (const std::string& w : split_tiers(cell(r, col))) {
        std::string key = tier_word.contains(w) ? w : lower(w);
        if (key == "all" || key == "전체") {
          for (const auto& tier : base->tiers)
            if (std::find(tiers.begin(), tiers.end(), tier.id) == tiers.end())
              tiers.push_back(tier.id);
          continue;
        }
        auto it = tier_word.find(key);
        if (it == tier_word.end()) {
          problems.push_back(fmt::format("unknown tier '{}' in column '{}' (expected {})", w, svc,
                                         fmt::format("{}", fmt::join(tier_names, ", "))));
          continue;
        }
        if (std::find(tiers.begin(), tiers.end(), it->second) == tiers.end())
          tiers.push_back(it->second);
      }
      // Keep the catalog's tier order.
      std::sort(tiers.begin(), tiers.end(), [&](const std::string& a, const std::string& b) {
        return base->tier_rank(a) < base->tier_rank(b);
      });
      row.applies.emplace_back(svc, std::move(tiers));
    }
    for (auto& p : problems) rep.errors.push_back(row_error(t, r, std::move(p)));
    if (!row.id.empty() && !seen.contains(row.id)) seen.emplace(row.id, &r);
    if (problems.empty()) rows.push_back(std::move(row));
  }
  // Explicit parents must exist; dotted ids take their prefix when it is in the table.
  for (Row& row : rows) {
    if (!row.parent.empty()) {
      if (!seen.contains(row.parent))
        rep.errors.push_back(
            row_error(t, *row.rec,
                      fmt::format("parent '{}' of '{}' is not in the table", row.parent, row.id)));
      else if (row.parent == row.id)
        rep.errors.push_back(row_error(t, *row.rec, fmt::format("'{}' is its own parent", row.id)));
    } else if (auto dot = row.id.rfind('.'); dot != std::string::npos && dot > 0) {
      std::string prefix = row.id.substr(0, dot);
      if (seen.contains(prefix)) row.parent = prefix;
    }
  }
  if (!rep.errors.empty()) return rep;
  if (rows.empty()) {
    rep.errors.push_back(
        Error{Exit::kBadInput, "the table has a header but no controls", SourceLoc(t.file)});
    return rep;
  }

  std::string y;
  auto w = [&](std::string_view s) {
    y += s;
    y += '\n';
  };
  w(fmt::format("# Imported by csapcheck catalog import from {}.",
                fs::path(t.file).filename().string()));
  w(fmt::format("catalog: {}", yaml_quote(opts.catalog_id)));
  if (!opts.version.empty()) w(fmt::format("version: {}", yaml_quote(opts.version)));
  w(fmt::format("status: {}", yaml_quote(opts.status)));
  Text title = opts.title;
  if (title.empty()) title = base->title;
  w(fmt::format("title: {{ko: {}, en: {}}}", yaml_quote(title.ko), yaml_quote(title.en)));
  w(fmt::format(
      "notice: {{ko: {}, en: {}}}",
      yaml_quote(fmt::format("{}에서 가져온 목록입니다.", fs::path(t.file).filename().string())),
      yaml_quote(fmt::format("Imported from {}.", fs::path(t.file).filename().string()))));
  w("service_types:");
  for (const auto& s : base->service_types)
    w(fmt::format("  - {{id: {}, ko: {}, en: {}}}", yaml_quote(s.id), yaml_quote(s.title.ko),
                  yaml_quote(s.title.en)));
  w("tiers:");
  for (const auto& tier : base->tiers)
    w(fmt::format("  - {{id: {}, ko: {}, en: {}}}", yaml_quote(tier.id), yaml_quote(tier.title.ko),
                  yaml_quote(tier.title.en)));
  w("profiles:");
  for (const auto& p : base->profiles)
    w(fmt::format("  {}: {{service: {}, tier: {}}}", yaml_quote(p.id), yaml_quote(p.service),
                  yaml_quote(p.tier)));
  w("controls:");
  for (const Row& row : rows) {
    w(fmt::format("  - id: {}", yaml_quote(row.id)));
    if (!row.parent.empty()) w(fmt::format("    parent: {}", yaml_quote(row.parent)));
    if (!row.title_ko.empty() || !row.title_en.empty()) {
      std::string tt = "    title: {";
      if (!row.title_ko.empty()) tt += "ko: " + yaml_quote(row.title_ko);
      if (!row.title_ko.empty() && !row.title_en.empty()) tt += ", ";
      if (!row.title_en.empty()) tt += "en: " + yaml_quote(row.title_en);
      w(tt + "}");
    }
    if (!row.kind.empty()) w(fmt::format("    kind: {}", row.kind));
    if (!row.applies.empty()) {
      std::string a = "    applies: {";
      for (std::size_t i = 0; i < row.applies.size(); ++i) {
        if (i) a += ", ";
        a += yaml_quote(row.applies[i].first) + ": [";
        for (std::size_t k = 0; k < row.applies[i].second.size(); ++k) {
          if (k) a += ", ";
          a += yaml_quote(row.applies[i].second[k]);
        }
        a += "]";
      }
      w(a + "}");
    }
    w(fmt::format("    basis: {}", yaml_quote(fmt::format("{} (imported from {})", opts.status,
                                                          where_of(t, *row.rec)))));
    rep.ids.push_back(row.id);
  }
  rep.yaml = std::move(y);
  return rep;
}

}  // namespace

Error ImportReport::error() const {
  if (errors.empty()) return Error{Exit::kBadInput, "no error", {}};
  if (errors.size() == 1) return errors.front();
  std::string msg = fmt::format("{} problems:", errors.size());
  for (const auto& e : errors) msg += "\n  " + e.str();
  std::string file = errors.front().where.file;
  return Error{Exit::kBadInput, std::move(msg), SourceLoc(file)};
}

ImportReport import_csv_text(std::string_view text, const std::string& file,
                             const ImportOptions& opts) {
  ImportReport rep;
  if (auto ok = check_text(text, file); !ok) {
    rep.errors.push_back(ok.error());
    return rep;
  }
  auto recs = parse_csv(text, file);
  if (!recs) {
    rep.errors.push_back(recs.error());
    return rep;
  }
  Table t{file, false, std::move(*recs)};
  return build(t, opts);
}

Result<Sheet> read_xlsx_first_sheet(const fs::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return fail("cannot read: no such file", SourceLoc(file));
  Unzip z;
  z.zf = unzOpen64(file.c_str());
  if (!z.zf) return fail("not an .xlsx workbook (not a zip archive)", SourceLoc(file));

  auto wb = read_part(z.zf, "xl/workbook.xml", file);
  if (!wb) return std::unexpected(wb.error());
  if (!*wb) return fail("not an .xlsx workbook (no xl/workbook.xml)", SourceLoc(file));
  pugi::xml_document wbdoc;
  if (auto ok = parse_xml(wbdoc, **wb, "xl/workbook.xml", file); !ok)
    return std::unexpected(ok.error());
  pugi::xml_node sheets = child_local(child_local(wbdoc, "workbook"), "sheets");
  pugi::xml_node first = child_local(sheets, "sheet");
  if (!first) return fail("the workbook has no sheets", SourceLoc(file));
  Sheet sheet;
  sheet.name = first.attribute("name").value();
  std::string rid;
  for (pugi::xml_attribute a : first.attributes())
    if (local_name(a.name()) == "id" && std::string_view(a.name()) != "sheetId") rid = a.value();

  std::string target = "xl/worksheets/sheet1.xml";
  auto rels = read_part(z.zf, "xl/_rels/workbook.xml.rels", file);
  if (!rels) return std::unexpected(rels.error());
  if (*rels && !rid.empty()) {
    pugi::xml_document reldoc;
    if (auto ok = parse_xml(reldoc, **rels, "xl/_rels/workbook.xml.rels", file); !ok)
      return std::unexpected(ok.error());
    for (pugi::xml_node r : child_local(reldoc, "Relationships").children()) {
      if (local_name(r.name()) != "Relationship" || rid != r.attribute("Id").value()) continue;
      std::string tgt = r.attribute("Target").value();
      if (tgt.starts_with("/"))
        target = tgt.substr(1);
      else
        target = "xl/" + tgt;
      // Normalise "xl/./x" and "xl/../x".
      while (target.find("/./") != std::string::npos) target.replace(target.find("/./"), 3, "/");
      break;
    }
  }

  std::vector<std::string> shared;
  auto ss = read_part(z.zf, "xl/sharedStrings.xml", file);
  if (!ss) return std::unexpected(ss.error());
  if (*ss) {
    pugi::xml_document ssdoc;
    if (auto ok = parse_xml(ssdoc, **ss, "xl/sharedStrings.xml", file); !ok)
      return std::unexpected(ok.error());
    for (pugi::xml_node si : child_local(ssdoc, "sst").children()) {
      if (local_name(si.name()) != "si") continue;
      std::string s;
      collect_text(si, s);
      shared.push_back(std::move(s));
    }
  }

  auto ws = read_part(z.zf, target, file);
  if (!ws) return std::unexpected(ws.error());
  if (!*ws)
    return fail(fmt::format("the workbook has no part '{}' for sheet '{}'", target, sheet.name),
                SourceLoc(file));
  pugi::xml_document wsdoc;
  if (auto ok = parse_xml(wsdoc, **ws, target, file); !ok) return std::unexpected(ok.error());
  pugi::xml_node data = child_local(child_local(wsdoc, "worksheet"), "sheetData");
  int prev_row = 0;
  std::size_t cells = 0, text_bytes = 0;
  for (pugi::xml_node row : data.children()) {
    if (local_name(row.name()) != "row") continue;
    Sheet::Row out;
    if (const char* r = row.attribute("r").value(); *r) {
      long long n = 0;
      auto [p, e] = std::from_chars(r, r + std::strlen(r), n);
      if (e != std::errc() || *p != '\0' || n < 1 || n > kMaxSheetRow)
        return fail(fmt::format("sheet '{}': row number '{}' is not between 1 and {}", sheet.name,
                                r, kMaxSheetRow),
                    SourceLoc(file));
      out.number = static_cast<int>(n);
    } else if (prev_row >= kMaxSheetRow) {
      return fail(fmt::format("sheet '{}': more than {} rows", sheet.name, kMaxSheetRow),
                  SourceLoc(file));
    } else {
      out.number = prev_row + 1;
    }
    prev_row = out.number;
    int next_col = 0;
    for (pugi::xml_node c : row.children()) {
      if (local_name(c.name()) != "c") continue;
      int col = next_col;
      if (const char* ref = c.attribute("r").value(); *ref) {
        int k = column_of(ref);
        if (k < 0)
          return fail(fmt::format("sheet '{}' row {}: bad cell reference '{}'", sheet.name,
                                  out.number, ref),
                      SourceLoc(file));
        col = k;
      }
      next_col = col + 1;
      std::string type = c.attribute("t").value();
      std::string value;
      if (type == "inlineStr") {
        collect_text(child_local(c, "is"), value);
      } else {
        std::string v = child_local(c, "v").text().get();
        if (type == "s") {
          std::size_t idx = 0;
          auto [p, e] = std::from_chars(v.data(), v.data() + v.size(), idx);
          if (e != std::errc() || p != v.data() + v.size() || idx >= shared.size())
            return fail(fmt::format("sheet '{}' row {}: shared string index '{}' out of range",
                                    sheet.name, out.number, v),
                        SourceLoc(file));
          value = shared[idx];
        } else if (type == "b") {
          value = v == "1" ? "TRUE" : "FALSE";
        } else if (type == "str" || type == "e") {
          value = v;
        } else {
          value = number_text(v);
        }
      }
      if (static_cast<std::size_t>(col) >= out.cells.size()) {
        cells += static_cast<std::size_t>(col) + 1 - out.cells.size();
        if (cells > kMaxSheetCells)
          return fail(fmt::format("sheet '{}' row {}: more than {} cells in the sheet (empty cells "
                                  "before the last one in a row count)",
                                  sheet.name, out.number, kMaxSheetCells),
                      SourceLoc(file));
        out.cells.resize(static_cast<std::size_t>(col) + 1);
      }
      text_bytes += value.size();
      if (text_bytes > kMaxSheetText)
        return fail(fmt::format("sheet '{}' row {}: more than {} MiB of cell text", sheet.name,
                                out.number, kMaxSheetText >> 20),
                    SourceLoc(file));
      work::step();
      out.cells[static_cast<std::size_t>(col)] = std::move(value);
    }
    sheet.rows.push_back(std::move(out));
  }
  return sheet;
}

ImportReport import_table(const fs::path& file, const ImportOptions& opts) {
  ImportReport rep;
  std::string ext = lower(file.extension().string());
  bool xlsx = ext == ".xlsx" || ext == ".xlsm";
  if (!xlsx) {
    std::ifstream in(file, std::ios::binary);
    char magic[2] = {};
    if (in.read(magic, 2) && magic[0] == 'P' && magic[1] == 'K') xlsx = true;
  }
  if (xlsx) {
    auto sheet = read_xlsx_first_sheet(file);
    if (!sheet) {
      rep.errors.push_back(sheet.error());
      return rep;
    }
    Table t{file.string(), true, {}};
    for (auto& row : sheet->rows) {
      Record r;
      r.where = fmt::format("sheet '{}' row {}", sheet->name, row.number);
      r.cells = std::move(row.cells);
      t.records.push_back(std::move(r));
    }
    return build(t, opts);
  }
  auto text = read_text_file(file);
  if (!text) {
    rep.errors.push_back(text.error());
    return rep;
  }
  return import_csv_text(*text, file.string(), opts);
}

}  // namespace csap::catalog
