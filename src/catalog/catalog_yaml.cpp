// The catalog format of DESIGN.md §4 (YAML, or the same structure in JSON).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "catalog/reader.h"

namespace csap::catalog::detail {
namespace {

Result<std::set<std::string>> tier_list(const Reader& r, const Node& n, const Catalog& cat,
                                        std::string_view service) {
  std::set<std::string> out;
  auto add = [&](const Node& t) -> Result<void> {
    auto s = r.str(t, "tier");
    if (!s) return std::unexpected(s.error());
    if (!cat.find_tier(*s))
      return r.err(t, fmt::format("unknown tier '{}' in applies for '{}' (known tiers: {})", *s,
                                  service, join(ids_of(cat.tiers))));
    out.insert(*s);
    return {};
  };
  if (n.is_plain_null()) return out;  // "saas:" or "saas: ~" = none
  if (n.is_scalar()) {
    if (n.scalar == "all") {
      for (const auto& t : cat.tiers) out.insert(t.id);
      return out;
    }
    if (auto ok = add(n); !ok) return std::unexpected(ok.error());
    return out;
  }
  if (!n.is_seq())
    return r.err(
        n, fmt::format("applies for '{}' must be a list of tiers, not {}", service, n.kind_name()));
  for (const Node& t : n.items)
    if (auto ok = add(t); !ok) return std::unexpected(ok.error());
  return out;
}

Result<Applies> parse_applies(const Reader& r, const Node& n, const Catalog& cat) {
  Applies a;
  if (n.is_scalar() && n.scalar == "all") {
    for (const auto& s : cat.service_types)
      for (const auto& t : cat.tiers) a[s.id].insert(t.id);
    return a;
  }
  if (n.is_seq()) {  // a list of tiers: every service type at those tiers
    for (const auto& s : cat.service_types) {
      auto tiers = tier_list(r, n, cat, s.id);
      if (!tiers) return std::unexpected(tiers.error());
      a[s.id] = *tiers;
    }
    return a;
  }
  if (!n.is_map())
    return r.err(n,
                 fmt::format("'applies' must map service types to tiers, not {}", n.kind_name()));
  for (const auto& [k, v] : n.pairs) {
    if (!cat.find_service(k.scalar))
      return r.err(k, fmt::format("unknown service type '{}' in applies (known service types: {})",
                                  k.scalar, join(ids_of(cat.service_types))));
    auto tiers = tier_list(r, v, cat, k.scalar);
    if (!tiers) return std::unexpected(tiers.error());
    a[k.scalar] = *tiers;
  }
  return a;
}

Result<void> parse_profiles(const Reader& r, const Node& n, Catalog& cat) {
  std::unordered_set<std::string> seen;
  auto one = [&](const Node& where, std::string id, const Node& body) -> Result<void> {
    if (!body.is_map())
      return r.err(body, fmt::format("profile '{}' must be a mapping {{service, tier}}, not {}", id,
                                     body.kind_name()));
    if (auto ok = r.check_keys(body, {"id", "service", "tier"}, "a profile"); !ok) return ok;
    const Node* svc = body.get("service");
    const Node* tier = body.get("tier");
    if (!svc) return r.err(body, fmt::format("profile '{}' has no service", id));
    if (!tier) return r.err(body, fmt::format("profile '{}' has no tier", id));
    auto s = r.str(*svc, "service");
    if (!s) return std::unexpected(s.error());
    auto t = r.str(*tier, "tier");
    if (!t) return std::unexpected(t.error());
    if (!cat.find_service(*s))
      return r.err(*svc, fmt::format("profile '{}' names unknown service type '{}' (known: {})", id,
                                     *s, join(ids_of(cat.service_types))));
    if (!cat.find_tier(*t))
      return r.err(*tier, fmt::format("profile '{}' names unknown tier '{}' (known: {})", id, *t,
                                      join(ids_of(cat.tiers))));
    if (!seen.insert(id).second) return r.err(where, fmt::format("duplicate profile '{}'", id));
    cat.profiles.push_back({std::move(id), *s, *t});
    return {};
  };
  if (n.is_map()) {
    for (const auto& [k, v] : n.pairs)
      if (auto ok = one(k, k.scalar, v); !ok) return ok;
    return {};
  }
  if (n.is_seq()) {
    for (const Node& item : n.items) {
      const Node* id = item.is_map() ? item.get("id") : nullptr;
      if (!id) return r.err(item, "a profile in a list needs an id");
      auto s = r.str(*id, "profile id");
      if (!s) return std::unexpected(s.error());
      if (auto ok = one(item, *s, item); !ok) return ok;
    }
    return {};
  }
  return r.err(n, fmt::format("'profiles' must be a mapping of name to {{service, tier}}, not {}",
                              n.kind_name()));
}

}  // namespace

struct ParentRef {
  std::size_t control;
  const Node* node;  // the parent node, or null when derived from a dotted id
};

Result<Catalog> parse_catalog(const Node& root, const std::string& file) {
  Reader r(file);
  if (!root.is_map())
    return r.err(root, fmt::format("a catalog must be a mapping, not {}", root.kind_name()));
  if (auto ok =
          r.check_keys(root,
                       {"catalog", "version", "status", "title", "notice", "tiers", "service_types",
                        "profiles", "controls", "correspondence", "references"},
                       "a catalog");
      !ok)
    return std::unexpected(ok.error());
  Catalog cat;
  cat.source = file;
  const Node* id = root.get("catalog");
  if (!id) return r.err(root, "the catalog has no 'catalog:' id");
  auto ids = r.str(*id, "'catalog'");
  if (!ids) return std::unexpected(ids.error());
  cat.id = *ids;
  if (const Node* v = root.get("version")) {
    auto s = r.str(*v, "'version'");
    if (!s) return std::unexpected(s.error());
    cat.version = *s;
  }
  cat.status = "custom";
  if (const Node* v = root.get("status")) {
    auto s = r.str(*v, "'status'");
    if (!s) return std::unexpected(s.error());
    if (std::find(std::begin(kStatuses), std::end(kStatuses), *s) == std::end(kStatuses))
      return r.err(*v, fmt::format("unknown status '{}' (expected structure, official, "
                                   "extraction or custom)",
                                   *s));
    cat.status = *s;
  }
  if (const Node* v = root.get("title")) {
    auto t = r.text(*v, "'title'");
    if (!t) return std::unexpected(t.error());
    cat.title = *t;
  }
  if (const Node* v = root.get("notice")) {
    auto t = r.text(*v, "'notice'");
    if (!t) return std::unexpected(t.error());
    cat.notice = *t;
  }
  if (const Node* v = root.get("tiers")) {
    auto t = r.entries<Tier>(*v, "tiers");
    if (!t) return std::unexpected(t.error());
    cat.tiers = std::move(*t);
  } else {
    cat.tiers = {{"high", {"상", "high"}, {}},
                 {"moderate", {"중", "moderate"}, {}},
                 {"low", {"하", "low"}, {}}};
  }
  if (const Node* v = root.get("service_types")) {
    auto t = r.entries<ServiceType>(*v, "service_types");
    if (!t) return std::unexpected(t.error());
    cat.service_types = std::move(*t);
  } else {
    cat.service_types = {{"iaas", {"IaaS", "IaaS"}, {}},
                         {"saas", {"SaaS", "SaaS"}, {}},
                         {"daas", {"DaaS", "DaaS"}, {}}};
  }
  if (cat.tiers.empty()) return r.err(*root.get("tiers"), "'tiers' is empty");
  if (cat.service_types.empty())
    return r.err(*root.get("service_types"), "'service_types' is empty");
  if (const Node* v = root.get("profiles"))
    if (auto ok = parse_profiles(r, *v, cat); !ok) return std::unexpected(ok.error());

  if (const Node* v = root.get("references")) {
    if (!v->is_seq()) return r.err(*v, "'references' must be a list");
    for (const Node& item : v->items) {
      if (!item.is_map()) return r.err(item, "a reference must be a mapping {id, text}");
      if (auto ok = r.check_keys(item, {"id", "text"}, "a reference"); !ok)
        return std::unexpected(ok.error());
      Reference ref;
      if (const Node* i = item.get("id")) {
        auto s = r.str(*i, "reference id");
        if (!s) return std::unexpected(s.error());
        ref.id = *s;
      }
      if (const Node* t = item.get("text")) {
        auto s = r.str(*t, "reference text");
        if (!s) return std::unexpected(s.error());
        ref.text = *s;
      }
      cat.references.push_back(std::move(ref));
    }
  }

  // Controls.
  const Node* controls = root.get("controls");
  if (!controls) return r.err(root, "the catalog has no 'controls:' list");
  if (!controls->is_seq())
    return r.err(*controls,
                 fmt::format("'controls' must be a list, not {}", controls->kind_name()));
  std::unordered_map<std::string, int> first_line;
  std::vector<const Node*> parent_nodes;
  for (const Node& item : controls->items) {
    if (!item.is_map())
      return r.err(item, fmt::format("a control must be a mapping, not {}", item.kind_name()));
    if (auto ok = r.check_keys(
            item, {"id", "parent", "title", "kind", "applies", "basis", "statement", "note"},
            "a control");
        !ok)
      return std::unexpected(ok.error());
    Control c;
    c.line = item.line;
    const Node* idn = item.get("id");
    if (!idn || idn->is_plain_null()) return r.err(idn ? *idn : item, "control has no id");
    auto cid = r.str(*idn, "control id");
    if (!cid) return std::unexpected(cid.error());
    if (cid->empty()) return r.err(*idn, "control has an empty id");
    c.id = *cid;
    if (auto it = first_line.find(c.id); it != first_line.end())
      return r.err(*idn, fmt::format("duplicate control id '{}' (first defined at line {})", c.id,
                                     it->second));
    first_line.emplace(c.id, item.line);
    const Node* parent = item.get("parent");
    if (parent && !parent->is_plain_null()) {
      auto p = r.str(*parent, "'parent'");
      if (!p) return std::unexpected(p.error());
      c.parent = *p;
    } else {
      parent = nullptr;
    }
    parent_nodes.push_back(parent);
    if (const Node* v = item.get("title")) {
      auto t = r.text(*v, "'title'");
      if (!t) return std::unexpected(t.error());
      c.title = *t;
    }
    if (const Node* v = item.get("kind"); v && !v->is_plain_null()) {
      auto s = r.str(*v, "'kind'");
      if (!s) return std::unexpected(s.error());
      if (std::find(std::begin(kKinds), std::end(kKinds), *s) == std::end(kKinds))
        return r.err(*v, fmt::format("unknown kind '{}' (expected technical, procedural or "
                                     "physical)",
                                     *s));
      c.kind = *s;
    }
    if (const Node* v = item.get("applies")) {
      auto a = parse_applies(r, *v, cat);
      if (!a) return std::unexpected(a.error());
      c.applies = std::move(*a);
    }
    if (const Node* v = item.get("basis")) {
      auto s = r.str(*v, "'basis'");
      if (!s) return std::unexpected(s.error());
      c.basis = *s;
    }
    if (const Node* v = item.get("statement")) {
      auto t = r.text(*v, "'statement'");
      if (!t) return std::unexpected(t.error());
      c.statement = *t;
    }
    if (const Node* v = item.get("note")) {
      auto t = r.text(*v, "'note'");
      if (!t) return std::unexpected(t.error());
      c.note = *t;
    }
    cat.controls.push_back(std::move(c));
  }
  // Parents: stated ones must exist; dotted ids get their prefix as parent when it exists.
  for (std::size_t i = 0; i < cat.controls.size(); ++i) {
    Control& c = cat.controls[i];
    if (!c.parent.empty()) {
      if (!first_line.contains(c.parent))
        return r.err(*parent_nodes[i],
                     fmt::format("control '{}' names unknown parent '{}'", c.id, c.parent));
      if (c.parent == c.id)
        return r.err(*parent_nodes[i], fmt::format("control '{}' is its own parent", c.id));
    } else if (auto dot = c.id.rfind('.'); dot != std::string::npos && dot > 0) {
      std::string prefix = c.id.substr(0, dot);
      if (first_line.contains(prefix)) c.parent = prefix;
    }
  }
  cat.reindex();
  // Cycles: reindex() leaves the controls on or under a cycle outside every root's tree; walking
  // up from the first of them meets the cycle within as many steps as there are controls.
  if (const Control* c = cat.parent_cycle()) {
    std::set<std::string_view> seen;
    for (const Control* x = c; x && seen.insert(x->id).second; x = cat.find(x->parent)) c = x;
    c = cat.find(c->parent) ? cat.find(c->parent) : c;
    return fail(fmt::format("control '{}' is its own ancestor (parent cycle)", c->id),
                SourceLoc(file, c->line, 0));
  }

  if (const Node* v = root.get("correspondence")) {
    if (!v->is_seq()) return r.err(*v, "'correspondence' must be a list");
    for (const Node& item : v->items) {
      if (!item.is_map()) return r.err(item, "a correspondence must be a mapping");
      if (auto ok = r.check_keys(
              item, {"from_catalog", "from_tier", "to_tier", "status", "fit", "source", "note"},
              "a correspondence");
          !ok)
        return std::unexpected(ok.error());
      Correspondence cr;
      auto field = [&](std::string_view key, std::string& out, bool required) -> Result<void> {
        const Node* n = item.get(key);
        if (!n) {
          if (required) return r.err(item, fmt::format("a correspondence has no '{}'", key));
          return {};
        }
        auto s = r.str(*n, key);
        if (!s) return std::unexpected(s.error());
        out = *s;
        return {};
      };
      for (auto [key, out, req] : {std::tuple<std::string_view, std::string*, bool>{
                                       "from_catalog", &cr.from_catalog, true},
                                   {"from_tier", &cr.from_tier, true},
                                   {"to_tier", &cr.to_tier, true},
                                   {"status", &cr.status, true},
                                   {"fit", &cr.fit, false},
                                   {"source", &cr.source, false}})
        if (auto ok = field(key, *out, req); !ok) return std::unexpected(ok.error());
      if (!cat.find_tier(cr.to_tier))
        return r.err(*item.get("to_tier"),
                     fmt::format("correspondence names unknown tier '{}' (known: {})", cr.to_tier,
                                 join(ids_of(cat.tiers))));
      if (const Node* n = item.get("note")) {
        auto t = r.text(*n, "'note'");
        if (!t) return std::unexpected(t.error());
        cr.note = *t;
      }
      cat.correspondence.push_back(std::move(cr));
    }
  }
  return cat;
}

}  // namespace csap::catalog::detail
