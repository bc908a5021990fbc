#include "catalog/mapping.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/embedded.h"
#include "core/files.h"
#include "core/workcount.h"

namespace csap::catalog {
namespace {

using yaml::Node;

std::unexpected<Error> err(const std::string& file, const Node& n, std::string msg) {
  return fail(std::move(msg), yaml::loc(file, n));
}

Result<std::string> str(const std::string& file, const Node& n, std::string_view what) {
  if (n.is_scalar() && !n.is_plain_null()) return n.scalar;
  return err(file, n, fmt::format("{} must be a string, not {}", what, n.kind_name()));
}

Result<std::vector<std::string>> str_list(const std::string& file, const Node& n,
                                          std::string_view what,
                                          std::vector<std::pair<int, int>>* pos = nullptr) {
  std::vector<std::string> out;
  auto one = [&](const Node& x) -> Result<void> {
    auto s = str(file, x, what);
    if (!s) return std::unexpected(s.error());
    out.push_back(*s);
    if (pos) pos->emplace_back(x.line, x.column);
    return {};
  };
  if (n.is_plain_null()) return out;
  if (n.is_scalar()) {
    if (auto ok = one(n); !ok) return std::unexpected(ok.error());
    return out;
  }
  if (!n.is_seq())
    return err(file, n, fmt::format("'{}' must be a list, not {}", what, n.kind_name()));
  for (const Node& x : n.items)
    if (auto ok = one(x); !ok) return std::unexpected(ok.error());
  return out;
}

}  // namespace

const ControlMapping* Mapping::find(std::string_view control) const {
  for (const auto& c : controls)
    if (c.control == control) return &c;
  return nullptr;
}

Result<Mapping> load_mapping_text(std::string_view text, const std::string& file) {
  auto root = yaml::parse_one(text, file);
  if (!root) return std::unexpected(root.error());
  if (!root->is_map())
    return err(file, *root, fmt::format("a mapping must be a mapping, not {}", root->kind_name()));
  for (const auto& [k, v] : root->pairs) {
    static constexpr std::string_view kKeys[] = {"mapping", "catalog",     "version",
                                                 "title",   "description", "controls"};
    if (std::find(std::begin(kKeys), std::end(kKeys), k.scalar) == std::end(kKeys))
      return err(file, k,
                 fmt::format("unknown key '{}' in a mapping (expected mapping, catalog, version, "
                             "title, description, controls)",
                             k.scalar));
  }
  Mapping m;
  m.file = file;
  const Node* id = root->get("mapping");
  if (!id) return err(file, *root, "the mapping has no 'mapping:' id");
  auto ids = str(file, *id, "'mapping'");
  if (!ids) return std::unexpected(ids.error());
  m.id = *ids;
  const Node* cat = root->get("catalog");
  if (!cat) return err(file, *root, "the mapping has no 'catalog:'");
  auto cats = str(file, *cat, "'catalog'");
  if (!cats) return std::unexpected(cats.error());
  m.catalog = *cats;
  const Node* controls = root->get("controls");
  if (!controls) return err(file, *root, "the mapping has no 'controls:'");
  if (!controls->is_map())
    return err(
        file, *controls,
        fmt::format("'controls' must map control ids to entries, not {}", controls->kind_name()));
  for (const auto& [k, v] : controls->pairs) {
    ControlMapping cm;
    cm.file = file;
    auto cid = str(file, k, "control id");
    if (!cid) return std::unexpected(cid.error());
    cm.control = *cid;
    cm.line = k.line;
    cm.column = k.column;
    if (v.is_plain_null()) {
      m.controls.push_back(std::move(cm));
      continue;
    }
    if (!v.is_map())
      return err(file, v,
                 fmt::format("the entry of control '{}' must be a mapping, not {}", cm.control,
                             v.kind_name()));
    for (const auto& [fk, fv] : v.pairs) {
      if (fk.scalar == "rules") {
        auto l = str_list(file, fv, "rules", &cm.rule_pos);
        if (!l) return std::unexpected(l.error());
        cm.rules = std::move(*l);
      } else if (fk.scalar == "evidence") {
        auto l = str_list(file, fv, "evidence");
        if (!l) return std::unexpected(l.error());
        cm.evidence = std::move(*l);
      } else if (fk.scalar == "conditional") {
        auto b = fv.as_bool();
        if (!b)
          return err(file, fv,
                     fmt::format("'conditional' must be true or false, not {}", fv.kind_name()));
        cm.conditional = *b;
      } else if (fk.scalar == "params") {
        if (!fv.is_map()) return err(file, fv, "'params' must map tiers to {RULE.param: value}");
        for (const auto& [tk, tv] : fv.pairs) {
          if (!tv.is_map())
            return err(file, tv,
                       fmt::format("params for tier '{}' must be a mapping of RULE.param to a "
                                   "value, not {}",
                                   tk.scalar, tv.kind_name()));
          auto& list = cm.params[tk.scalar];
          cm.tier_pos[tk.scalar] = {tk.line, tk.column};
          for (const auto& [pk, pv] : tv.pairs) {
            auto dot = pk.scalar.find('.');
            if (dot == std::string::npos || dot == 0 || dot + 1 == pk.scalar.size())
              return err(file, pk,
                         fmt::format("a params key must be RULE.param, not '{}'", pk.scalar));
            list.emplace_back(pk.scalar, pv);
            cm.param_pos[tk.scalar].emplace_back(pk.line, pk.column);
          }
        }
      } else {
        return err(file, fk,
                   fmt::format("unknown key '{}' for control '{}' (expected rules, evidence, "
                               "conditional, params)",
                               fk.scalar, cm.control));
      }
    }
    m.controls.push_back(std::move(cm));
  }
  return m;
}

Result<Mapping> load_mapping_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return std::unexpected(text.error());
  return load_mapping_text(*text, path);
}

