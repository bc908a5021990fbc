// The HTML report: one file, inline CSS and SVG, readable and filterable without JavaScript.
#include "report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "report/common.h"
#include "report/csv.h"
#include "report/labels.h"

namespace csap::report {
namespace {

using assess::Verdict;
using engine::Status;

constexpr std::size_t kMaxResources = 50;   // resources listed per rule under a control
constexpr std::size_t kTableResources = 3;  // resources named in the control table's evidence cell

// Verdicts in the order filters, legends and charts list them.
constexpr Verdict kOrder[] = {Verdict::kFail,   Verdict::kUnknown, Verdict::kManual,
                              Verdict::kWaived, Verdict::kPass,    Verdict::kNotApplicable};
// Stacking order in the bars: what is done first, then what is open.
constexpr Verdict kStack[] = {Verdict::kPass,   Verdict::kWaived,  Verdict::kNotApplicable,
                              Verdict::kManual, Verdict::kUnknown, Verdict::kFail};

std::string_view vkey(Verdict v) {
  return assess::verdict_name(v);
}

std::string_view colour(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "#2e7d32";
    case Verdict::kFail:
      return "#c62828";
    case Verdict::kUnknown:
      return "#b26a00";
    case Verdict::kManual:
      return "#1f5f99";
    case Verdict::kWaived:
      return "#6a3d9a";
    case Verdict::kNotApplicable:
      return "#8a8a8a";
  }
  return "#000";
}

std::string_view severity_key(rules::Severity s) {
  return rules::severity_name(s);
}

// A fragment id for a control: letters, digits, '-', '_' and '.' kept, the rest hex-encoded.
std::string anchor(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.')
      out += static_cast<char>(c);
    else
      out += fmt::format("_{:02x}", c);
  }
  return out;
}

std::string pct(double r) {
  // Never round up to a readiness that is not reached (99.6% is not 100%).
  return fmt::format("{}%", static_cast<long>(std::floor(r * 100.0 + 1e-9)));
}

