#include "report/common.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>
#include <unordered_map>

#include "core/redact.h"
#include "report/labels.h"

namespace csap::report {

namespace {

// Values of members whose name looks secret ("db_password": "x", "api_key": 1) inside a value shown
// as JSON: the value becomes "(redacted)", at every depth.
std::string redact_secret_members(std::string s) {
  if (s.find("\":") == std::string::npos) return s;
  static const RE2 re(
      "\"((?:[^\"\\\\]|\\\\.){1,256})\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s\"]+)");
  std::string out;
  re2::StringPiece in(s), name, value;
  std::size_t done = 0;
  while (RE2::FindAndConsume(&in, re, &name, &value)) {
    if (!secret_name(std::string_view(name.data(), name.size()))) continue;
    auto start = static_cast<std::size_t>(value.data() - s.data());
    out.append(s, done, start - done);
    out += value.size() > 0 && value[0] == '"' ? "\"(redacted)\"" : "(redacted)";
    done = start + value.size();
  }
  if (done == 0) return s;
  out.append(s, done, std::string::npos);
  return out;
}

}  // namespace

std::string redacted(std::string_view s) {
  return redact_secret_members(redact_text(s));
}

std::string safe(std::string_view s) {
  std::string out = redacted(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') c = ' ';
  return out;
}

std::string finding_message(const assess::Assessment& a, const engine::Finding& f, Lang lang) {
  const rules::Rule& rule = a.rules->rules[f.rule];
  const std::string& title = rule.title.get(lang).empty() ? rule.id : rule.title.get(lang);
  std::string attr = f.why.path.empty() ? "-" : safe(f.why.path);
  switch (f.status) {
    case engine::Status::kPass:
      return title;
    case engine::Status::kFail:
      return fmt::format(fmt::runtime(tr(L::kMessageFail, lang)), title, attr, safe(f.why.expected),
                         safe(f.why.actual));
    case engine::Status::kUnknown:
      return fmt::format(fmt::runtime(tr(L::kMessageUnknown, lang)), title, attr,
                         safe(f.why.expected));
    case engine::Status::kError:
      return fmt::format(fmt::runtime(tr(L::kMessageError, lang)), title, safe(f.error));
  }
  return title;
}

std::optional<Location> finding_location(const assess::Assessment& a, const engine::Finding& f) {
  if (!a.deployment || f.resource >= a.deployment->resources.size()) return std::nullopt;
  const Resource& r = a.deployment->resources[f.resource];
  if (r.input >= a.deployment->inputs.size()) return std::nullopt;
  const InputFile& in = a.deployment->inputs[r.input];
  if (in.path.empty()) return std::nullopt;
  return Location{in.path, r.line, r.column};
}

std::vector<std::vector<std::string>> controls_by_rule(const assess::Assessment& a) {
  std::vector<std::vector<std::string>> out(a.rules ? a.rules->rules.size() : 0);
  if (!a.rules) return out;
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < a.rules->rules.size(); ++i) index[a.rules->rules[i].id] = i;
  for (const auto& cr : a.controls)
    for (const auto& id : cr.rules)
      if (auto it = index.find(id); it != index.end()) {
        auto& v = out[it->second];
        if (v.empty() || v.back() != cr.control->id) v.push_back(cr.control->id);
      }
  return out;
}

std::string profile_text(const assess::Assessment& a, Lang lang) {
  const auto& p = a.profile;
  std::string service;
  if (p.service == "iaas")
    service = "IaaS";
  else if (p.service == "saas")
    service = "SaaS";
  else if (p.service == "daas")
    service = "DaaS";
  else if (const auto* st = a.catalog ? a.catalog->find_service(p.service) : nullptr;
           st && !st->title.empty())
    service = st->title.get(lang);
  else
    service = p.service;

  std::string tier = p.tier;
  if (const auto* t = a.catalog ? a.catalog->find_tier(p.tier) : nullptr) {
    const std::string& ko = t->title.ko;
    const std::string en = t->title.en.empty() ? t->id : t->title.en;
    if (lang == Lang::kKo)
      tier = ko.empty() || ko == en ? en : fmt::format("{}({})", ko, en);
    else
      tier = ko.empty() || ko == en ? en : fmt::format("{} ({})", en, ko);
  }
  return fmt::format("{} · {}", service, tier);
}

double round4(double x) {
  return std::round(x * 10000.0) / 10000.0;
}

std::string indent_following_lines(const std::string& text, std::size_t indent) {
  std::string pad(indent, ' ');
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

}  // namespace csap::report