std::vector<Error> check_mapping(const Mapping& m, const Catalog& cat,
                                 const std::set<std::string>& rule_ids) {
  std::vector<Error> out;
  if (m.catalog != cat.id)
    out.push_back(
        Error{Exit::kBadInput,
              fmt::format("mapping '{}' targets catalog '{}', not '{}'", m.id, m.catalog, cat.id),
              SourceLoc(m.file)});
  for (const auto& c : m.controls) {
    std::string file = c.file.empty() ? m.file : c.file;
    if (!cat.find(c.control))
      out.push_back(Error{Exit::kBadInput,
                          fmt::format("mapping names control '{}' that catalog '{}' does not have",
                                      c.control, cat.id),
                          SourceLoc(file, c.line, c.column)});
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
      if (rule_ids.contains(c.rules[i])) continue;
      auto [l, col] = i < c.rule_pos.size() ? c.rule_pos[i] : std::pair{c.line, c.column};
      out.push_back(Error{Exit::kBadInput,
                          fmt::format("mapping names rule '{}' that does not exist", c.rules[i]),
                          SourceLoc(file, l, col)});
    }
    for (const auto& [tier, list] : c.params) {
      if (!cat.find_tier(tier)) {
        auto tp = c.tier_pos.find(tier);
        auto [l, col] = tp != c.tier_pos.end() ? tp->second : std::pair{c.line, c.column};
        out.push_back(
            Error{Exit::kBadInput,
                  fmt::format("params for control '{}' name unknown tier '{}'", c.control, tier),
                  SourceLoc(file, l, col)});
      }
      const auto pos = c.param_pos.find(tier);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string& key = list[i].first;
        std::string rule = key.substr(0, key.find('.'));
        if (rule_ids.contains(rule)) continue;
        auto [l, col] = pos != c.param_pos.end() && i < pos->second.size()
                            ? pos->second[i]
                            : std::pair{list[i].second.line, list[i].second.column};
        out.push_back(Error{Exit::kBadInput,
                            fmt::format("mapping names rule '{}' that does not exist (in params "
                                        "key '{}')",
                                        rule, key),
                            SourceLoc(file, l, col)});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Error& a, const Error& b) {
    if (a.where.file != b.where.file) return false;  // keep merged files in mapping order
    return std::pair{a.where.line, a.where.column} < std::pair{b.where.line, b.where.column};
  });
  return out;
}