constexpr std::string_view kCss = R"CSS(
:root{--fail:#c62828;--unknown:#b26a00;--manual:#1f5f99;--waived:#6a3d9a;--pass:#2e7d32;--na:#8a8a8a;
--ink:#1d2330;--muted:#5b6472;--line:#d9dde3;--soft:#f4f6f9;--accent:#1f4e79}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;line-height:1.55;font-size:14px;
font-family:"Noto Sans CJK KR","Noto Sans KR","Source Han Sans KR","Nanum Gothic","NanumGothic","NanumBarunGothic",
"Malgun Gothic","맑은 고딕","Apple SD Gothic Neo",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;word-break:keep-all;overflow-wrap:break-word}
code,.mono{font-family:"D2Coding","Noto Sans Mono CJK KR","Nanum Gothic Coding",ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.92em}
a{color:var(--accent)}
.wrap{max-width:1200px;margin:0 auto;padding:0 24px}
header.top{background:var(--accent);color:#fff;padding:22px 0 18px}
header.top h1{margin:0;font-size:24px;letter-spacing:-.01em}
header.top .sub{margin:4px 0 0;opacity:.9}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:18px 0 0}
dl.meta dt{font-weight:700;color:rgba(255,255,255,.78)}
dl.meta dd{margin:0}
table.inputs{border-collapse:collapse;width:100%}
table.inputs td{padding:1px 10px 1px 0;vertical-align:top}
.hash{word-break:break-all;color:var(--muted)}
header.top .hash{color:rgba(255,255,255,.8)}
.notice{margin:16px 0 0;border:1px solid #e6c200;background:#fff8d6;color:#5c4a00;border-radius:6px;padding:10px 14px}
.notice strong{margin-right:6px}
main section{margin:28px 0}
h2{font-size:19px;border-bottom:2px solid var(--accent);padding-bottom:4px;margin:0 0 14px}
h3{font-size:16px;margin:0 0 6px}
h4{font-size:14px;margin:12px 0 6px}
.overview{display:flex;flex-wrap:wrap;gap:24px;align-items:center}
.gauge{flex:0 0 220px}
.gauge svg{display:block;width:220px;height:auto}
.stats{flex:1 1 420px}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 12px;padding:0;list-style:none}
.chip{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);border-radius:999px;padding:3px 12px;background:var(--soft)}
.chip b{font-variant-numeric:tabular-nums}
.dot{width:10px;height:10px;border-radius:50%;display:inline-block;background:currentColor}
.kv{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}
.kv dt{color:var(--muted)}
.kv dd{margin:0}
figure.chart{margin:0}
figure.chart svg{display:block;width:100%;max-width:1000px;height:auto}
figure.chart figcaption{color:var(--muted);font-size:12px;margin-top:6px}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0 0;padding:0;list-style:none;font-size:13px}
.legend li{display:inline-flex;align-items:center;gap:6px}
.sw{width:12px;height:12px;border-radius:2px;display:inline-block}
.badge{display:inline-block;border-radius:4px;padding:1px 8px;font-size:12px;font-weight:700;color:#fff;white-space:nowrap}
.v-fail{background:var(--fail)}.v-unknown{background:var(--unknown)}.v-manual{background:var(--manual)}
.v-waived{background:var(--waived)}.v-pass{background:var(--pass)}.v-not-applicable{background:var(--na)}
.c-fail{color:var(--fail)}.c-unknown{color:var(--unknown)}.c-manual{color:var(--manual)}
.c-waived{color:var(--waived)}.c-pass{color:var(--pass)}.c-not-applicable{color:var(--na)}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;border:1px solid}
.sev-critical{background:#c00000;color:#fff;border-color:#c00000}.sev-high{color:#9c0006;background:#ffc7ce;border-color:#f3a3ad}
.sev-medium{color:#9c5700;background:#ffeb9c;border-color:#e8cf6b}.sev-low{color:#1f4e79;background:#ddebf7;border-color:#a9c7e6}
.sev-info{color:#595959;background:#ededed;border-color:#ccc}
.flag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;margin-left:4px}
.flag-soon{background:#ffeb9c;color:#7a4300}.flag-bad{background:#ffc7ce;color:#9c0006}.flag-ok{background:#c6efce;color:#006100}
.vf{position:absolute;opacity:0;width:1px;height:1px;margin:0;pointer-events:none}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 12px}
.filters label{cursor:pointer;border:1px solid var(--line);border-radius:999px;padding:3px 12px;background:#fff;user-select:none}
.filters label b{font-variant-numeric:tabular-nums;margin-left:4px}
.filters .search{margin-left:auto;border:1px solid var(--line);border-radius:6px;padding:4px 10px;font:inherit;min-width:220px}
#vf-all:checked~.filters label[for=vf-all],#vf-fail:checked~.filters label[for=vf-fail],
#vf-unknown:checked~.filters label[for=vf-unknown],#vf-manual:checked~.filters label[for=vf-manual],
#vf-waived:checked~.filters label[for=vf-waived],#vf-pass:checked~.filters label[for=vf-pass],
#vf-not-applicable:checked~.filters label[for=vf-not-applicable]{background:var(--accent);border-color:var(--accent);color:#fff}
.vf:focus-visible~.filters{outline:2px dashed var(--accent);outline-offset:4px}
#vf-fail:checked~.tablewrap tbody tr:not([data-verdict=fail]),
#vf-unknown:checked~.tablewrap tbody tr:not([data-verdict=unknown]),
#vf-manual:checked~.tablewrap tbody tr:not([data-verdict=manual]),
#vf-waived:checked~.tablewrap tbody tr:not([data-verdict=waived]),
#vf-pass:checked~.tablewrap tbody tr:not([data-verdict=pass]),
#vf-not-applicable:checked~.tablewrap tbody tr:not([data-verdict=not-applicable]){display:none}
tr.nomatch{display:none}
.tablewrap{overflow-x:auto}
table.grid{border-collapse:collapse;width:100%;font-size:13px}
table.grid th,table.grid td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
table.grid code,.hash{overflow-wrap:anywhere}
table.grid thead th{background:var(--accent);color:#fff;font-weight:700;position:sticky;top:0}
table.grid tbody tr:nth-child(even){background:#fafbfc}
table.grid td.id{white-space:nowrap;font-weight:700}
table.grid td.res{text-align:center}
table.grid td.small,table.grid td.ev{font-size:12px}
table.controls{table-layout:fixed;min-width:900px}
table.controls td.area{color:var(--muted);font-size:12px}
article.detail{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:12px 16px;margin:0 0 16px}
article.detail.v-border-unknown{border-left-color:var(--unknown)}
article.detail.v-border-waived{border-left-color:var(--waived)}
article.detail .area{color:var(--muted);font-size:12px;font-weight:400;margin-left:6px}
.reason{color:var(--muted);margin:2px 0 8px}
.remedy{background:var(--soft);border-radius:6px;padding:8px 12px;margin:8px 0 4px}
.remedy strong{display:block;font-size:12px;color:var(--muted)}
.seealso{color:var(--muted);font-size:13px;margin:8px 0}
.more{color:var(--muted);font-size:12px;margin:4px 0}
.empty{color:var(--muted)}
ul.plain{margin:0;padding-left:18px}
footer.bottom{border-top:1px solid var(--line);color:var(--muted);font-size:12px;padding:14px 0 30px;margin-top:30px}
@media (max-width:720px){.wrap{padding:0 12px}dl.meta{grid-template-columns:1fr}.filters .search{margin-left:0;width:100%}}
@media print{
@page{size:A4;margin:12mm 10mm}
body{font-size:9.5pt;line-height:1.4}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.wrap{max-width:none;padding:0}
header.top{padding:10px 12px}
.filters,.vf,.search{display:none!important}
table.controls tbody tr,tr.nomatch{display:table-row!important}
table.grid thead{display:table-header-group}
table.grid thead th{position:static}
tr,article.detail .rule,.overview,figure.chart,.notice{break-inside:avoid}
h2,h3,h4{break-after:avoid}
main section{margin:14px 0}
a{color:inherit;text-decoration:none}
.tablewrap{overflow:visible}
}
)CSS";

// Progressive enhancement only: a search box that narrows the control table.
constexpr std::string_view kScript = R"JS(
(function(){
  var bar=document.querySelector('#controls .filters');
  var rows=document.querySelectorAll('#controls tbody tr');
  if(!bar||!rows.length)return;
  var box=document.createElement('input');
  box.type='search';box.className='search';
  box.placeholder=bar.getAttribute('data-search')||'';
  box.setAttribute('aria-label',box.placeholder);
  bar.appendChild(box);
  box.addEventListener('input',function(){
    var q=box.value.trim().toLowerCase();
    for(var i=0;i<rows.length;i++){
      var hit=!q||rows[i].textContent.toLowerCase().indexOf(q)>=0;
      rows[i].classList.toggle('nomatch',!hit);
    }
  });
})();
)JS";

class Page {
 public:
  Page(std::ostream& os, const assess::Assessment& a, const ReportInfo& info)
      : os_(os), a_(a), info_(info), lang_(info.lang), by_rule_(controls_by_rule(a)) {}

  void write() {
    head();
    os_ << "<body>\n";
    top();
    os_ << "<main class=\"wrap\">\n";
    summary();
    areas_chart();
    controls();
    details();
    attestations();
    waivers();
    trailer();
    os_ << "</main>\n";
    os_ << "<footer class=\"bottom\"><div class=\"wrap\">" << esc(info_.tool_name) << ' '
        << esc(info_.tool_version) << " · " << esc(w("생성 시각", "Generated")) << ' '
        << esc(info_.generated_at) << "</div></footer>\n";
    os_ << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  }

 private:
  std::ostream& os_;
  const assess::Assessment& a_;
  const ReportInfo& info_;
  Lang lang_;
  std::vector<std::vector<std::string>> by_rule_;
  std::set<std::string> detailed_controls_;  // controls with a detail block
  std::map<std::pair<std::uint32_t, int>, std::string>
      detailed_;  // (rule, status) → control shown under

  std::string_view w(std::string_view ko, std::string_view en) const {
    return lang_ == Lang::kKo ? ko : en;
  }
  std::string_view t(L l) const { return tr(l, lang_); }
  static std::string esc(std::string_view s) { return html_escape(s); }
  // Escaped, with line breaks kept.
  static std::string lines(std::string_view s) {
    std::string out = html_escape(s);
    std::string r;
    r.reserve(out.size());
    for (char c : out) {
      if (c == '\n')
        r += "<br>";
      else
        r += c;
    }
    return r;
  }
  std::string verdict_badge(Verdict v) const {
    return fmt::format("<span class=\"badge v-{}\">{}</span>", vkey(v),
                       esc(checklist_verdict(v, lang_)));
  }
  std::string severity_badge(rules::Severity s) const {
    return fmt::format("<span class=\"sev sev-{}\">{}</span>", severity_key(s),
                       esc(severity_word(s, lang_)));
  }
  std::string flag(std::string_view kind, std::string_view text) const {
    return fmt::format("<span class=\"flag flag-{}\">{}</span>", kind, esc(text));
  }

  // ---- <head> ---------------------------------------------------------------------------------
  void head() {
    std::string title =
        a_.catalog ? fmt::format("{} — {}", t(L::kReportTitle), a_.catalog->title.get(lang_))
                   : std::string(t(L::kReportTitle));
    os_ << "<!DOCTYPE html>\n<html lang=\"" << (lang_ == Lang::kKo ? "ko" : "en") << "\">\n<head>\n"
        << "<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'; "
           "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
        << "<meta name=\"referrer\" content=\"no-referrer\">\n"
        << "<meta name=\"generator\" content=\"" << esc(info_.tool_name) << ' '
        << esc(info_.tool_version) << "\">\n"
        << "<title>" << esc(title) << "</title>\n"
        << "<style>" << kCss << "</style>\n</head>\n";
  }

  // ---- header ---------------------------------------------------------------------------------
  void top() {
    os_ << "<header class=\"top\"><div class=\"wrap\">\n";
    os_ << "<h1>" << esc(t(L::kReportTitle)) << "</h1>\n";
    const catalog::Catalog* c = a_.catalog;
    if (c && !c->title.empty()) os_ << "<p class=\"sub\">" << esc(c->title.get(lang_)) << "</p>\n";
    os_ << "<dl class=\"meta\">\n";
    if (c)
      os_ << "<dt>" << esc(t(L::kCatalog)) << "</dt><dd><code>" << esc(c->id) << "</code> "
          << esc(c->version) << " (" << esc(catalog_status_word(c->status, lang_)) << ")</dd>\n";
    std::string prof = profile_text(a_, lang_);
    os_ << "<dt>" << esc(t(L::kProfile)) << "</dt><dd>";
    if (!a_.profile.id.empty()) os_ << "<code>" << esc(a_.profile.id) << "</code> — ";
    os_ << esc(prof) << "</dd>\n";
    os_ << "<dt>" << esc(t(L::kInputs)) << "</dt><dd>";
    const Deployment* d = a_.deployment;
    if (!d || d->inputs.empty()) {
      os_ << esc(t(L::kNoInputs));
    } else {
      os_ << "<table class=\"inputs\">";
      for (const auto& in : d->inputs) {
        std::string kind = in.kind;
        if (!in.format_version.empty())
          kind += fmt::format(", {} {}", t(L::kFormat), in.format_version);
        if (!in.tool_version.empty())
          kind += fmt::format(", {} {}", t(L::kTerraform), in.tool_version);
        os_ << "<tr><td><code>" << esc(in.path) << "</code></td><td>" << esc(kind)
            << "</td><td class=\"hash mono\">sha256:" << esc(in.sha256) << "</td></tr>";
      }
      os_ << "</table>";
    }
    os_ << "</dd>\n";
    os_ << "<dt>" << esc(t(L::kResources)) << "</dt><dd>"
        << esc(group_digits(d ? d->resources.size() : 0)) << "</dd>\n";
    os_ << "<dt>" << esc(w("도구", "Tool")) << "</dt><dd>" << esc(info_.tool_name) << ' '
        << esc(info_.tool_version) << "</dd>\n";
    if (!info_.generated_at.empty())
      os_ << "<dt>" << esc(t(L::kGenerated)) << "</dt><dd><time>" << esc(info_.generated_at)
          << "</time></dd>\n";
    os_ << "</dl>\n";
    if (c && (c->status == "structure" || !c->notice.empty())) {
      std::string text =
          c->notice.empty() ? std::string(t(L::kStructureNotice)) : c->notice.get(lang_);
      os_ << "<div class=\"notice\" role=\"note\"><strong>" << esc(t(L::kNotice)) << "</strong>"
          << esc(text) << "</div>\n";
    }
    os_ << "</div></header>\n";
  }

  // ---- summary: gauge and counts ----------------------------------------------------------------
  void summary() {
    const auto& s = a_.summary;
    double r = s.readiness();
    std::size_t applicable = s.total() - s[Verdict::kNotApplicable];
    os_ << "<section id=\"summary\">\n<h2>" << esc(t(L::kSummary))
        << "</h2>\n<div class=\"overview\">\n";
    // A half-circle gauge: the readiness of the whole profile.
    double filled = std::clamp(r, 0.0, 1.0) * 100.0;
    os_ << "<div class=\"gauge\"><svg viewBox=\"0 0 220 132\" role=\"img\" "
           "aria-labelledby=\"gauge-title\">"
        << "<title id=\"gauge-title\">" << esc(t(L::kReadiness)) << ' ' << pct(r) << "</title>"
        << "<path d=\"M20 116 A90 90 0 0 1 200 116\" fill=\"none\" stroke=\"#e3e7ec\" "
           "stroke-width=\"22\" "
           "stroke-linecap=\"butt\" pathLength=\"100\"/>";
    if (filled > 0)
      os_ << fmt::format(
          "<path d=\"M20 116 A90 90 0 0 1 200 116\" fill=\"none\" stroke=\"{}\" "
          "stroke-width=\"22\" "
          "pathLength=\"100\" stroke-dasharray=\"{:.2f} 100\"/>",
          colour(Verdict::kPass), filled);
    os_ << "<text x=\"110\" y=\"100\" text-anchor=\"middle\" font-size=\"34\" font-weight=\"700\" "
           "fill=\"#1d2330\">"
        << pct(r) << "</text>"
        << "<text x=\"110\" y=\"126\" text-anchor=\"middle\" font-size=\"14\" fill=\"#5b6472\">"
        << esc(t(L::kReadiness)) << "</text></svg></div>\n";

    os_ << "<div class=\"stats\">\n<ul class=\"chips\">";
    for (Verdict v : kOrder)
      os_ << "<li class=\"chip c-" << vkey(v)
          << "\"><span class=\"dot\"></span><span style=\"color:#1d2330\">"
          << esc(checklist_verdict(v, lang_)) << "</span> <b style=\"color:#1d2330\">" << s[v]
          << "</b></li>";
    os_ << "</ul>\n<dl class=\"kv\">\n";
    os_ << "<dt>" << esc(t(L::kControls)) << "</dt><dd>"
        << esc(fmt::format(fmt::runtime(t(L::kInScope)), group_digits(s.total()))) << "</dd>\n";
    os_ << "<dt>" << esc(t(L::kReadiness)) << "</dt><dd><b>" << pct(r) << "</b> — "
        << esc(fmt::format(fmt::runtime(t(L::kReadinessDetail)), s[Verdict::kPass], applicable))
        << "</dd>\n";
    const auto& au = a_.automated;
    os_ << "<dt>" << esc(t(L::kAutomated)) << "</dt><dd>" << pct(au.readiness()) << " — "
        << esc(fmt::format(fmt::runtime(t(L::kAutomatedDetail)), au[Verdict::kPass],
                           au.total() - au[Verdict::kNotApplicable]))
        << "</dd>\n";
    std::size_t nf = 0;
    for (auto n : a_.finding_counts) nf += n;
    os_ << "<dt>" << esc(t(L::kFindings)) << "</dt><dd>" << esc(group_digits(nf));
    constexpr Status sorder[] = {Status::kFail, Status::kUnknown, Status::kError, Status::kPass};
    for (Status st : sorder)
      os_ << " · " << esc(status_word(st, lang_)) << ' '
          << a_.finding_counts[static_cast<std::size_t>(st)];
    os_ << "</dd>\n</dl>\n</div>\n</div>\n</section>\n";
  }

  // ---- readiness per area: stacked bars ---------------------------------------------------------
  void areas_chart() {
    os_ << "<section id=\"areas\">\n<h2>" << esc(w("분야별 준비도", "Readiness by area"))
        << "</h2>\n";
    if (a_.areas.empty()) {
      os_ << "<p class=\"empty\">" << esc(t(L::kNoControls)) << "</p>\n</section>\n";
      return;
    }
    constexpr int kLabelW = 300, kBarX = 310, kBarW = 560, kRowH = 30, kTop = 8;
    const int height = kTop + static_cast<int>(a_.areas.size()) * kRowH + 8;
    os_ << "<figure class=\"chart\"><svg viewBox=\"0 0 960 " << height
        << "\" role=\"img\" aria-labelledby=\"chart-title\">"
        << "<title id=\"chart-title\">" << esc(w("분야별 준비도", "Readiness by area"))
        << "</title>\n";
    int y = kTop;
    for (const auto& ar : a_.areas) {
      const auto& c = ar.counts;
      std::string name = fmt::format("{} {}", ar.area->id, ar.area->title.get(lang_));
      std::string label = truncate_width(name, 40);
      os_ << "<g class=\"area\" data-area=\"" << esc(ar.area->id) << "\">";
      os_ << "<text x=\"" << kLabelW << "\" y=\"" << y + 19
          << "\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2330\">" << esc(label) << "<title>"
          << esc(name) << "</title></text>";
      os_ << "<rect x=\"" << kBarX << "\" y=\"" << y + 5 << "\" width=\"" << kBarW
          << "\" height=\"20\" rx=\"3\" fill=\"#eef1f4\"/>";
      double total = static_cast<double>(c.total());
      double x = kBarX;
      if (total > 0)
        for (Verdict v : kStack) {
          if (c[v] == 0) continue;
          double wdt = kBarW * static_cast<double>(c[v]) / total;
          os_ << fmt::format(
              "<rect class=\"seg v-{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\" "
              "fill=\"{}\">"
              "<title>{} {}</title></rect>",
              vkey(v), x, y + 5, wdt, colour(v), esc(checklist_verdict(v, lang_)), c[v]);
          x += wdt;
        }
      os_ << "<text x=\"" << kBarX + kBarW + 10 << "\" y=\"" << y + 20
          << "\" font-size=\"13\" font-weight=\"700\" fill=\"#1d2330\">" << pct(c.readiness())
          << "</text>";
      os_ << "<text x=\"" << kBarX + kBarW + 56 << "\" y=\"" << y + 20
          << "\" font-size=\"12\" fill=\"#5b6472\">"
          << esc(fmt::format("{}/{}", c[Verdict::kPass], c.total() - c[Verdict::kNotApplicable]))
          << "</text>";
      os_ << "</g>\n";
      y += kRowH;
    }
    os_ << "</svg>\n<ul class=\"legend\">";
    for (Verdict v : kStack)
      os_ << "<li><span class=\"sw\" style=\"background:" << colour(v) << "\"></span>"
          << esc(checklist_verdict(v, lang_)) << "</li>";
    os_ << "</ul>\n<figcaption>"
        << esc(w("막대: 분야별 통제의 점검결과 구성. 숫자: 준비도(적합 ÷ 해당 통제).",
                 "Bars: the results of each area's controls. Numbers: readiness (pass ÷ applicable "
                 "controls)."))
        << "</figcaption></figure>\n</section>\n";
  }

  // ---- control table with filters
  // -----------------------------------------------------------------
  void controls() {
    auto rows = checklist_rows(a_, lang_, kTableResources);
    for (const auto& r : rows)
      if (r.verdict == Verdict::kFail || r.verdict == Verdict::kUnknown ||
          r.verdict == Verdict::kWaived)
        detailed_controls_.insert(r.id);
    os_ << "<section id=\"controls\">\n<h2>" << esc(w("통제 항목별 점검결과", "Results by control"))
        << "</h2>\n";
    os_ << "<input type=\"radio\" name=\"vf\" id=\"vf-all\" class=\"vf\" checked>";
    for (Verdict v : kOrder)
      os_ << "<input type=\"radio\" name=\"vf\" id=\"vf-" << vkey(v) << "\" class=\"vf\">";
    os_ << "\n<div class=\"filters\" role=\"group\" aria-label=\""
        << esc(w("점검결과로 거르기", "Filter by result")) << "\" data-search=\""
        << esc(w("통제·자원 검색", "Search controls and resources")) << "\">";
    os_ << "<label for=\"vf-all\">" << esc(w("전체", "All")) << "<b>" << rows.size()
        << "</b></label>";
    for (Verdict v : kOrder)
      os_ << "<label for=\"vf-" << vkey(v) << "\" class=\"c-" << vkey(v)
          << "\"><span class=\"dot\"></span> " << esc(checklist_verdict(v, lang_)) << "<b>"
          << a_.summary[v] << "</b></label>";
    os_ << "</div>\n";
    if (rows.empty()) {
      os_ << "<p class=\"empty\">" << esc(t(L::kNoControls)) << "</p>\n</section>\n";
      return;
    }
    os_ << "<div class=\"tablewrap\"><table class=\"grid controls\">\n<colgroup><col "
           "style=\"width:13%\">"
           "<col style=\"width:7%\"><col style=\"width:13%\"><col style=\"width:9%\"><col "
           "style=\"width:33%\">"
           "<col style=\"width:9%\"><col style=\"width:16%\"></colgroup>\n<thead><tr>";
    for (CL h : {CL::kArea, CL::kControlId, CL::kControlTitle, CL::kResult, CL::kEvidence,
                 CL::kOwner, CL::kNote})
      os_ << "<th scope=\"col\">" << esc(cl(h, lang_)) << "</th>";
    os_ << "</tr></thead>\n<tbody>\n";
    for (const auto& r : rows) {
      os_ << "<tr id=\"" << anchor("c-", r.id) << "\" data-verdict=\"" << vkey(r.verdict)
          << "\" data-area=\"" << esc(r.area_id) << "\">";
      os_ << "<td class=\"area\">" << esc(r.area);
      if (!r.item.empty() && r.item.rfind(r.id + " ", 0) != 0) os_ << "<br>" << esc(r.item);
      os_ << "</td>";
      os_ << "<td class=\"id\">";
      if (detailed_controls_.count(r.id))
        os_ << "<a href=\"#" << anchor("d-", r.id) << "\">" << esc(r.id) << "</a>";
      else
        os_ << esc(r.id);
      os_ << "</td><td>" << esc(r.title) << "</td><td class=\"res\">" << verdict_badge(r.verdict)
          << "</td>";
      os_ << "<td class=\"ev\">" << lines(r.evidence) << "</td><td class=\"small\">"
          << lines(r.owner) << "</td><td class=\"small\">" << lines(r.note);
      if (r.expiring_soon) os_ << ' ' << flag("soon", cl(CL::kExpiringSoon, lang_));
      os_ << "</td></tr>\n";
    }
    os_ << "</tbody></table></div>\n</section>\n";
  }

  // ---- failures with resources and remediation
  // -----------------------------------------------------
  void details() {
    os_ << "<section id=\"failures\">\n<h2>"
        << esc(w("부적합·확인 필요 상세", "Failures and open findings")) << "</h2>\n";
    if (detailed_controls_.empty()) {
      os_ << "<p class=\"empty\">"
          << esc(w("부적합이나 확인 불가 통제가 없습니다.", "No control fails or is undecided."))
          << "</p>\n</section>\n";
      return;
    }
    for (const auto& cr : a_.controls) {
      if (!detailed_controls_.count(cr.control->id)) continue;
      const catalog::Control* area = a_.catalog ? a_.catalog->area_of(cr.control->id) : nullptr;
      std::string cls =
          cr.verdict == Verdict::kFail ? "" : fmt::format(" v-border-{}", vkey(cr.verdict));
      os_ << "<article class=\"detail" << cls << "\" id=\"" << anchor("d-", cr.control->id)
          << "\" data-verdict=\"" << vkey(cr.verdict) << "\">\n<h3>" << verdict_badge(cr.verdict)
          << ' ' << esc(cr.control->id) << ' ' << esc(cr.control->title.get(lang_));
      if (area && area != cr.control)
        os_ << "<span class=\"area\">" << esc(area->id) << ' ' << esc(area->title.get(lang_))
            << "</span>";
      os_ << "</h3>\n";
      if (!cr.reason.empty())
        os_ << "<p class=\"reason\">" << esc(cr.reason.get(lang_)) << "</p>\n";
      rules_under(cr);
      os_ << "</article>\n";
    }
    os_ << "</section>\n";
  }

  // Key for the state of a control's k-th finding: fail 0, error 1, unknown 2, waived 3.
  int state(const assess::ControlResult& cr, std::size_t k) const {
    return finding_state_rank(a_, cr, k);
  }

  void rules_under(const assess::ControlResult& cr) {
    std::map<std::pair<int, std::uint32_t>, std::vector<std::size_t>> groups;  // (state, rule) → k
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      int s = state(cr, k);
      if (s < 4) groups[{s, a_.findings[cr.findings[k]].rule}].push_back(k);
    }
    std::vector<std::pair<int, std::uint32_t>> order;
    for (const auto& [k, _] : groups) order.push_back(k);
    const auto& rules = a_.rules->rules;
    std::stable_sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
      return std::make_tuple(x.first, -static_cast<int>(rules[x.second].severity),
                             rules[x.second].id) <
             std::make_tuple(y.first, -static_cast<int>(rules[y.second].severity),
                             rules[y.second].id);
    });
    std::set<std::uint32_t> remediated;  // rules whose remediation this control has shown
    for (const auto& key : order) {
      const rules::Rule& rule = rules[key.second];
      const auto& list = groups[key];
      std::string_view word = key.first == 0   ? status_word(Status::kFail, lang_)
                              : key.first == 1 ? status_word(Status::kError, lang_)
                              : key.first == 2 ? status_word(Status::kUnknown, lang_)
                                               : checklist_verdict(Verdict::kWaived, lang_);
      os_ << "<div class=\"rule\">\n<h4>" << severity_badge(rule.severity) << " <code>"
          << esc(rule.id) << "</code> " << esc(rule.title.get(lang_)) << " <span class=\"more\">("
          << esc(word) << ", " << esc(resources_count(list.size(), lang_)) << ")</span></h4>\n";
      auto dk = std::make_pair(key.second, key.first);
      if (auto it = detailed_.find(dk); it != detailed_.end()) {
        os_ << "<p class=\"seealso\"><a href=\"#" << anchor("d-", it->second) << "\">"
            << esc(fmt::format(fmt::runtime(t(L::kSeeAbove)), it->second)) << "</a></p>\n</div>\n";
        continue;
      }
      detailed_[dk] = cr.control->id;
      os_ << "<div class=\"tablewrap\"><table class=\"grid findings\"><thead><tr>";
      for (CL h : {CL::kResource, CL::kLocation, CL::kAttribute, CL::kExpected, CL::kActual})
        os_ << "<th scope=\"col\">" << esc(cl(h, lang_)) << "</th>";
      os_ << "</tr></thead><tbody>\n";
      std::size_t shown = 0;
      for (std::size_t k : list) {
        if (shown == kMaxResources) break;
        ++shown;
        const auto& f = a_.findings[cr.findings[k]];
        std::string actual;
        if (key.first == 3) {
          const auto& wv = a_.waivers[static_cast<std::size_t>(waiver_at(a_, cr, k))];
          actual = fmt::format("{} — {}", safe(f.why.actual), people_text(wv.reason, 400));
        } else if (f.status == Status::kFail) {
          actual = safe(f.why.actual);
        } else if (f.status == Status::kUnknown) {
          actual = std::string(t(L::kKnownAfterApply));
        } else if (f.status == Status::kError) {
          actual = fmt::format("{}: {}", t(L::kError), safe(f.error));
        }
        std::string loc;
        if (auto l = finding_location(a_, f))
          loc = l->line > 0 ? fmt::format("{}:{}", l->file, l->line) : l->file;
        os_ << "<tr data-status=\"" << (key.first == 3 ? "waived" : engine::status_name(f.status))
            << "\"><td><code>" << esc(safe(a_.deployment->resources[f.resource].address))
            << "</code></td><td class=\"small\">" << esc(loc) << "</td><td><code>"
            << esc(f.why.path.empty() ? "-" : safe(f.why.path)) << "</code></td><td>"
            << esc(safe(f.why.expected)) << "</td><td>" << esc(actual) << "</td></tr>\n";
      }
      os_ << "</tbody></table></div>\n";
      if (list.size() > shown)
        os_ << "<p class=\"more\">"
            << esc(fmt::format(fmt::runtime(cl(CL::kMoreFindings, lang_)),
                               group_digits(list.size() - shown)))
            << "</p>\n";
      std::string rem = rule.remediation.get(lang_);
      while (!rem.empty() && (rem.back() == '\n' || rem.back() == ' ')) rem.pop_back();
      if (key.first != 1 && !rem.empty() && remediated.insert(key.second).second)
        os_ << "<div class=\"remedy\"><strong>" << esc(t(L::kRemediation)) << "</strong>"
            << lines(rem) << "</div>\n";
      os_ << "</div>\n";
    }
  }

  // ---- attestations and waivers
  // -------------------------------------------------------------------
  std::string expiry(const std::string& date, bool soon, bool expired) const {
    std::string out = esc(date.empty() ? "-" : date);
    if (expired)
      out += flag("bad", cl(CL::kExpired, lang_));
    else if (soon)
      out += flag("soon", w("만료 임박", "expires soon"));
    return out;
  }

  void attestations() {
    os_ << "<section id=\"evidence\">\n<h2>"
        << esc(w("증적 확인(Attestation)", "Attestations and evidence")) << "</h2>\n";
    if (a_.attestations.empty()) {
      os_ << "<p class=\"empty\">"
          << esc(w("제출된 증적 확인이 없습니다. 수동 확인 통제는 증적 확인 파일(--attest)로 "
                   "제출하십시오.",
                   "No attestation was given. Controls that need people's evidence take an "
                   "attestation file (--attest)."))
          << "</p>\n</section>\n";
      return;
    }
    os_ << "<div class=\"tablewrap\"><table class=\"grid attestations\"><thead><tr>";
    for (std::string_view h :
         {cl(CL::kControlId, lang_), cl(CL::kStatus, lang_), w("진술", "Statement"),
          cl(CL::kEvidenceFiles, lang_), cl(CL::kOwner, lang_), w("검토일", "Reviewed"),
          cl(CL::kExpires, lang_), cl(CL::kState, lang_)})
      os_ << "<th scope=\"col\">" << esc(h) << "</th>";
    os_ << "</tr></thead><tbody>\n";
    for (const auto& at : a_.attestations) {
      bool expired = !at.valid && !at.expires.empty() && !a_.today.empty() && at.expires < a_.today;
      os_ << "<tr><td class=\"id\">" << esc(at.control) << "</td><td>"
          << esc(attestation_status_word(at.status, lang_)) << "</td><td>"
          << lines(people_text(at.statement, 4000));
      if (!at.reason.empty())
        os_ << "<br><span class=\"more\">" << lines(people_text(at.reason, 4000)) << "</span>";
      os_ << "</td><td class=\"small\"><ul class=\"plain\">";
      for (const auto& e : at.evidence) {
        os_ << "<li><code>" << esc(cell_text(e.path, 500)) << "</code>";
        if (!e.sha256.empty())
          os_ << " <span class=\"hash mono\" title=\"sha256:" << esc(e.sha256)
              << "\">sha256:" << esc(e.sha256.substr(0, 12)) << "</span>";
        if (!e.exists)
          os_ << flag("bad", cl(CL::kMissing, lang_));
        else if (e.changed)
          os_ << flag("bad", cl(CL::kChanged, lang_));
        os_ << "</li>";
      }
      os_ << "</ul></td><td>" << esc(people_text(at.owner, 200)) << "</td><td>" << esc(at.reviewed)
          << "</td><td>" << expiry(at.expires, at.expiring_soon, expired) << "</td><td>";
      if (at.valid)
        os_ << flag("ok", cl(CL::kValid, lang_));
      else
        os_ << flag("bad", at.problem.empty() ? cl(CL::kExpired, lang_)
                                              : std::string_view(at.problem.get(lang_)));
      os_ << "</td></tr>\n";
    }
    os_ << "</tbody></table></div>\n</section>\n";
  }

  void waivers() {
    os_ << "<section id=\"waivers\">\n<h2>" << esc(w("예외 승인(Waiver)", "Waivers")) << "</h2>\n";
    if (a_.waivers.empty()) {
      os_ << "<p class=\"empty\">" << esc(w("예외 승인이 없습니다.", "No waiver was given."))
          << "</p>\n</section>\n";
      return;
    }
    os_ << "<div class=\"tablewrap\"><table class=\"grid waivers\"><thead><tr>";
    for (std::string_view h : {cl(CL::kTarget, lang_), cl(CL::kScope, lang_), w("사유", "Reason"),
                               w("승인자", "Approved by"), cl(CL::kExpires, lang_),
                               cl(CL::kState, lang_), cl(CL::kSource, lang_)})
      os_ << "<th scope=\"col\">" << esc(h) << "</th>";
    os_ << "</tr></thead><tbody>\n";
    for (const auto& wv : a_.waivers) {
      bool expired = !wv.valid && !wv.expires.empty() && !a_.today.empty() && wv.expires < a_.today;
      os_ << "<tr><td class=\"id\"><code>" << esc(!wv.rule.empty() ? wv.rule : wv.control)
          << "</code></td><td><code>" << esc(wv.resource.empty() ? "*" : safe(wv.resource))
          << "</code></td><td>" << lines(people_text(wv.reason, 4000)) << "</td><td>"
          << esc(people_text(wv.approved_by, 200)) << "</td><td>"
          << expiry(wv.expires, wv.expiring_soon, expired) << "</td><td>";
      if (!wv.valid)
        os_ << flag("bad", wv.problem.empty() ? cl(CL::kExpired, lang_)
                                              : std::string_view(wv.problem.get(lang_)));
      else if (wv.matched == 0)
        os_ << flag("bad", cl(CL::kStale, lang_));
      else
        os_ << flag("ok", cl(CL::kValid, lang_)) << ' ' << esc(resources_count(wv.matched, lang_));
      os_ << "</td><td class=\"small\">" << esc(safe(wv.source)) << "</td></tr>\n";
    }
    os_ << "</tbody></table></div>\n</section>\n";
  }

  void trailer() {
    if (!a_.notes.empty()) {
      os_ << "<section id=\"notes\"><h2>" << esc(t(L::kNotes)) << "</h2><ul>";
      for (const auto& n : a_.notes) os_ << "<li>" << esc(safe(n)) << "</li>";
      os_ << "</ul></section>\n";
    }
    if (!info_.warnings.empty()) {
      os_ << "<section id=\"warnings\"><h2>" << esc(t(L::kWarnings)) << "</h2><ul>";
      for (const auto& x : info_.warnings) os_ << "<li>" << esc(safe(x)) << "</li>";
      os_ << "</ul></section>\n";
    }
  }
};

}  // namespace

std::string html_escape(std::string_view in) {
  std::string valid =
      cell_text(in, std::numeric_limits<std::size_t>::max());  // valid UTF-8, no control characters
  std::string_view s = valid;
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void write_html(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  Page(os, a, info).write();
}

}  // namespace csap::report
