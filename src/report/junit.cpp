// JUnit XML, valid against the Apache Ant JUnit schema (windyroad JUnit.xsd): <testsuites> holds
// only <testsuite> elements; each suite carries name, package, id, timestamp (no zone), hostname,
// tests, failures, errors, skipped and time, then <properties>, the test cases, <system-out> and
// <system-err>; a test case holds at most one of <skipped>, <error>, <failure>.
#include "report/junit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <pugixml.hpp>

#include "report/common.h"
#include "report/labels.h"
#include "report/sarif_oscal_util.h"

namespace csap::report {
namespace {

using assess::Verdict;
using engine::Status;

// Resources listed per rule in a failure or skipped body before "… and N more".
constexpr std::size_t kMaxListed = 100;

const Text kKnownOnlyAfterApply = {"적용(apply) 후에야 알 수 있음", "known only after apply"};
const Text kMissing = {"(파일 없음)", "(missing)"};
const Text kNoEvidenceExpected = {"필요 증적이 지정되지 않음", "no evidence named"};

std::string where(const assess::Assessment& a, const engine::Finding& f) {
  const Resource& r = a.deployment->resources[f.resource];
  std::string s = safe(r.address);
  if (auto loc = finding_location(a, f)) {
    if (loc->line > 0 && loc->column > 0)
      s += fmt::format(" ({}:{}:{})", loc->file, loc->line, loc->column);
    else if (loc->line > 0)
      s += fmt::format(" ({}:{})", loc->file, loc->line);
    else
      s += fmt::format(" ({})", loc->file);
  }
  return s;
}

// The findings of `cr` with `status` (waived ones left out unless `waived`), grouped by rule in
// the control's rule order.
std::vector<std::pair<std::string, std::vector<std::size_t>>> by_rule(
    const assess::Assessment& a, const assess::ControlResult& cr, Status status, bool waived) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> out;
  for (const auto& id : cr.rules) {
    std::vector<std::size_t> v;
    for (std::size_t k = 0; k < cr.findings.size(); ++k) {
      std::size_t fi = cr.findings[k];
      const auto& f = a.findings[fi];
      if (f.status != status || a.rules->rules[f.rule].id != id) continue;
      if ((waiver_in_control(a, cr, k) != nullptr) != waived) continue;
      v.push_back(fi);
    }
    if (!v.empty()) out.emplace_back(id, std::move(v));
  }
  return out;
}

std::string listing(const assess::Assessment& a,
                    const std::vector<std::pair<std::string, std::vector<std::size_t>>>& groups,
                    Lang lang, bool details) {
  std::string out;
  for (const auto& [id, fis] : groups) {
    const rules::Rule& rule = a.rules->rules[a.findings[fis.front()].rule];
    out += fmt::format("[{}] {} {} ({})\n", severity_word(rule.severity, lang), rule.id,
                       rule.title.get(lang).empty() ? rule.id : rule.title.get(lang),
                       resources_count(fis.size(), lang));
    std::size_t n = std::min(fis.size(), kMaxListed);
    for (std::size_t k = 0; k < n; ++k) {
      const auto& f = a.findings[fis[k]];
      out += "  " + where(a, f) + "\n";
      if (details && !f.why.path.empty()) {
        std::string line = fmt::format("    {} {}", tr(L::kAttribute, lang), safe(f.why.path));
        if (!f.why.expected.empty())
          line += fmt::format(" · {} {}", tr(L::kExpected, lang), safe(f.why.expected));
        if (f.status == Status::kFail && !f.why.actual.empty())
          line += fmt::format(" · {} {}", tr(L::kActual, lang), safe(f.why.actual));
        out += line + "\n";
      }
      if (f.status == Status::kError)
        out += fmt::format("    {}: {}\n", tr(L::kError, lang), safe(f.error));
    }
    if (fis.size() > n)
      out += "  " + fmt::format(fmt::runtime(tr(L::kAndMore, lang)), group_digits(fis.size() - n)) +
             "\n";
    if (details && !rule.remediation.empty())
      out += fmt::format("  {}: {}\n", tr(L::kRemediation, lang), rule.remediation.get(lang));
  }
  return out;
}

std::string control_name(const assess::ControlResult& cr, Lang lang) {
  const std::string& title = cr.control->title.get(lang);
  return title.empty() ? cr.control->id : fmt::format("{} {}", cr.control->id, title);
}

rules::Severity worst(const assess::Assessment& a,
                      const std::vector<std::pair<std::string, std::vector<std::size_t>>>& g) {
  rules::Severity s = rules::Severity::kInfo;
  for (const auto& [id, fis] : g)
    s = std::max(s, a.rules->rules[a.findings[fis.front()].rule].severity);
  return s;
}

struct Suite {
  std::string id;
  std::string title;
  std::vector<const assess::ControlResult*> controls;
};

}  // namespace