Result<void> validate_mapping(const Mapping& m, const Catalog& cat,
                              const std::set<std::string>& rule_ids) {
  auto errors = check_mapping(m, cat, rule_ids);
  if (errors.empty()) return {};
  return std::unexpected(errors.front());
}

Result<Mapping> merge_mappings(const std::vector<Mapping>& mappings) {
  Mapping out;
  if (mappings.empty()) return out;
  out.catalog = mappings.front().catalog;
  std::vector<std::string> ids;
  // Control id -> its position in out.controls, and the rules it already has: merging stays
  // linear in the entries, however many controls and rules the mappings name.
  std::unordered_map<std::string, std::size_t> at;
  std::unordered_map<std::size_t, std::unordered_set<std::string>> rules_of;
  for (const auto& m : mappings) {
    if (m.catalog != out.catalog)
      return fail(fmt::format("mapping '{}' targets catalog '{}', but '{}' targets '{}'", m.id,
                              m.catalog, mappings.front().id, out.catalog),
                  SourceLoc(m.file));
    ids.push_back(m.id);
    for (const auto& c : m.controls) {
      work::step();
      auto [slot, fresh] = at.try_emplace(c.control, out.controls.size());
      if (fresh) {
        out.controls.push_back(c);
        if (out.controls.back().file.empty()) out.controls.back().file = m.file;
        auto& names = rules_of[slot->second];
        names.insert(c.rules.begin(), c.rules.end());
        continue;
      }
      ControlMapping* into = &out.controls[slot->second];
      auto& names = rules_of[slot->second];
      for (std::size_t i = 0; i < c.rules.size(); ++i)
        if (names.insert(c.rules[i]).second) {
          into->rules.push_back(c.rules[i]);
          into->rule_pos.push_back(i < c.rule_pos.size() ? c.rule_pos[i]
                                                         : std::pair{c.line, c.column});
        }
      for (const auto& e : c.evidence)
        if (std::find(into->evidence.begin(), into->evidence.end(), e) == into->evidence.end())
          into->evidence.push_back(e);
      into->conditional = into->conditional && c.conditional;
      for (const auto& [tier, list] : c.params) {
        auto& dst = into->params[tier];
        auto& dpos = into->param_pos[tier];
        if (!into->tier_pos.contains(tier) && c.tier_pos.contains(tier))
          into->tier_pos[tier] = c.tier_pos.at(tier);
        const auto spos = c.param_pos.find(tier);
        for (std::size_t i = 0; i < list.size(); ++i) {
          const auto& [key, value] = list[i];
          std::pair<int, int> at = spos != c.param_pos.end() && i < spos->second.size()
                                       ? spos->second[i]
                                       : std::pair{value.line, value.column};
          auto it =
              std::find_if(dst.begin(), dst.end(), [&](const auto& kv) { return kv.first == key; });
          if (it != dst.end()) {
            it->second = value;
            auto k = static_cast<std::size_t>(it - dst.begin());
            if (k < dpos.size()) dpos[k] = at;
          } else {
            dst.emplace_back(key, value);
            dpos.push_back(at);
          }
        }
      }
    }
  }
  out.id = fmt::format("{}", fmt::join(ids, "+"));
  out.file = mappings.size() == 1 ? mappings.front().file : std::string();
  return out;
}

Result<std::vector<Mapping>> bundled_mappings(std::string_view catalog) {
  std::vector<Mapping> out;
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    if (!p.starts_with("mappings/") || !(p.ends_with(".yaml") || p.ends_with(".yml"))) continue;
    auto m = load_mapping_text(f.bytes, "bundled:" + std::string(p));
    if (!m) return std::unexpected(m.error());
    if (catalog.empty() || m->catalog == catalog) out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace csap::catalog
