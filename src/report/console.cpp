// The console report: header, catalog notice, one block per area, summary.
#include "report/console.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "report/common.h"
#include "report/labels.h"

namespace csap::report {
namespace {

using assess::Verdict;
using engine::Status;

constexpr std::size_t kMaxResources = 10;  // resources shown per rule under a control
constexpr std::size_t kMaxIds = 12;        // control ids listed in a manual-controls line
constexpr std::size_t kTopRules = 5;       // rules in the summary's top list
constexpr std::size_t kBarWidth = 10;
constexpr std::size_t kMaxInputs = 10;  // inputs listed in the header
constexpr std::size_t kWrap = 100;      // columns for wrapped paragraphs (the notice)
constexpr std::size_t kMaxTitle = 40;   // area title column

// Verdicts in the order counts are listed.
constexpr Verdict kCountOrder[] = {Verdict::kFail,   Verdict::kUnknown, Verdict::kManual,
                                   Verdict::kWaived, Verdict::kPass,    Verdict::kNotApplicable};

// Splits text into lines of at most `width` columns at spaces (hard newlines kept); a word wider
// than `width` stays whole on its own line.
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view para =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::string line;
    std::size_t w = 0;
    std::size_t i = 0;
    while (i < para.size()) {
      std::size_t sp = para.find(' ', i);
      std::string_view word =
          para.substr(i, sp == std::string_view::npos ? std::string_view::npos : sp - i);
      i = sp == std::string_view::npos ? para.size() : sp + 1;
      if (word.empty()) continue;
      std::size_t ww = display_width(word);
      if (!line.empty() && w + 1 + ww > width) {
        out.push_back(std::move(line));
        line.clear();
        w = 0;
      }
      if (!line.empty()) {
        line += ' ';
        ++w;
      }
      line += word;
      w += ww;
    }
    if (!line.empty()) out.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::size_t pct_floor(double r) {
  // Never round up to a readiness that is not reached (99.6% is not 100%).
  return static_cast<std::size_t>(std::floor(r * 100.0 + 1e-9));
}

// Writes `s` for a terminal: control characters escaped (terminal_escape), except that each
// occurrence of `marker` (when not empty) becomes ESC, the start of one of the report's own colour
// sequences.
std::string escape_for_terminal(std::string_view s, std::string_view marker) {
  std::string out;
  out.reserve(s.size());
  auto hex = [&](unsigned cp) { out += fmt::format("\\u{:04x}", cp); };
  std::size_t i = 0;
  while (i < s.size()) {
    if (!marker.empty() && s.compare(i, marker.size(), marker) == 0) {
      out += '\x1b';
      i += marker.size();
      continue;
    }
    auto b = static_cast<unsigned char>(s[i]);
    if ((b < 0x20 && b != '\n') || b == 0x7f) {
      hex(b);
      ++i;
      continue;
    }
    // C1 controls: U+0080..U+009F, encoded C2 80..C2 9F.
    if (b == 0xC2 && i + 1 < s.size()) {
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      if (b1 >= 0x80 && b1 <= 0x9F) {
        hex(b1);
        i += 2;
        continue;
      }
    }
    // U+2028, U+2029 (line and paragraph separators), U+202A..U+202E (bidirectional embeddings
    // and overrides), U+2066..U+2069 (isolates): E2 80 A8..AE, E2 81 A6..A9.
    if (b == 0xE2 && i + 2 < s.size()) {
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      auto b2 = static_cast<unsigned char>(s[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xA8 && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        hex(0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu));
        i += 3;
        continue;
      }
    }
    out += s[i];
    ++i;
  }
  return out;
}

// A marker for the colour sequences that does not occur in `text`: SOH, a tag of zero-width
// control characters (never SOH), STX. Since SOH occurs only at its start, a marker found in the
// coloured report is always one the report put there.
std::string marker_absent_from(std::string_view text) {
  for (std::size_t n = 0;; ++n) {
    std::string tag;
    for (std::size_t k = n; k > 0; k /= 4) tag += static_cast<char>(0x03 + k % 4);
    std::string m = "\x01" + tag + "\x02";
    if (text.find(m) == std::string_view::npos) return m;
  }
}

// Text from an input for one line of the report: redacted, line feeds as spaces; other control
// characters are left for the escaping on the way out.
std::string one_line(std::string_view s) {
  std::string out = redacted(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

class Console {
 public:
  // `esc` stands for ESC in the colour sequences (see write_console).
  Console(std::ostream& os, const assess::Assessment& a, const ReportInfo& info, std::string esc)
      : os_(os),
        a_(a),
        info_(info),
        lang_(info.lang),
        by_rule_(controls_by_rule(a)),
        esc_(std::move(esc)) {
    for (Verdict v : kCountOrder)
      verdict_w_ = std::max(verdict_w_, display_width(verdict_short(v, lang_)));
    for (int s = 0; s <= static_cast<int>(rules::Severity::kCritical); ++s)
      sev_w_ =
          std::max(sev_w_, display_width(severity_word(static_cast<rules::Severity>(s), lang_)));
    for (const auto& cr : a_.controls) id_w_ = std::max(id_w_, display_width(cr.control->id));
  }

  void write() {
    header();
    notice();
    areas();
    summary();
    trailer();
  }

 private:
  std::ostream& os_;
  const assess::Assessment& a_;
  const ReportInfo& info_;
  Lang lang_;
  std::vector<std::vector<std::string>> by_rule_;
  std::size_t verdict_w_ = 0, sev_w_ = 0, id_w_ = 0, rid_w_ = 0;
  // (rule index, status) already detailed, and under which control.
  std::map<std::pair<std::uint32_t, Status>, std::string> detailed_;
  std::set<std::uint32_t> remediated_;  // rules whose remediation the current control has shown
  std::string esc_;

  std::string_view t(L l) const { return tr(l, lang_); }

  std::string paint(std::string_view s, fmt::text_style st) const {
    if (!info_.color || s.empty()) return std::string(s);
    // The style's sequences with ESC spelled as esc_; `s` itself is left as it is.
    const std::string styled_empty = fmt::format(st, "{}", "");
    constexpr std::string_view kReset = "\x1b[0m";
    std::string_view start = styled_empty, end;
    if (start.ends_with(kReset)) {
      start.remove_suffix(kReset.size());
      end = kReset;
    }
    auto mark = [&](std::string_view seq) {
      std::string out;
      for (char c : seq) {
        if (c == '\x1b')
          out += esc_;
        else
          out += c;
      }
      return out;
    };
    return mark(start) + std::string(s) + mark(end);
  }
  std::string bold(std::string_view s) const { return paint(s, fmt::emphasis::bold); }
  std::string dim(std::string_view s) const { return paint(s, fmt::emphasis::faint); }

  static fmt::text_style verdict_style(Verdict v) {
    switch (v) {
      case Verdict::kFail:
        return fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
      case Verdict::kUnknown:
        return fmt::fg(fmt::terminal_color::yellow);
      case Verdict::kManual:
        return fmt::fg(fmt::terminal_color::cyan);
      case Verdict::kPass:
        return fmt::fg(fmt::terminal_color::green);
      case Verdict::kWaived:
        return fmt::fg(fmt::terminal_color::magenta);
      case Verdict::kNotApplicable:
        return fmt::emphasis::faint;
    }
    return {};
  }
  static fmt::text_style severity_style(rules::Severity s) {
    switch (s) {
      case rules::Severity::kCritical:
        return fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
      case rules::Severity::kHigh:
        return fmt::fg(fmt::terminal_color::red);
      case rules::Severity::kMedium:
        return fmt::fg(fmt::terminal_color::yellow);
      case rules::Severity::kLow:
        return fmt::fg(fmt::terminal_color::blue);
      case rules::Severity::kInfo:
        return fmt::emphasis::faint;
    }
    return {};
  }
  static fmt::text_style status_style(Status s) {
    switch (s) {
      case Status::kFail:
        return fmt::fg(fmt::terminal_color::red);
      case Status::kUnknown:
        return fmt::fg(fmt::terminal_color::yellow);
      case Status::kError:
        return fmt::fg(fmt::terminal_color::magenta);
      case Status::kPass:
        return fmt::fg(fmt::terminal_color::green);
    }
    return {};
  }

  std::string verdict_cell(Verdict v) const {
    return paint(pad_right(verdict_short(v, lang_), verdict_w_), verdict_style(v));
  }
  std::string severity_cell(rules::Severity s) const {
    return paint(pad_right(severity_word(s, lang_), sev_w_), severity_style(s));
  }

  // "부적합 2 · 수동확인 5 · 적합 3": the non-zero counts, coloured.
  std::string counts_text(const assess::Counts& c) const {
    std::string out;
    for (Verdict v : kCountOrder) {
      if (c[v] == 0) continue;
      if (!out.empty()) out += " · ";
      out += paint(fmt::format("{} {}", verdict_short(v, lang_), group_digits(c[v])),
                   verdict_style(v));
    }
    return out;
  }

  std::string status_counts(const std::array<std::size_t, 4>& fc) const {
    constexpr Status order[] = {Status::kFail, Status::kUnknown, Status::kError, Status::kPass};
    std::string out;
    for (Status s : order) {
      if (!out.empty()) out += " · ";
      out += paint(fmt::format("{} {}", status_word(s, lang_),
                               group_digits(fc[static_cast<std::size_t>(s)])),
                   fc[static_cast<std::size_t>(s)] ? status_style(s) : fmt::text_style{});
    }
    return out;
  }

  std::string bar(double r) const {
    auto filled = static_cast<std::size_t>(std::floor(r * static_cast<double>(kBarWidth) + 1e-9));
    filled = std::min(filled, kBarWidth);
    std::string fill(filled, '#');
    std::string rest(kBarWidth - filled, '.');
    return fmt::format("[{}{}]", paint(fill, fmt::fg(fmt::terminal_color::green)), dim(rest));
  }

  // Prints `text` (possibly several lines) with `indent` spaces before every line, the first
  // prefixed by `label` when given.
  void block(std::size_t indent, std::string_view label, std::string_view text) {
    std::string pad(indent, ' ');
    std::string lead = label.empty() ? std::string() : std::string(label) + ": ";
    std::size_t lw = display_width(lead);
    std::size_t width = kWrap > indent + lw + 40 ? kWrap - indent - lw : 40;
    bool first = true;
    for (const auto& line : wrap(text, width)) {
      os_ << pad << (first ? dim(lead) : std::string(lw, ' ')) << line << '\n';
      first = false;
    }
  }

  // ---- header ---------------------------------------------------------------------------------
  void header() {
    os_ << bold(fmt::format("{} {}", info_.tool_name, info_.tool_version)) << " · "
        << bold(t(L::kReportTitle)) << '\n';
    const L keys[] = {L::kCatalog, L::kProfile, L::kInputs, L::kResources, L::kGenerated};
    std::size_t kw = 0;
    for (L k : keys) kw = std::max(kw, display_width(t(k)));
    kw += 2;
    auto row = [&](L k, const std::string& v) { os_ << "  " << pad_right(t(k), kw) << v << '\n'; };

    const catalog::Catalog* c = a_.catalog;
    if (c) {
      std::string title = c->title.get(lang_);
      row(L::kCatalog,
          fmt::format("{} {} ({}){}", c->id, c->version, catalog_status_word(c->status, lang_),
                      title.empty() ? "" : " — " + title));
    }
    std::string prof = profile_text(a_, lang_);
    row(L::kProfile, a_.profile.id.empty() ? prof : fmt::format("{} — {}", a_.profile.id, prof));

    const Deployment* d = a_.deployment;
    if (!d || d->inputs.empty()) {
      row(L::kInputs, std::string(t(L::kNoInputs)));
    } else {
      std::size_t pw = 0;
      for (const auto& in : d->inputs) pw = std::max(pw, display_width(in.path));
      pw = std::min<std::size_t>(pw, 60);
      bool first = true;
      std::size_t listed = 0;
      for (const auto& in : d->inputs) {
        if (listed++ == kMaxInputs) {
          os_ << "  " << std::string(kw, ' ')
              << dim(fmt::format(fmt::runtime(t(L::kMoreInputs)), d->inputs.size() - kMaxInputs))
              << '\n';
          break;
        }
        std::string kind = in.kind;
        if (!in.format_version.empty())
          kind += fmt::format(", {} {}", t(L::kFormat), in.format_version);
        if (!in.tool_version.empty())
          kind += fmt::format(", {} {}", t(L::kTerraform), in.tool_version);
        std::string line =
            fmt::format("{}  [{}]", pad_right(truncate_width(in.path, 60), pw), kind);
        if (!in.sha256.empty()) line += "  sha256:" + in.sha256;
        if (first)
          row(L::kInputs, line);
        else
          os_ << "  " << std::string(kw, ' ') << line << '\n';
        first = false;
      }
    }
    row(L::kResources, group_digits(d ? d->resources.size() : 0));
    if (!info_.generated_at.empty()) row(L::kGenerated, info_.generated_at);
  }

  void notice() {
    const catalog::Catalog* c = a_.catalog;
    if (!c) return;
    bool structural = c->status == "structure";
    if (!structural && c->notice.empty()) return;
    std::string text =
        c->notice.empty() ? std::string(t(L::kStructureNotice)) : c->notice.get(lang_);
    os_ << '\n';
    std::string label = paint(fmt::format("! {}", t(L::kNotice)),
                              fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold);
    os_ << label << '\n';
    for (const auto& line : wrap(text, kWrap - 2)) os_ << "  " << line << '\n';
  }

  // ---- areas ----------------------------------------------------------------------------------
  void areas() {
    os_ << '\n' << bold(t(L::kAreas)) << '\n';
    if (a_.controls.empty() && a_.areas.empty()) {
      os_ << "  " << t(L::kNoControls) << '\n';
      return;
    }
    // Controls per area, in catalog (assessment) order.
    std::map<std::string, std::size_t> area_pos;
    for (std::size_t i = 0; i < a_.areas.size(); ++i) area_pos[a_.areas[i].area->id] = i;
    std::vector<std::vector<const assess::ControlResult*>> per_area(a_.areas.size());
    std::vector<const assess::ControlResult*> other;
    for (const auto& cr : a_.controls) {
      const catalog::Control* area = a_.catalog ? a_.catalog->area_of(cr.control->id) : nullptr;
      auto it = area ? area_pos.find(area->id) : area_pos.end();
      if (it == area_pos.end())
        other.push_back(&cr);
      else
        per_area[it->second].push_back(&cr);
    }
    std::size_t aid_w = 0, title_w = 0;
    for (const auto& ar : a_.areas) {
      aid_w = std::max(aid_w, display_width(ar.area->id));
      title_w =
          std::max(title_w, display_width(truncate_width(ar.area->title.get(lang_), kMaxTitle)));
    }
    for (std::size_t i = 0; i < a_.areas.size(); ++i) {
      const auto& ar = a_.areas[i];
      std::string title = truncate_width(ar.area->title.get(lang_), kMaxTitle);
      os_ << '\n'
          << bold(pad_right(ar.area->id, aid_w)) << "  " << bold(pad_right(title, title_w)) << "  "
          << bar(ar.counts.readiness()) << ' '
          << pad_left(fmt::format("{}%", pct_floor(ar.counts.readiness())), 4) << "  "
          << counts_text(ar.counts) << '\n';
      area_body(per_area[i]);
    }
    if (!other.empty()) {
      assess::Counts c;
      for (const auto* cr : other) c.add(cr->verdict);
      os_ << '\n' << bold(t(L::kOtherArea)) << "  " << counts_text(c) << '\n';
      area_body(other);
    }
  }

  void area_body(const std::vector<const assess::ControlResult*>& controls) {
    std::vector<const assess::ControlResult*> manual;
    for (const auto* cr : controls) {
      switch (cr->verdict) {
        case Verdict::kFail:
        case Verdict::kUnknown:
        case Verdict::kWaived:
          control(*cr, true);
          break;
        case Verdict::kManual:
          if (info_.verbose)
            control(*cr, true);
          else
            manual.push_back(cr);
          break;
        case Verdict::kPass:
        case Verdict::kNotApplicable:
          if (info_.verbose) control(*cr, false);
          break;
      }
    }
    if (!manual.empty()) {
      std::string ids;
      for (std::size_t i = 0; i < manual.size() && i < kMaxIds; ++i) {
        if (i) ids += ", ";
        ids += manual[i]->control->id;
      }
      if (manual.size() > kMaxIds)
        fmt::format_to(std::back_inserter(ids), " {}",
                       fmt::format(fmt::runtime(t(L::kAndMore)), manual.size() - kMaxIds));
      os_ << "  " << verdict_cell(Verdict::kManual) << "  "
          << (manual.size() == 1 ? std::string(t(L::kManualHintOne))
                                 : fmt::format(fmt::runtime(t(L::kManualHint)), manual.size()))
          << ": " << ids << '\n';
    }
  }

  std::string init_command() const {
    if (!a_.profile.id.empty())
      return fmt::format("csapcheck init --profile {} -o attest.yaml", a_.profile.id);
    return fmt::format("csapcheck init --service {} --tier {} -o attest.yaml", a_.profile.service,
                       a_.profile.tier);
  }

  std::size_t detail_indent() const { return 2 + verdict_w_ + 2; }

  void control(const assess::ControlResult& cr, bool details) {
    std::string title = cr.control->title.get(lang_);
    os_ << "  " << verdict_cell(cr.verdict) << "  " << bold(pad_right(cr.control->id, id_w_))
        << "  " << title << '\n';
    std::size_t ind = detail_indent();
    std::string reason = cr.reason.get(lang_);
    if (!reason.empty()) os_ << std::string(ind, ' ') << dim(reason) << '\n';
    if (!details) {
      attestation_of(cr);
      return;
    }
    if (cr.verdict == Verdict::kFail || cr.verdict == Verdict::kUnknown) {
      remediated_.clear();
      rid_w_ = 0;
      for (std::size_t fi : cr.findings)
        if (a_.findings[fi].status != Status::kPass)
          rid_w_ = std::max(rid_w_, display_width(a_.rules->rules[a_.findings[fi].rule].id));
      findings(cr, Status::kFail);
      findings(cr, Status::kError);
      findings(cr, Status::kUnknown);
    }
    waivers_of(cr);
    attestation_of(cr);
    if (cr.verdict == Verdict::kManual && !cr.evidence.empty()) {
      os_ << std::string(ind, ' ') << dim(std::string(t(L::kEvidence)) + ":") << '\n';
      for (const auto& e : cr.evidence) os_ << std::string(ind + 2, ' ') << "- " << e << '\n';
    }
  }

  // The waivers that accepted this control's failing findings: rule, resources, reason, approver,
  // expiry.
  void waivers_of(const assess::ControlResult& cr) {
    std::map<int, std::vector<std::string>> used;
    for (std::size_t k = 0; k < cr.waived.size() && k < cr.findings.size(); ++k)
      if (cr.waived[k] >= 0)
        used[cr.waived[k]].push_back(
            std::string(a_.deployment->resources[a_.findings[cr.findings[k]].resource].address));
    std::size_t ind = detail_indent();
    for (const auto& [wi, addrs] : used) {
      const auto& w = a_.waivers[static_cast<std::size_t>(wi)];
      std::string what = w.rule.empty() ? w.control : w.rule;
      std::string list;
      for (std::size_t i = 0; i < addrs.size() && i < kMaxResources; ++i)
        list += (i ? ", " : "") + addrs[i];
      if (addrs.size() > kMaxResources)
        list.append(" ").append(
            fmt::format(fmt::runtime(t(L::kAndMore)), addrs.size() - kMaxResources));
      os_ << std::string(ind, ' ')
          << paint(std::string(verdict_short(Verdict::kWaived, lang_)),
                   verdict_style(Verdict::kWaived))
          << "  " << bold(what) << "  " << list << '\n';
      std::string meta = fmt::format("{}: {} · {} {}{}", t(L::kApprovedBy),
                                     one_line(w.approved_by.empty() ? "-" : w.approved_by),
                                     t(L::kExpires), w.expires, w.expiring_soon ? " (!)" : "");
      block(ind + 4, "", redacted(w.reason));
      os_ << std::string(ind + 4, ' ') << dim(meta + "  [" + one_line(w.source) + "]") << '\n';
    }
  }

  // The control's attestation: status, owner, expiry, evidence files, and why it does not count.
  void attestation_of(const assess::ControlResult& cr) {
    if (cr.attestation < 0) return;
    const auto& at = a_.attestations[static_cast<std::size_t>(cr.attestation)];
    std::size_t ind = detail_indent();
    std::string line = fmt::format("{}: {}", t(L::kAttestedBy), at.status);
    if (!at.owner.empty()) line += fmt::format(" · {} {}", t(L::kOwner), one_line(at.owner));
    if (!at.expires.empty())
      line += fmt::format(" · {} {}{}", t(L::kExpires), at.expires, at.expiring_soon ? " (!)" : "");
    line += fmt::format("  [{}:{}]", at.file, at.line);
    os_ << std::string(ind, ' ') << dim(line) << '\n';
    if (!at.valid && !at.problem.empty())
      os_ << std::string(ind + 4, ' ')
          << paint(at.problem.get(lang_), verdict_style(Verdict::kManual)) << '\n';
    if (info_.verbose)
      for (const auto& f : at.evidence)
        os_ << std::string(ind + 4, ' ') << "- " << one_line(f.path)
            << (f.sha256.empty() ? std::string() : dim("  sha256:" + f.sha256.substr(0, 12)))
            << '\n';
  }

  static std::string_view marker(Status s) {
    switch (s) {
      case Status::kFail:
        return "✗";
      case Status::kUnknown:
        return "?";
      case Status::kError:
        return "!";
      case Status::kPass:
        return "✓";
    }
    return " ";
  }

  std::string where(const engine::Finding& f) const {
    auto loc = finding_location(a_, f);
    if (!loc) return {};
    if (loc->line > 0) return fmt::format("{}:{}", loc->file, loc->line);
    if (a_.deployment->inputs.size() > 1) return loc->file;
    return {};
  }

  // The findings of one status under a control, grouped by rule (most severe first); within a
  // rule, resources that failed the same way share one explanation line.
  void findings(const assess::ControlResult& cr, Status status) {
    std::map<std::uint32_t, std::vector<std::size_t>> by_rule;
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      if (k < cr.waived.size() && cr.waived[k] >= 0) continue;  // shown with its waiver
      if (a_.findings[fi].status == status) by_rule[a_.findings[fi].rule].push_back(fi);
    }
    if (by_rule.empty()) return;
    std::vector<std::uint32_t> order;
    for (const auto& [r, _] : by_rule) order.push_back(r);
    const auto& rules = a_.rules->rules;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
      return std::make_tuple(-static_cast<int>(rules[x].severity), rules[x].id) <
             std::make_tuple(-static_cast<int>(rules[y].severity), rules[y].id);
    });
    std::size_t ind = detail_indent();
    for (std::uint32_t ri : order) {
      const rules::Rule& rule = rules[ri];
      const auto& list = by_rule[ri];
      std::string head = fmt::format("{} {}  {}  {}", paint(marker(status), status_style(status)),
                                     severity_cell(rule.severity), bold(pad_right(rule.id, rid_w_)),
                                     rule.title.get(lang_));
      std::string count = resources_count(list.size(), lang_);
      auto key = std::make_pair(ri, status);
      if (auto it = detailed_.find(key); it != detailed_.end()) {
        os_ << std::string(ind, ' ') << head << "  "
            << dim("(" + count + ", " + fmt::format(fmt::runtime(t(L::kSeeAbove)), it->second) +
                   ")")
            << '\n';
        continue;
      }
      detailed_[key] = cr.control->id;
      os_ << std::string(ind, ' ') << head << "  " << dim("(" + count + ")") << '\n';

      // Group by the explanation, in order of first appearance.
      std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
      std::map<std::string, std::size_t> gi;
      for (std::size_t fi : list) {
        const auto& f = a_.findings[fi];
        std::string expl = explanation(f);
        auto [it, added] = gi.emplace(expl, groups.size());
        if (added) groups.push_back({expl, {}});
        groups[it->second].second.push_back(fi);
      }
      std::size_t shown = 0;
      for (const auto& [expl, members] : groups) {
        if (shown >= kMaxResources) break;
        if (!expl.empty()) os_ << std::string(ind + 4, ' ') << expl << '\n';
        for (std::size_t fi : members) {
          if (shown >= kMaxResources) break;
          const auto& f = a_.findings[fi];
          std::string addr(a_.deployment->resources[f.resource].address);
          std::string loc = where(f);
          os_ << std::string(ind + 6, ' ') << addr;
          if (!loc.empty()) os_ << "  " << dim("(" + loc + ")");
          os_ << '\n';
          ++shown;
        }
      }
      if (list.size() > shown)
        os_ << std::string(ind + 6, ' ')
            << dim(fmt::format(fmt::runtime(t(L::kAndMore)), group_digits(list.size() - shown)))
            << '\n';
      if (status != Status::kError && !rule.remediation.empty() && remediated_.insert(ri).second)
        block(ind + 4, t(L::kRemediation), trim(rule.remediation.get(lang_)));
    }
  }