void write_junit(std::ostream& os, const assess::Assessment& a, const ReportInfo& info) {
  const Lang lang = info.lang;
  std::string catalog_id = a.catalog ? a.catalog->id : "csapcheck";
  std::string stamp = timestamp(info.generated_at);
  // The schema's timestamp has no zone: the same instant, in UTC, without the "Z".
  if (!stamp.empty() && stamp.back() == 'Z') stamp.pop_back();
  if (auto dot = stamp.find('.'); dot != std::string::npos) stamp.erase(dot);

  // Suites: the areas in catalog order, then any control whose area is not among them.
  std::vector<Suite> suites;
  std::map<std::string, std::size_t> suite_of;
  for (const auto& ar : a.areas) {
    suite_of[ar.area->id] = suites.size();
    suites.push_back({ar.area->id, ar.area->title.get(lang), {}});
  }
  for (const auto& cr : a.controls) {
    const catalog::Control* area = a.catalog ? a.catalog->area_of(cr.control->id) : nullptr;
    std::string key = area ? area->id : std::string();
    auto it = suite_of.find(key);
    if (it == suite_of.end()) {
      it = suite_of.emplace(key, suites.size()).first;
      suites.push_back({key.empty() ? "-" : key,
                        area ? area->title.get(lang) : std::string(tr(L::kOtherArea, lang)),
                        {}});
    }
    suites[it->second].controls.push_back(&cr);
  }

  // Properties every suite carries (the schema allows none on <testsuites>).
  std::vector<std::pair<std::string, std::string>> props;
  if (const catalog::Catalog* c = a.catalog) {
    props.emplace_back("catalog.id", c->id);
    props.emplace_back("catalog.version", c->version);
    props.emplace_back("catalog.status", c->status);
    props.emplace_back("catalog.title", c->title.get(lang));
  }
  props.emplace_back("profile", a.profile.id);
  props.emplace_back("profile.service", a.profile.service);
  props.emplace_back("profile.tier", a.profile.tier);
  props.emplace_back("tool.name", info.tool_name);
  props.emplace_back("tool.version", info.tool_version);
  props.emplace_back("generated_at", timestamp(info.generated_at));
  props.emplace_back("lang", lang == Lang::kKo ? "ko" : "en");
  if (a.deployment)
    for (std::size_t i = 0; i < a.deployment->inputs.size(); ++i) {
      const auto& in = a.deployment->inputs[i];
      props.emplace_back(fmt::format("input.{}.path", i + 1), in.path);
      props.emplace_back(fmt::format("input.{}.sha256", i + 1), in.sha256);
      props.emplace_back(fmt::format("input.{}.kind", i + 1), in.kind);
    }
  props.emplace_back("readiness", fmt::format("{:.4f}", round4(a.summary.readiness())));

  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");

  for (std::size_t si = 0; si < suites.size(); ++si) {
    const Suite& s = suites[si];
    auto suite = root.append_child("testsuite");
    std::size_t failures = 0, skipped = 0;
    suite.append_attribute("name") = safe(s.title.empty() ? s.id : s.id + " " + s.title).c_str();
    suite.append_attribute("package") = catalog_id.c_str();
    suite.append_attribute("id") = static_cast<unsigned>(si);
    suite.append_attribute("timestamp") = stamp.c_str();
    suite.append_attribute("hostname") = "localhost";
    auto tests_attr = suite.append_attribute("tests");
    auto failures_attr = suite.append_attribute("failures");
    suite.append_attribute("errors") = 0;
    auto skipped_attr = suite.append_attribute("skipped");
    suite.append_attribute("time") = "0";

    auto pr = suite.append_child("properties");
    for (const auto& [k, v] : props) {
      auto p = pr.append_child("property");
      p.append_attribute("name") = k.c_str();
      p.append_attribute("value") = safe(v).c_str();
    }
    if (auto it = std::find_if(a.areas.begin(), a.areas.end(),
                               [&](const auto& ar) { return ar.area->id == s.id; });
        it != a.areas.end()) {
      auto p = pr.append_child("property");
      p.append_attribute("name") = "area.readiness";
      p.append_attribute("value") = fmt::format("{:.4f}", round4(it->counts.readiness())).c_str();
    }

    std::string notes;
    for (const auto* cr : s.controls) {
      auto tc = suite.append_child("testcase");
      std::string name = control_name(*cr, lang);
      tc.append_attribute("classname") = fmt::format("{}.{}", catalog_id, s.id).c_str();
      tc.append_attribute("name") = safe(name).c_str();
      tc.append_attribute("time") = "0";
      std::string reason = cr->reason.get(lang);
      const assess::Attestation* att =
          cr->attestation >= 0 && static_cast<std::size_t>(cr->attestation) < a.attestations.size()
              ? &a.attestations[static_cast<std::size_t>(cr->attestation)]
              : nullptr;

      switch (cr->verdict) {
        case Verdict::kFail: {
          ++failures;
          auto fails = by_rule(a, *cr, Status::kFail, false);
          auto el = tc.append_child("failure");
          el.append_attribute("message") = safe(reason).c_str();
          el.append_attribute("type") =
              fails.empty() ? "attestation"
                            : std::string(rules::severity_name(worst(a, fails))).c_str();
          std::string body = listing(a, fails, lang, true);
          auto unknown = by_rule(a, *cr, Status::kUnknown, false);
          if (!unknown.empty())
            body += fmt::format("\n{}:\n{}", kKnownOnlyAfterApply.get(lang),
                                listing(a, unknown, lang, true));
          if (fails.empty() && att)
            body += fmt::format("{}: {}\n", tr(L::kAttestation, lang), safe(att->statement));
          el.text().set(body.c_str());
          break;
        }
        case Verdict::kUnknown: {
          ++skipped;
          auto el = tc.append_child("skipped");
          el.append_attribute("message") = kKnownOnlyAfterApply.get(lang).c_str();
          std::string body = safe(reason) + "\n" +
                             listing(a, by_rule(a, *cr, Status::kUnknown, false), lang, true) +
                             listing(a, by_rule(a, *cr, Status::kError, false), lang, false);
          el.text().set(body.c_str());
          break;
        }
        case Verdict::kManual: {
          ++skipped;
          auto el = tc.append_child("skipped");
          el.append_attribute("message") = safe(reason).c_str();
          std::string body = fmt::format("{}: ", tr(L::kEvidence, lang));
          if (cr->evidence.empty()) body += kNoEvidenceExpected.get(lang);
          for (std::size_t i = 0; i < cr->evidence.size(); ++i)
            body += (i ? ", " : "") + safe(cr->evidence[i]);
          body += "\n";
          if (att && !att->problem.empty())
            body +=
                fmt::format("{}: {}\n", tr(L::kAttestation, lang), safe(att->problem.get(lang)));
          el.text().set(body.c_str());
          break;
        }
        case Verdict::kNotApplicable: {
          ++skipped;
          auto el = tc.append_child("skipped");
          el.append_attribute("message") = safe(reason).c_str();
          break;
        }
        case Verdict::kWaived:
        case Verdict::kPass:
          break;
      }

      // Waivers and attestations behind a passing (or failing) control, for the suite's output.
      auto waived = by_rule(a, *cr, Status::kFail, true);
      if (!waived.empty()) {
        std::map<std::size_t, const assess::Waiver*> waiver_of;
        for (std::size_t k = 0; k < cr->findings.size(); ++k)
          if (const assess::Waiver* w = waiver_in_control(a, *cr, k))
            waiver_of[cr->findings[k]] = w;
        notes += fmt::format("{} — {}: {}\n", safe(name),
                             assess::verdict_text(Verdict::kWaived).get(lang), safe(reason));
        for (const auto& [id, fis] : waived) {
          std::vector<const assess::Waiver*> seen;
          for (std::size_t fi : fis) {
            const assess::Waiver* w = waiver_of[fi];
            notes += fmt::format("  {} {}\n", id, where(a, a.findings[fi]));
            if (std::find(seen.begin(), seen.end(), w) != seen.end()) continue;
            seen.push_back(w);
            std::string line = fmt::format("    {}: {}", tr(L::kWaiver, lang), safe(w->reason));
            if (!w->approved_by.empty())
              line += fmt::format(" · {} {}", tr(L::kApprovedBy, lang), safe(w->approved_by));
            if (!w->expires.empty())
              line += fmt::format(" · {} {}", tr(L::kExpires, lang), w->expires);
            if (!w->source.empty()) line += fmt::format(" · {}", safe(w->source));
            notes += line + "\n";
          }
        }
      }
      if (att && cr->verdict != Verdict::kFail) {
        notes +=
            fmt::format("{} — {}: {}", safe(name), tr(L::kAttestation, lang), safe(att->status));
        if (!att->owner.empty())
          notes += fmt::format(" · {} {}", tr(L::kOwner, lang), safe(att->owner));
        if (!att->reviewed.empty())
          notes += fmt::format(" · {} {}", tr(L::kReviewed, lang), att->reviewed);
        if (!att->expires.empty())
          notes += fmt::format(" · {} {}", tr(L::kExpires, lang), att->expires);
        notes += "\n";
        if (!att->statement.empty()) notes += "  " + safe(att->statement) + "\n";
        for (const auto& e : att->evidence)
          notes += fmt::format("  {}: {} {}\n", tr(L::kEvidence, lang), safe(e.path),
                               e.sha256.empty() ? kMissing.get(lang) : "sha256:" + e.sha256);
      }
    }
    tests_attr = static_cast<unsigned>(s.controls.size());
    failures_attr = static_cast<unsigned>(failures);
    skipped_attr = static_cast<unsigned>(skipped);
    suite.append_child("system-out").text().set(notes.c_str());
    suite.append_child("system-err");
  }
  doc.save(os, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace csap::report
