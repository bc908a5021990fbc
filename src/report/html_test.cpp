// The HTML report: golden files (src/report/testdata; CSAP_UPDATE_GOLDEN=1 rewrites them),
// escaping, self-containment (nothing loaded from anywhere), the filters and counts, and no
// sensitive values. tests/browser/html_report.sh renders it in a real browser.
#include "report/html.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <sstream>

#include "report/csv.h"
#include "report_fixture.h"

namespace csap::report {
namespace {

using namespace fixture;

std::string render_html(const assess::Assessment& a, Lang lang) {
  std::ostringstream os;
  write_html(os, a, info(lang));
  return os.str();
}

std::size_t count(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

TEST(ReportHtml, Golden) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kKo, Lang::kEn})
    expect_golden("report_" + lang_name(lang) + ".html", render_html(fx->a, lang));
}

TEST(ReportHtml, EscapesEverything) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_escape("한글 \x01\xff"), "한글  \xEF\xBF\xBD");

  auto fx = make_fixture();
  std::string out = render_html(fx->a, Lang::kKo);
  EXPECT_EQ(out.find("<script>alert"), std::string::npos);
  EXPECT_EQ(out.find("<img"), std::string::npos);
  EXPECT_NE(out.find("aws_s3_bucket.site[&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;]"),
            std::string::npos);
  EXPECT_NE(out.find("&lt;img src=x onerror=alert(2)&gt;, &quot;public&quot;"), std::string::npos);
  // The only script is the page's own search box.
  EXPECT_EQ(count(out, "<script"), 1u);
}

TEST(ReportHtml, SelfContained) {
  auto fx = make_fixture();
  std::string out = render_html(fx->a, Lang::kKo);
  // Nothing is fetched: no URLs, no external stylesheets, scripts, images, fonts or frames.
  for (std::string_view bad :
       {"http://", "https://", "//cdn", "<link", " src=\"", "@import", "url(", "<iframe", "<object",
        "<embed", "@font-face", "fetch(", "XMLHttpRequest"})
    EXPECT_EQ(out.find(bad), std::string::npos) << bad;
  EXPECT_NE(out.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_NE(out.find("<style>"), std::string::npos);
  EXPECT_NE(out.find("@media print"), std::string::npos);
  EXPECT_NE(out.find("<html lang=\"ko\">"), std::string::npos);
  EXPECT_NE(out.find("Noto Sans CJK KR"), std::string::npos);
  EXPECT_NE(out.find("Malgun Gothic"), std::string::npos);
  EXPECT_NE(out.find("NanumGothic"), std::string::npos);
  EXPECT_NE(render_html(fx->a, Lang::kEn).find("<html lang=\"en\">"), std::string::npos);
}

TEST(ReportHtml, HeaderChartTableDetails) {
  auto fx = make_fixture();
  std::string out = render_html(fx->a, Lang::kKo);
  // Header: catalog, profile, inputs with the full hash, tool version, date, structural notice.
  EXPECT_NE(out.find("<code>testcat</code> 2024-01 (구조 목록)"), std::string::npos);
  EXPECT_NE(out.find("<code>saas-moderate</code>"), std::string::npos);
  EXPECT_NE(out.find("sha256:" + std::string(64, 'a')), std::string::npos);
  EXPECT_NE(out.find("csapcheck 9.9.9"), std::string::npos);
  EXPECT_NE(out.find("2026-03-02T09:15:00Z"), std::string::npos);
  EXPECT_NE(
      out.find(
          "class=\"notice\" role=\"note\"><strong>알림</strong>이 목록은 구조만 담고 있습니다"),
      std::string::npos);
  // The chart: one bar group per area, and the gauge.
  EXPECT_EQ(count(out, "<g class=\"area\""), fx->a.areas.size());
  EXPECT_NE(out.find("분야별 준비도"), std::string::npos);
  EXPECT_NE(out.find("aria-labelledby=\"gauge-title\""), std::string::npos);
  // The table: one row per control, filter radios for every verdict, counts on the labels.
  const auto& s = fx->a.summary;
  EXPECT_EQ(count(out, "<tr id=\"c-"), fx->a.controls.size());
  EXPECT_EQ(count(out, "<tr id=\"c-1.1\" data-verdict=\"fail\""), 1u);
  const RE2 fail_rows("<tr id=\"c-[^\"]+\" data-verdict=\"fail\"");
  std::size_t n_fail = 0;
  for (re2::StringPiece in(out); RE2::FindAndConsume(&in, fail_rows);) ++n_fail;
  EXPECT_EQ(static_cast<std::size_t>(n_fail), s[assess::Verdict::kFail]);
  for (std::string_view v :
       {"all", "fail", "unknown", "manual", "waived", "pass", "not-applicable"})
    EXPECT_NE(out.find(fmt::format("<input type=\"radio\" name=\"vf\" id=\"vf-{}\"", v)),
              std::string::npos)
        << v;
  EXPECT_NE(out.find("#vf-fail:checked~.tablewrap tbody tr:not([data-verdict=fail])"),
            std::string::npos);
  // Failures: each with its resources and remediation; a rule shown once, then referred to.
  EXPECT_NE(out.find("<article class=\"detail\" id=\"d-1.1\""), std::string::npos);
  EXPECT_NE(out.find("<article class=\"detail v-border-waived\" id=\"d-2.1\""), std::string::npos);
  EXPECT_NE(out.find("<strong>조치 방법</strong>버킷에 encrypted = true를 설정하십시오."),
            std::string::npos);
  EXPECT_NE(out.find("<td class=\"small\">plan.json:12</td>"), std::string::npos);
  // Evidence and waivers with their expiry and flags.
  EXPECT_NE(out.find("2026-03-19<span class=\"flag flag-soon\">만료 임박</span>"),
            std::string::npos);
  EXPECT_NE(out.find("2026-03-20<span class=\"flag flag-soon\">만료 임박</span>"),
            std::string::npos);
  EXPECT_NE(out.find("<span class=\"flag flag-bad\">미사용(해당 부적합 없음)</span>"),
            std::string::npos);
  EXPECT_NE(out.find("<span class=\"flag flag-bad\">해시 변경</span>"), std::string::npos);
  EXPECT_NE(out.find("sha256:bbbbbbbbbbbb"), std::string::npos);
}

TEST(ReportHtml, NoSensitiveValues) {
  auto fx = make_fixture();
  for (Lang lang : {Lang::kKo, Lang::kEn}) expect_no_secrets(render_html(fx->a, lang));
}

TEST(ReportHtml, EmptyAssessmentIsStillAPage) {
  catalog::Catalog cat;
  cat.id = "empty";
  cat.version = "1";
  cat.status = "custom";
  rules::RuleSet rules;
  Deployment d;
  assess::Assessment a;
  a.catalog = &cat;
  a.rules = &rules;
  a.deployment = &d;
  std::ostringstream os;
  write_html(os, a, info(Lang::kEn));
  std::string out = os.str();
  EXPECT_NE(out.find("</html>"), std::string::npos);
  EXPECT_NE(out.find("(no inputs)"), std::string::npos);
  EXPECT_NE(out.find("No control fails or is undecided."), std::string::npos);
}

}  // namespace
}  // namespace csap::report
