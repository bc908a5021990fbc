#include "ingest/providers.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>

#include "core/embedded.h"
#include "core/yaml.h"

namespace csap::ingest {

bool glob_match(std::string_view pat, std::string_view text) {
  // Iterative '*' matcher with backtracking to the last star.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pat.size() && pat[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

namespace {

std::vector<std::string> string_list(const yaml::Node* n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n->is_scalar()) {
    out.push_back(n->scalar);
    return out;
  }
  for (const auto& i : n->items)
    if (i.is_scalar()) out.push_back(i.scalar);
  return out;
}

std::string scalar(const yaml::Node* n) {
  return n && n->is_scalar() ? n->scalar : std::string();
}

}  // namespace

Result<ProviderTable> ProviderTable::parse(std::string_view text, const std::string& file) {
  auto root = yaml::parse_one(text, file);
  if (!root) return std::unexpected(root.error());
  if (!root->is_map()) return fail("expected a mapping at the top level", yaml::loc(file, *root));
  ProviderTable t;
  for (const auto& s : string_list(root->get("no_location"))) t.no_location_.insert(s);
  const yaml::Node* ps = root->get("providers");
  if (!ps || !ps->is_map()) return fail("'providers' must be a mapping", {file});
  std::vector<std::pair<std::string, std::string>> aliases;
  for (const auto& [k, v] : ps->pairs) {
    if (!v.is_map())
      return fail(fmt::format("provider '{}' must be a mapping", k.scalar), yaml::loc(file, v));
    if (const auto* same = v.get("same_as")) {
      aliases.emplace_back(k.scalar, same->scalar);
      continue;
    }
    ProviderLocation p;
    p.region_attributes = string_list(v.get("region_attributes"));
    p.zone_attributes = string_list(v.get("zone_attributes"));
    if (auto z = scalar(v.get("zone_to_region")); !z.empty()) {
      p.zone_to_region = std::make_shared<re2::RE2>(z);
      if (!p.zone_to_region->ok() || p.zone_to_region->NumberOfCapturingGroups() < 1)
        return fail(fmt::format("zone_to_region of '{}' is not a regex with a group", k.scalar),
                    yaml::loc(file, *v.get("zone_to_region")));
    }
    if (const auto* a = v.get("arn_region")) p.arn_region = a->as_bool().value_or(false);
    p.lower_nospace = scalar(v.get("normalize")) == "lower_nospace";
    p.config_region = scalar(v.get("config_region"));
    p.config_zone = scalar(v.get("config_zone"));
    p.config_site = scalar(v.get("config_site"));
    if (const auto* d = v.get("default"); d && d->is_map()) {
      if (const auto* r = d->get("region"); r && r->is_scalar()) p.default_region = r->scalar;
      if (const auto* s = d->get("site"); s && s->is_scalar()) p.default_site = s->scalar;
    }
    p.global_types = string_list(v.get("global_types"));
    t.providers_.emplace(k.scalar, std::move(p));
  }
  for (const auto& [name, target] : aliases) {
    auto it = t.providers_.find(target);
    if (it == t.providers_.end())
      return fail(fmt::format("provider '{}' is the same as unknown provider '{}'", name, target),
                  {file});
    ProviderLocation copy = it->second;
    t.providers_.emplace(name, std::move(copy));
  }
  return t;
}

const ProviderTable& ProviderTable::builtin() {
  static const ProviderTable table = [] {
    for (const auto& f : embedded_files()) {
      if (f.path == "providers.yaml") {
        auto t = parse(f.bytes, "data/providers.yaml");
        if (t) return std::move(*t);
        // The bundled data is validated by the tests; an error here is a build defect.
        fmt::print(stderr, "internal error: {}\n", t.error().str());
        break;
      }
    }
    return ProviderTable{};
  }();
  return table;
}

const ProviderLocation* ProviderTable::find(std::string_view provider) const {
  auto it = providers_.find(std::string(provider));
  return it == providers_.end() ? nullptr : &it->second;
}

bool ProviderTable::no_location(std::string_view provider) const {
  return no_location_.contains(std::string(provider));
}

bool ProviderTable::is_global(const ProviderLocation& p, std::string_view type) const {
  bool global = false;
  for (const auto& g : p.global_types) {
    if (!g.empty() && g[0] == '!') {
      if (glob_match(std::string_view(g).substr(1), type)) return false;
    } else if (!global && glob_match(g, type)) {
      global = true;
    }
  }
  return global;
}

std::string ProviderTable::region_of_zone(const ProviderLocation& p, std::string_view zone) const {
  if (!p.zone_to_region || zone.empty()) return {};
  std::string region;
  if (re2::RE2::FullMatch(re2::StringPiece(zone.data(), zone.size()), *p.zone_to_region, &region))
    return region;
  return {};
}

std::string ProviderTable::normalize_region(const ProviderLocation& p, std::string_view r) const {
  if (!p.lower_nospace) return std::string(r);
  std::string out;
  out.reserve(r.size());
  for (char c : r)
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace csap::ingest