  static std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  }

  // "attribute x · expected y · actual z" (values already redacted by the engine; redacted again).
  std::string explanation(const engine::Finding& f) const {
    std::string path = f.why.path.empty() ? "-" : one_line(f.why.path);
    switch (f.status) {
      case Status::kFail:
        return fmt::format("{} {} · {} {} · {} {}", dim(t(L::kAttribute)), path,
                           dim(t(L::kExpected)), one_line(f.why.expected), dim(t(L::kActual)),
                           paint(one_line(f.why.actual), status_style(Status::kFail)));
      case Status::kUnknown:
        return fmt::format("{} {} · {} {} · {}", dim(t(L::kAttribute)), path, dim(t(L::kExpected)),
                           one_line(f.why.expected),
                           paint(t(L::kKnownAfterApply), status_style(Status::kUnknown)));
      case Status::kError:
        return fmt::format("{}: {}", paint(t(L::kError), status_style(Status::kError)),
                           one_line(f.error));
      case Status::kPass:
        return {};
    }
    return {};
  }

  // ---- summary --------------------------------------------------------------------------------
  void summary() {
    os_ << '\n' << bold(t(L::kSummary)) << '\n';
    const L keys[] = {L::kControls,    L::kReadiness, L::kAutomated,  L::kFindings,
                      L::kAttestation, L::kAttested,  L::kEvidenceRow};
    std::size_t kw = 0;
    for (L k : keys) kw = std::max(kw, display_width(t(k)));
    kw += 2;
    auto row = [&](L k, const std::string& v) { os_ << "  " << pad_right(t(k), kw) << v << '\n'; };

    const auto& s = a_.summary;
    row(L::kControls,
        fmt::format("{}  {}", fmt::format(fmt::runtime(t(L::kInScope)), group_digits(s.total())),
                    counts_text(s)));
    std::size_t applicable = s.total() - s[Verdict::kNotApplicable];
    row(L::kReadiness, fmt::format("{}  {}", bold(fmt::format("{}%", pct_floor(s.readiness()))),
                                   dim(fmt::format(fmt::runtime(t(L::kReadinessDetail)),
                                                   s[Verdict::kPass], applicable))));
    const auto& au = a_.automated;
    std::size_t au_app = au.total() - au[Verdict::kNotApplicable];
    row(L::kAutomated, fmt::format("{}  {}", fmt::format("{}%", pct_floor(au.readiness())),
                                   dim(fmt::format(fmt::runtime(t(L::kAutomatedDetail)),
                                                   au[Verdict::kPass], au_app))));
    std::size_t nf = 0;
    for (auto n : a_.finding_counts) nf += n;
    row(L::kFindings, fmt::format("{}  {}", group_digits(nf), status_counts(a_.finding_counts)));
    const auto& at = a_.attested;
    if (at.total() > 0)
      row(L::kAttested,
          fmt::format("{}  {}", fmt::format("{}%", pct_floor(at.readiness())),
                      dim(fmt::format(fmt::runtime(t(L::kAttestedDetail)), at[Verdict::kPass],
                                      at.total() - at[Verdict::kNotApplicable]))));
    if (!a_.attestations.empty() || !a_.waivers.empty()) {
      std::size_t counted = 0, soon = 0, applied = 0, stale = 0, unapplied = 0;
      for (const auto& x : a_.attestations) {
        counted += x.valid;
        soon += x.valid && x.expiring_soon;
      }
      for (const auto& w : a_.waivers) {
        applied += w.valid && w.matched > 0;
        stale += w.valid && w.matched == 0;
        unapplied += !w.valid;
        soon += w.valid && w.expiring_soon;
      }
      row(L::kEvidenceRow,
          fmt::format(fmt::runtime(t(L::kEvidenceCounts)), counted,
                      a_.attestations.size() - counted, applied, stale, unapplied));
      if (soon)
        os_ << "  " << std::string(kw, ' ')
            << paint(fmt::format(fmt::runtime(t(L::kExpiringSoon)), soon),
                     fmt::fg(fmt::terminal_color::yellow))
            << '\n';
    }
    if (std::size_t m = s[Verdict::kManual]) {
      row(L::kAttestation,
          paint(m == 1 ? std::string(t(L::kManualHintOne))
                       : fmt::format(fmt::runtime(t(L::kManualHint)), group_digits(m)),
                verdict_style(Verdict::kManual)));
      os_ << "  " << std::string(kw, ' ')
          << dim(fmt::format(fmt::runtime(t(L::kManualHintCmd)), init_command())) << '\n';
    }

    // Top failing rules: severity, then failing resources, then id.
    std::map<std::uint32_t, std::set<std::uint32_t>> failing;
    for (std::size_t i = 0; i < a_.findings.size(); ++i) {
      const auto& f = a_.findings[i];
      bool waived = i < a_.finding_waiver.size() && a_.finding_waiver[i] >= 0;
      if (f.status == Status::kFail && !waived) failing[f.rule].insert(f.resource);
    }
    if (failing.empty()) return;
    std::vector<std::pair<std::uint32_t, std::size_t>> top;
    for (const auto& [r, res] : failing) top.push_back({r, res.size()});
    const auto& rules = a_.rules->rules;
    std::sort(top.begin(), top.end(), [&](const auto& x, const auto& y) {
      return std::make_tuple(-static_cast<int>(rules[x.first].severity),
                             -static_cast<long>(x.second), rules[x.first].id) <
             std::make_tuple(-static_cast<int>(rules[y.first].severity),
                             -static_cast<long>(y.second), rules[y.first].id);
    });
    std::size_t n = std::min(top.size(), kTopRules);
    std::size_t rid_w = 0, title_w = 0, count_w = 0;
    for (std::size_t i = 0; i < n; ++i) {
      count_w = std::max(count_w, display_width(resources_count(top[i].second, lang_)));
      rid_w = std::max(rid_w, display_width(rules[top[i].first].id));
      title_w = std::max(title_w,
                         display_width(truncate_width(rules[top[i].first].title.get(lang_), 48)));
    }
    os_ << "  " << t(L::kTopFailing) << '\n';
    for (std::size_t i = 0; i < n; ++i) {
      const auto& rule = rules[top[i].first];
      std::string ctl;
      const auto& ids = by_rule_[top[i].first];
      for (std::size_t k = 0; k < ids.size() && k < 6; ++k) ctl += (k ? ", " : "") + ids[k];
      if (ids.size() > 6) ctl += ", …";
      os_ << "    " << severity_cell(rule.severity) << "  " << pad_right(rule.id, rid_w) << "  "
          << pad_right(truncate_width(rule.title.get(lang_), 48), title_w) << "  "
          << pad_right(resources_count(top[i].second, lang_), count_w);
      if (!ctl.empty()) os_ << "  " << dim(fmt::format("{} {}", t(L::kControlsShort), ctl));
      os_ << '\n';
    }
  }

