// The checklist workbook, written with libxlsxwriter in constant-memory mode (rows in order).
#include "report/xlsx.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "core/files.h"
#include "report/common.h"
#include "report/csv.h"
#include "report/labels.h"

namespace csap::report {
namespace {

using assess::Verdict;
namespace fs = std::filesystem;

constexpr const char* kFont =
    "맑은 고딕";  // Malgun Gothic: Windows' Korean UI font; others substitute
constexpr double kFontSize = 10;
constexpr double kLineHeight = 13.5;   // points per wrapped line at kFontSize
constexpr double kMaxRowHeight = 409;  // Excel's limit
constexpr lxw_row_t kMaxRows = LXW_ROW_MAX;

// Fill and font colours per verdict (Excel's "good / bad / neutral" palette and two more).
struct Colours {
  lxw_color_t fill, font;
};
Colours verdict_colours(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return {0xC6EFCE, 0x006100};
    case Verdict::kFail:
      return {0xFFC7CE, 0x9C0006};
    case Verdict::kUnknown:
      return {0xFFEB9C, 0x9C5700};
    case Verdict::kManual:
      return {0xDDEBF7, 0x1F4E79};
    case Verdict::kWaived:
      return {0xE4DFEC, 0x5B2C6F};
    case Verdict::kNotApplicable:
      return {0xEDEDED, 0x595959};
  }
  return {0xFFFFFF, 0x000000};
}

class Book {
 public:
  Book(const std::string& path, const assess::Assessment& a, const ReportInfo& info)
      : a_(a), info_(info), lang_(info.lang) {
    lxw_workbook_options opts{};
    opts.constant_memory = LXW_TRUE;
    opts.use_zip64 = LXW_TRUE;
    wb_ = workbook_new_opt(path.c_str(), &opts);
  }
  ~Book() {
    if (wb_ && !closed_) workbook_close(wb_);
  }
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;

  std::string write() {
    if (!wb_) return "cannot create the workbook";
    formats();
    properties();
    checklist();
    findings();
    exceptions();
    areas();
    closed_ = true;
    lxw_error e = workbook_close(wb_);
    if (e != LXW_NO_ERROR) return lxw_strerror(e);
    return error_;
  }

 private:
  const assess::Assessment& a_;
  const ReportInfo& info_;
  Lang lang_;
  lxw_workbook* wb_ = nullptr;
  bool closed_ = false;
  std::string error_;
  lxw_format *title_ = nullptr, *label_ = nullptr, *meta_ = nullptr, *notice_ = nullptr,
             *head_ = nullptr, *cell_ = nullptr, *center_ = nullptr, *bad_ = nullptr,
             *soon_ = nullptr, *number_ = nullptr, *percent_ = nullptr, *total_ = nullptr,
             *total_pct_ = nullptr;
  std::array<lxw_format*, assess::kVerdicts> verdict_{};
  std::array<lxw_format*, 5> severity_{};

  void check(lxw_error e) {
    if (e != LXW_NO_ERROR && error_.empty()) error_ = lxw_strerror(e);
  }

  lxw_format* base() {
    lxw_format* f = workbook_add_format(wb_);
    format_set_font_name(f, kFont);
    format_set_font_size(f, kFontSize);
    return f;
  }
  lxw_format* boxed() {
    lxw_format* f = base();
    format_set_border(f, LXW_BORDER_THIN);
    format_set_border_color(f, 0xBFBFBF);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
  }