  void trailer() {
    if (!a_.notes.empty()) {
      os_ << '\n' << bold(t(L::kNotes)) << '\n';
      for (const auto& n : a_.notes) os_ << "  - " << one_line(n) << '\n';
    }
    if (!info_.warnings.empty()) {
      os_ << '\n'
          << paint(t(L::kWarnings), fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold)
          << '\n';
      for (const auto& w : info_.warnings) os_ << "  ! " << one_line(w) << '\n';
    }
  }
};

}  // namespace

// Every text in the report may come from an input (resource names, for_each keys, Terraform's
// version, attestations, warnings, catalog and rule files), so the whole report is escaped on the
// way out. The report's own colours survive: they are written with a marker that occurs nowhere in
// the report without colours, and only that marker becomes ESC.
void write_console(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  ReportInfo plain_info = info;
  plain_info.color = false;
  std::ostringstream plain;
  Console(plain, a, plain_info, "").write();
  if (!info.color) {
    os << escape_for_terminal(plain.str(), "");
    return;
  }
  std::string marker = marker_absent_from(plain.str());
  std::ostringstream coloured;
  Console(coloured, a, info, marker).write();
  os << escape_for_terminal(coloured.str(), marker);
}

std::string terminal_escape(std::string_view s) {
  return escape_for_terminal(s, "");
}

}  // namespace csap::report