  void formats() {
    title_ = base();
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    label_ = base();
    format_set_bold(label_);
    format_set_align(label_, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_color(label_, 0x404040);
    meta_ = base();
    format_set_text_wrap(meta_);
    format_set_align(meta_, LXW_ALIGN_VERTICAL_TOP);
    notice_ = base();
    format_set_text_wrap(notice_);
    format_set_align(notice_, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(notice_, 0xFFF2CC);
    format_set_font_color(notice_, 0x7F6000);
    head_ = base();
    format_set_bold(head_);
    format_set_font_color(head_, 0xFFFFFF);
    format_set_bg_color(head_, 0x1F4E79);
    format_set_border(head_, LXW_BORDER_THIN);
    format_set_border_color(head_, 0xBFBFBF);
    format_set_text_wrap(head_);
    format_set_align(head_, LXW_ALIGN_CENTER);
    format_set_align(head_, LXW_ALIGN_VERTICAL_CENTER);
    cell_ = boxed();
    center_ = boxed();
    format_set_align(center_, LXW_ALIGN_CENTER);
    for (std::size_t i = 0; i < assess::kVerdicts; ++i) {
      Colours c = verdict_colours(static_cast<Verdict>(i));
      lxw_format* f = boxed();
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_bold(f);
      format_set_bg_color(f, c.fill);
      format_set_font_color(f, c.font);
      verdict_[i] = f;
    }
    const Colours sev[] = {{0xEDEDED, 0x595959},
                           {0xDDEBF7, 0x1F4E79},
                           {0xFFEB9C, 0x9C5700},
                           {0xFFC7CE, 0x9C0006},
                           {0xC00000, 0xFFFFFF}};  // info .. critical
    for (std::size_t i = 0; i < severity_.size(); ++i) {
      lxw_format* f = boxed();
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_bg_color(f, sev[i].fill);
      format_set_font_color(f, sev[i].font);
      severity_[i] = f;
    }
    bad_ = boxed();
    format_set_bg_color(bad_, 0xFFC7CE);
    format_set_font_color(bad_, 0x9C0006);
    soon_ = boxed();
    format_set_bg_color(soon_, 0xFFEB9C);
    format_set_font_color(soon_, 0x9C5700);
    number_ = boxed();
    format_set_align(number_, LXW_ALIGN_RIGHT);
    percent_ = boxed();
    format_set_num_format(percent_, "0.0%");
    total_ = boxed();
    format_set_bold(total_);
    format_set_bg_color(total_, 0xF2F2F2);
    total_pct_ = boxed();
    format_set_bold(total_pct_);
    format_set_bg_color(total_pct_, 0xF2F2F2);
    format_set_num_format(total_pct_, "0.0%");
  }

  void properties() {
    std::string title, subject, comments, keywords;
    title = a_.catalog ? fmt::format("{} — {}", a_.catalog->title.get(lang_),
                                     cl(CL::kChecklistTitle, lang_))
                       : std::string(cl(CL::kSheetChecklist, lang_));
    subject = a_.profile.id;
    keywords = a_.catalog ? fmt::format("{} {} {}", a_.catalog->id, a_.catalog->version,
                                        a_.catalog->status)
                          : "";
    comments = fmt::format("{} {} · {}", info_.tool_name, info_.tool_version, info_.generated_at);
    lxw_doc_properties p{};
    p.title = title.data();
    p.subject = subject.data();
    p.author = const_cast<char*>(info_.tool_name.c_str());
    p.keywords = keywords.data();
    p.comments = comments.data();
    check(workbook_set_properties(wb_, &p));
  }

  lxw_worksheet* sheet(CL name) {
    std::string n(cl(name, lang_));
    lxw_worksheet* ws = workbook_add_worksheet(wb_, n.c_str());
    if (!ws && error_.empty()) error_ = "cannot add the worksheet " + n;
    if (ws) {
      worksheet_set_landscape(ws);
      worksheet_set_paper(ws, 9);  // A4
      worksheet_fit_to_pages(ws, 1, 0);
      worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
      check(worksheet_set_footer(ws, "&C&P / &N"));
    }
    return ws;
  }

  void str(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f) {
    if (s.empty())
      check(worksheet_write_blank(ws, r, c, f));
    else
      check(worksheet_write_string(ws, r, c, cell_text(s).c_str(), f));
  }

  // Wrapped lines `s` takes in a column `width` characters wide.
  static std::size_t lines(std::string_view s, double width) {
    std::size_t n = 0, start = 0;
    auto cols = std::max(1.0, width - 1);
    while (true) {
      std::size_t nl = s.find('\n', start);
      std::string_view line =
          s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      n += std::max<std::size_t>(
          1, static_cast<std::size_t>(std::ceil(static_cast<double>(display_width(line)) / cols)));
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
    return n;
  }
  // Row height that shows every wrapped line of `cells` (each with its column width).
  static double height(const std::vector<std::pair<std::string_view, double>>& cells) {
    std::size_t n = 1;
    for (const auto& [s, w] : cells) n = std::max(n, lines(s, w));
    return std::min(kMaxRowHeight, static_cast<double>(n) * kLineHeight + 3);
  }

  void columns(lxw_worksheet* ws, const std::vector<double>& widths) {
    for (std::size_t i = 0; i < widths.size(); ++i)
      check(worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                                 widths[i], nullptr));
  }

  void header_row(lxw_worksheet* ws, lxw_row_t r, const std::vector<std::string>& heads) {
    check(worksheet_set_row(ws, r, 22, nullptr));
    for (std::size_t c = 0; c < heads.size(); ++c)
      str(ws, r, static_cast<lxw_col_t>(c), heads[c], head_);
  }

  // Freezes everything above the first data row, filters the table, repeats its head on every page.
  void table(lxw_worksheet* ws, lxw_row_t head, lxw_row_t last, std::size_t ncols) {
    worksheet_freeze_panes(ws, head + 1, 0);
    check(
        worksheet_autofilter(ws, head, 0, std::max(head, last), static_cast<lxw_col_t>(ncols - 1)));
    check(worksheet_repeat_rows(ws, head, head));
  }

  // ---- 점검표 ---------------------------------------------------------------------------------
  void checklist() {
    lxw_worksheet* ws = sheet(CL::kSheetChecklist);
    if (!ws) return;
    const std::vector<double> widths = {20, 24, 10, 26, 14, 72, 16, 40};
    columns(ws, widths);
    // The header block: two label/value pairs a row (values merged over B–D and F–H), the inputs
    // and the notice over the whole width; the table's header row right below it.
    const double left = widths[1] + widths[2] + widths[3],
                 right = widths[5] + widths[6] + widths[7];
    const double whole = left + widths[4] + right;
    auto meta = checklist_meta(a_, info_);
    auto value = [&](std::string_view label) {
      for (const auto& [k, v] : meta)
        if (k == label) return v;
      return std::string();
    };
    lxw_row_t r = 0;
    std::string title = a_.catalog ? fmt::format("{} — {}", a_.catalog->title.get(lang_),
                                                 cl(CL::kChecklistTitle, lang_))
                                   : std::string(cl(CL::kSheetChecklist, lang_));
    check(worksheet_set_row(ws, r, 24, nullptr));
    str(ws, r++, 0, title, title_);
    auto pair_row = [&](std::string_view l1, std::string_view l2) {
      std::string v1 = value(l1), v2 = value(l2);
      check(worksheet_set_row(ws, r, height({{v1, left}, {v2, right}}), nullptr));
      str(ws, r, 0, std::string(l1), label_);
      check(worksheet_merge_range(ws, r, 1, r, 3, cell_text(v1).c_str(), meta_));
      str(ws, r, 4, std::string(l2), label_);
      check(worksheet_merge_range(ws, r, 5, r, 7, cell_text(v2).c_str(), meta_));
      ++r;
    };
    auto wide_row = [&](L k, lxw_format* f) {
      std::string v = value(tr(k, lang_));
      check(worksheet_set_row(ws, r, height({{v, whole}}), nullptr));
      str(ws, r, 0, std::string(tr(k, lang_)), label_);
      check(worksheet_merge_range(ws, r, 1, r, 7, cell_text(v).c_str(), f));
      ++r;
    };
    pair_row(tr(L::kCatalog, lang_), tr(L::kProfile, lang_));
    pair_row(tr(L::kInputs, lang_), tr(L::kResources, lang_));
    pair_row(cl(CL::kTool, lang_), tr(L::kGenerated, lang_));
    pair_row(tr(L::kReadiness, lang_), tr(L::kControls, lang_));
    if (!value(tr(L::kNotice, lang_)).empty()) wide_row(L::kNotice, notice_);
    const lxw_row_t head = r;
    header_row(ws, r++, checklist_headers(lang_));
    for (const auto& row : checklist_rows(a_, lang_)) {
      if (r >= kMaxRows) break;
      check(worksheet_set_row(ws, r,
                              height({{row.area, widths[0]},
                                      {row.item, widths[1]},
                                      {row.title, widths[3]},
                                      {row.evidence, widths[5]},
                                      {row.owner, widths[6]},
                                      {row.note, widths[7]}}),
                              nullptr));
      str(ws, r, 0, row.area, cell_);
      str(ws, r, 1, row.item, cell_);
      str(ws, r, 2, row.id, center_);
      str(ws, r, 3, row.title, cell_);
      str(ws, r, 4, row.result, verdict_[static_cast<std::size_t>(row.verdict)]);
      str(ws, r, 5, row.evidence, cell_);
      str(ws, r, 6, row.owner, cell_);
      str(ws, r, 7, row.note, row.expiring_soon ? soon_ : cell_);
      ++r;
    }
    table(ws, head, r - 1, widths.size());
    worksheet_activate(ws);
  }

  // ---- 발견사항 -------------------------------------------------------------------------------
  void findings() {
    lxw_worksheet* ws = sheet(CL::kSheetFindings);
    if (!ws) return;
    const std::vector<double> widths = {18, 30, 9, 40, 24, 22, 22, 22, 11, 14, 48};
    columns(ws, widths);
    header_row(ws, 0, finding_headers(lang_));
    auto rows = finding_rows(a_, lang_);
    lxw_row_t r = 1;
    std::size_t written = 0;
    for (const auto& f : rows) {
      if (r >= kMaxRows - 1) break;
      check(worksheet_set_row(ws, r,
                              height({{f.rule_title, widths[1]},
                                      {f.resource, widths[3]},
                                      {f.expected, widths[6]},
                                      {f.actual, widths[7]},
                                      {f.remediation, widths[10]}}),
                              nullptr));
      str(ws, r, 0, f.rule, cell_);
      str(ws, r, 1, f.rule_title, cell_);
      str(ws, r, 2, f.severity,
          severity_[std::min<std::size_t>(static_cast<std::size_t>(f.sev), severity_.size() - 1)]);
      str(ws, r, 3, f.resource, cell_);
      str(ws, r, 4, f.location, cell_);
      str(ws, r, 5, f.attribute, cell_);
      str(ws, r, 6, f.expected, cell_);
      str(ws, r, 7, f.actual, cell_);
      Verdict v = f.status_key == "fail"      ? Verdict::kFail
                  : f.status_key == "waived"  ? Verdict::kWaived
                  : f.status_key == "unknown" ? Verdict::kUnknown
                                              : Verdict::kManual;
      str(ws, r, 8, f.status, verdict_[static_cast<std::size_t>(v)]);
      str(ws, r, 9, f.controls, cell_);
      str(ws, r, 10, f.remediation, cell_);
      ++r;
      ++written;
    }
    lxw_row_t last = r - 1;
    if (written < rows.size())
      str(ws, r, 0,
          fmt::format(fmt::runtime(tr(L::kAndMore, lang_)), group_digits(rows.size() - written)),
          label_);
    table(ws, 0, last, widths.size());
  }

  // ---- 예외·증적 ------------------------------------------------------------------------------
  void exceptions() {
    lxw_worksheet* ws = sheet(CL::kSheetExceptions);
    if (!ws) return;
    const std::vector<double> widths = {12, 14, 24, 44, 18, 12, 60, 24, 20};
    columns(ws, widths);
    header_row(ws, 0, exception_headers(lang_));
    lxw_row_t r = 1;
    for (const auto& e : exception_rows(a_, lang_)) {
      check(worksheet_set_row(ws, r,
                              height({{e.scope, widths[2]},
                                      {e.content, widths[3]},
                                      {e.evidence, widths[6]},
                                      {e.state, widths[7]}}),
                              nullptr));
      str(ws, r, 0, e.kind, center_);
      str(ws, r, 1, e.target, cell_);
      str(ws, r, 2, e.scope, cell_);
      str(ws, r, 3, e.content, cell_);
      str(ws, r, 4, e.person, cell_);
      str(ws, r, 5, e.expires, e.bad ? bad_ : e.expiring_soon ? soon_ : center_);
      str(ws, r, 6, e.evidence, cell_);
      str(ws, r, 7, e.state, e.bad ? bad_ : e.expiring_soon ? soon_ : cell_);
      str(ws, r, 8, e.source, cell_);
      ++r;
    }
    table(ws, 0, r - 1, widths.size());
  }

  // ---- 분야별 현황 ----------------------------------------------------------------------------
  void areas() {
    lxw_worksheet* ws = sheet(CL::kSheetAreas);
    if (!ws) return;
    constexpr Verdict order[] = {Verdict::kPass,   Verdict::kFail,   Verdict::kUnknown,
                                 Verdict::kManual, Verdict::kWaived, Verdict::kNotApplicable};
    std::vector<std::string> heads = {std::string(cl(CL::kArea, lang_)),
                                      std::string(tr(L::kControls, lang_))};
    for (Verdict v : order) heads.emplace_back(checklist_verdict(v, lang_));
    heads.emplace_back(cl(CL::kReadinessCol, lang_));
    std::vector<double> widths = {34, 10, 9, 9, 10, 14, 10, 10, 10};
    columns(ws, widths);
    header_row(ws, 0, heads);
    lxw_row_t r = 1;
    auto counts_row = [&](const std::string& name, const assess::Counts& c, lxw_format* text,
                          lxw_format* pct) {
      str(ws, r, 0, name, text);
      check(worksheet_write_number(ws, r, 1, static_cast<double>(c.total()),
                                   text == total_ ? total_ : number_));
      lxw_col_t col = 2;
      for (Verdict v : order)
        check(worksheet_write_number(ws, r, col++, static_cast<double>(c[v]),
                                     text == total_ ? total_ : number_));
      check(worksheet_write_number(ws, r, col, round4(c.readiness()), pct));
      ++r;
    };
    for (const auto& ar : a_.areas)
      counts_row(fmt::format("{} {}", ar.area->id, ar.area->title.get(lang_)), ar.counts, cell_,
                 percent_);
    // The filter covers the areas, not the total below them (set before the total row: in
    // constant-memory mode a range must not end above the row being written).
    worksheet_freeze_panes(ws, 1, 0);
    check(worksheet_autofilter(ws, 0, 0, r > 0 ? r - 1 : 0,
                               static_cast<lxw_col_t>(heads.size() - 1)));
    counts_row(std::string(tr(L::kSummary, lang_)), a_.summary, total_, total_pct_);
  }
};

}  // namespace

std::string write_xlsx_file(const std::string& path, const assess::Assessment& a,
                            const ReportInfo& info) {
  Book book(path, a, info);
  return book.write();
}

Result<void> write_xlsx(const Sink& sink, const assess::Assessment& a, const ReportInfo& info) {
  return sink.file([&](const std::string& path) { return write_xlsx_file(path, a, info); });
}

}  // namespace csap::report
