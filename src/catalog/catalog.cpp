#include "catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>

#include "core/embedded.h"
#include "core/files.h"
#include "core/yaml.h"

namespace csap::catalog {
namespace {

using yaml::Node;

constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

bool has_hangul(std::string_view s) {
  // Hangul syllables U+AC00..U+D7A3 and jamo U+1100..U+11FF, U+3130..U+318F in UTF-8.
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    auto c0 = static_cast<unsigned char>(s[i]);
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c0 >= 0xEA && c0 <= 0xED) {
      unsigned cp =
          ((c0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3F);
      if (cp >= 0xAC00 && cp <= 0xD7A3) return true;
    }
    if (c0 == 0xE1 && (c1 == 0x84 || c1 == 0x85 || c1 == 0x86 || c1 == 0x87)) return true;
    if (c0 == 0xE3 && (c1 == 0x84 || c1 == 0x85 || c1 == 0x86)) return true;
  }
  return false;
}

Text guess_text(std::string s) {
  Text t;
  if (has_hangul(s))
    t.ko = std::move(s);
  else
    t.en = std::move(s);
  return t;
}

// Reads the fields of one YAML document into a Catalog, with precise errors.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::unexpected<Error> err(const Node& n, std::string msg) const {
    return fail(std::move(msg), yaml::loc(file_, n));
  }

  // A scalar that must be text (ids, names). Rejects null, lists and maps.
  Result<std::string> str(const Node& n, std::string_view what) const {
    if (n.is_scalar() && !n.is_plain_null()) return n.scalar;
    return err(n, fmt::format("{} must be a string, not {}", what, n.kind_name()));
  }

  // A string or {ko, en}.
  Result<Text> text(const Node& n, std::string_view what) const {
    if (n.is_scalar() && !n.is_plain_null()) return guess_text(n.scalar);
    if (!n.is_map())
      return err(n, fmt::format("{} must be a string or a mapping {{ko, en}}, not {}", what,
                                n.kind_name()));
    Text t;
    for (const auto& [k, v] : n.pairs) {
      if (k.scalar != "ko" && k.scalar != "en")
        return err(k, fmt::format("unknown key '{}' in {} (expected ko, en)", k.scalar, what));
      auto s = str(v, fmt::format("{}.{}", what, k.scalar));
      if (!s) return std::unexpected(s.error());
      (k.scalar == "ko" ? t.ko : t.en) = std::move(*s);
    }
    return t;
  }

  Result<void> check_keys(const Node& map, std::initializer_list<std::string_view> allowed,
                          std::string_view what) const {
    for (const auto& [k, v] : map.pairs) {
      if (std::find(allowed.begin(), allowed.end(), k.scalar) != allowed.end()) continue;
      std::vector<std::string> names(allowed.begin(), allowed.end());
      return err(k, fmt::format("unknown key '{}' in {} (expected one of: {})", k.scalar, what,
                                join(names)));
    }
    return {};
  }

  // tiers / service_types: a list of ids or of {id, ko, en, note}.
  template <class T>
  Result<std::vector<T>> entries(const Node& n, std::string_view what) const {
    if (!n.is_seq()) return err(n, fmt::format("'{}' must be a list, not {}", what, n.kind_name()));
    std::vector<T> out;
    for (const Node& item : n.items) {
      T t;
      if (item.is_scalar()) {
        auto id = str(item, fmt::format("{} id", what));
        if (!id) return std::unexpected(id.error());
        t.id = *id;
      } else if (item.is_map()) {
        if (auto ok = check_keys(item, {"id", "ko", "en", "note"}, what); !ok)
          return std::unexpected(ok.error());
        const Node* id = item.get("id");
        if (!id) return err(item, fmt::format("an entry of '{}' has no id", what));
        auto ids = str(*id, fmt::format("{} id", what));
        if (!ids) return std::unexpected(ids.error());
        t.id = *ids;
        if (const Node* ko = item.get("ko")) {
          auto s = str(*ko, "ko");
          if (!s) return std::unexpected(s.error());
          t.title.ko = *s;
        }
        if (const Node* en = item.get("en")) {
          auto s = str(*en, "en");
          if (!s) return std::unexpected(s.error());
          t.title.en = *s;
        }
        if (const Node* note = item.get("note")) {
          auto tx = text(*note, "note");
          if (!tx) return std::unexpected(tx.error());
          t.note = *tx;
        }
      } else {
        return err(item, fmt::format("an entry of '{}' must be an id or a mapping, not {}", what,
                                     item.kind_name()));
      }
      for (const T& prev : out)
        if (prev.id == t.id) return err(item, fmt::format("duplicate {} '{}'", what, t.id));
      out.push_back(std::move(t));
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.id);
  return out;
}

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
    if (cat.find_profile(id)) return r.err(where, fmt::format("duplicate profile '{}'", id));
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
  // Cycles.
  for (std::size_t i = 0; i < cat.controls.size(); ++i) {
    const Control* c = &cat.controls[i];
    std::size_t steps = 0;
    while (c && !c->parent.empty()) {
      c = cat.find(c->parent);
      if (++steps > cat.controls.size())
        return fail(
            fmt::format("control '{}' is its own ancestor (parent cycle)", cat.controls[i].id),
            SourceLoc(file, cat.controls[i].line, 0));
    }
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

// ---- OSCAL ------------------------------------------------------------------------------------

std::string prose_of(const Node& parts) {
  std::string out;
  if (!parts.is_seq()) return out;
  for (const Node& p : parts.items) {
    if (!p.is_map()) continue;
    if (const Node* prose = p.get("prose"); prose && prose->is_scalar()) {
      if (!out.empty()) out += '\n';
      out += prose->scalar;
    }
    if (const Node* sub = p.get("parts")) {
      std::string s = prose_of(*sub);
      if (!s.empty()) {
        if (!out.empty()) out += '\n';
        out += s;
      }
    }
  }
  return out;
}

bool withdrawn(const Node& control) {
  const Node* props = control.get("props");
  if (!props || !props->is_seq()) return false;
  for (const Node& p : props->items) {
    const Node* name = p.get("name");
    const Node* value = p.get("value");
    if (name && value && name->scalar == "status" && value->scalar == "withdrawn") return true;
  }
  return false;
}

bool glob_match(std::string_view pat, std::string_view s) {
  if (pat.empty()) return s.empty();
  if (pat[0] == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i)
      if (glob_match(pat.substr(1), s.substr(i))) return true;
    return false;
  }
  if (s.empty()) return false;
  if (pat[0] == '?' || pat[0] == s[0]) return glob_match(pat.substr(1), s.substr(1));
  return false;
}

struct OscalWalk {
  Reader& r;
  Catalog& cat;
  std::set<std::string>& withdrawn_ids;
  std::set<std::string> seen;
  int group_seq = 0;

  Result<void> group(const Node& g, const std::string& parent) {
    if (!g.is_map()) return r.err(g, "an OSCAL group must be an object");
    Control c;
    c.line = g.line;
    c.parent = parent;
    if (const Node* id = g.get("id")) {
      auto s = r.str(*id, "group id");
      if (!s) return std::unexpected(s.error());
      c.id = *s;
    } else {
      c.id = fmt::format("group-{}", ++group_seq);
    }
    const Node* title = g.get("title");
    if (!title) return r.err(g, fmt::format("OSCAL group '{}' has no title", c.id));
    auto t = r.str(*title, "group title");
    if (!t) return std::unexpected(t.error());
    c.title = guess_text(*t);
    c.basis = "oscal";
    if (!seen.insert(c.id).second) return r.err(g, fmt::format("duplicate id '{}'", c.id));
    std::string me = c.id;
    cat.controls.push_back(std::move(c));
    return children(g, me);
  }

  Result<void> control(const Node& n, const std::string& parent) {
    if (!n.is_map()) return r.err(n, "an OSCAL control must be an object");
    const Node* id = n.get("id");
    if (!id) return r.err(n, "OSCAL control has no id");
    auto ids = r.str(*id, "control id");
    if (!ids) return std::unexpected(ids.error());
    const Node* title = n.get("title");
    if (!title) return r.err(n, fmt::format("OSCAL control '{}' has no title", *ids));
    auto t = r.str(*title, "control title");
    if (!t) return std::unexpected(t.error());
    if (!seen.insert(*ids).second)
      return r.err(*id, fmt::format("duplicate control id '{}'", *ids));
    Control c;
    c.id = *ids;
    c.parent = parent;
    c.title = guess_text(*t);
    c.line = n.line;
    c.basis = "oscal";
    if (const Node* parts = n.get("parts")) {
      for (const Node& p : parts->items)
        if (const Node* name = p.get("name"); name && name->scalar == "statement") {
          std::string s = prose_of(p.get("parts") ? *p.get("parts") : Node{});
          if (const Node* prose = p.get("prose"); prose && prose->is_scalar())
            s = prose->scalar + (s.empty() ? "" : "\n" + s);
          c.statement = guess_text(s);
        }
    }
    if (withdrawn(n)) {
      withdrawn_ids.insert(c.id);
      c.note.en = "withdrawn";
    }
    cat.controls.push_back(std::move(c));
    return children(n, *ids);
  }

  Result<void> children(const Node& n, const std::string& parent) {
    if (const Node* gs = n.get("groups")) {
      if (!gs->is_seq()) return r.err(*gs, "'groups' must be an array");
      for (const Node& g : gs->items)
        if (auto ok = group(g, parent); !ok) return ok;
    }
    if (const Node* cs = n.get("controls")) {
      if (!cs->is_seq()) return r.err(*cs, "'controls' must be an array");
      for (const Node& c : cs->items)
        if (auto ok = control(c, parent); !ok) return ok;
    }
    return {};
  }
};

// Selection from an OSCAL profile's imports; nullopt = include all.
Result<std::set<std::string>> profile_selection(const Node& root, const std::string& file,
                                                const Catalog& cat) {
  Reader r(file);
  const Node* prof = root.get("profile");
  if (!prof || !prof->is_map()) return r.err(root, "not an OSCAL profile: no 'profile' object");
  const Node* imports = prof->get("imports");
  if (!imports || !imports->is_seq())
    return r.err(*prof, "the OSCAL profile has no 'imports' array");
  std::set<std::string> selected;
  auto descendants = [&](const std::string& id, std::set<std::string>& into) {
    std::function<void(const std::string&)> rec = [&](const std::string& x) {
      for (const Control* ch : cat.children(x)) {
        into.insert(ch->id);
        rec(ch->id);
      }
    };
    rec(id);
  };
  auto select = [&](const Node& spec, std::set<std::string>& into) -> Result<void> {
    if (!spec.is_seq()) return r.err(spec, "include-controls/exclude-controls must be an array");
    for (const Node& s : spec.items) {
      bool with_children = false;
      if (const Node* wc = s.get("with-child-controls")) with_children = wc->scalar == "yes";
      std::vector<std::string> hits;
      if (const Node* ids = s.get("with-ids")) {
        for (const Node& i : ids->items) {
          if (!cat.find(i.scalar))
            return r.err(i, fmt::format("the profile selects control '{}' that the catalog does "
                                        "not have",
                                        i.scalar));
          hits.push_back(i.scalar);
        }
      }
      if (const Node* m = s.get("matching")) {
        for (const Node& p : m->items)
          if (const Node* pat = p.get("pattern"))
            for (const Control& c : cat.controls)
              if (glob_match(pat->scalar, c.id)) hits.push_back(c.id);
      }
      for (const auto& h : hits) {
        into.insert(h);
        if (with_children) descendants(h, into);
      }
    }
    return {};
  };
  for (const Node& imp : imports->items) {
    std::set<std::string> inc;
    if (imp.get("include-all")) {
      for (const Control& c : cat.controls) inc.insert(c.id);
    } else if (const Node* ic = imp.get("include-controls")) {
      if (auto ok = select(*ic, inc); !ok) return std::unexpected(ok.error());
    } else {
      for (const Control& c : cat.controls) inc.insert(c.id);  // OSCAL default: include all
    }
    if (const Node* ex = imp.get("exclude-controls")) {
      std::set<std::string> exc;
      if (auto ok = select(*ex, exc); !ok) return std::unexpected(ok.error());
      for (const auto& e : exc) inc.erase(e);
    }
    selected.insert(inc.begin(), inc.end());
  }
  return selected;
}

Result<Catalog> parse_oscal(const Node& root, const std::string& file,
                            std::string_view profile_json, const std::string& profile_file) {
  Reader r(file);
  const Node* oc = root.get("catalog");
  if (!oc || !oc->is_map()) return r.err(root, "not an OSCAL catalog: no 'catalog' object");
  Catalog cat;
  cat.source = file;
  cat.status = "custom";
  std::string stem = std::filesystem::path(file).stem().string();
  cat.id = stem.empty() ? "oscal" : stem;
  if (const Node* md = oc->get("metadata"); md && md->is_map()) {
    if (const Node* t = md->get("title"); t && t->is_scalar()) cat.title = guess_text(t->scalar);
    if (const Node* v = md->get("version"); v && v->is_scalar()) cat.version = v->scalar;
  } else {
    return r.err(*oc, "the OSCAL catalog has no 'metadata' object");
  }
  cat.notice.en = "Read from an OSCAL catalog: ids, titles and statements only.";
  cat.notice.ko = "OSCAL 카탈로그에서 읽은 목록입니다: 번호, 명칭, 설명만 담습니다.";
  cat.service_types = {{"all", {"전체", "all"}, {}}};
  std::set<std::string> withdrawn_ids;
  OscalWalk walk{r, cat, withdrawn_ids, {}, 0};
  if (auto ok = walk.children(*oc, ""); !ok) return std::unexpected(ok.error());
  if (cat.controls.empty()) return r.err(*oc, "the OSCAL catalog has no groups or controls");
  cat.reindex();

  std::optional<std::set<std::string>> selected;
  if (!profile_json.empty()) {
    auto proot = yaml::parse_one(profile_json, profile_file);
    if (!proot) return std::unexpected(proot.error());
    auto sel = profile_selection(*proot, profile_file, cat);
    if (!sel) return std::unexpected(sel.error());
    selected = std::move(*sel);
  }
  std::string tier = selected ? "selected" : "all";
  cat.tiers = {{tier, {selected ? "선택" : "전체", tier}, {}}};
  cat.profiles = {{tier, "all", tier}};
  for (Control& c : cat.controls) {
    if (withdrawn_ids.contains(c.id)) {
      c.applies = Applies{};
    } else if (selected) {
      if (selected->contains(c.id))
        c.applies = Applies{{"all", {tier}}};
      else if (!cat.children(c.id).empty())
        c.applies = std::nullopt;  // a group: in scope through its selected descendants
      else
        c.applies = Applies{};
    }
  }
  cat.reindex();
  return cat;
}

}  // namespace

// ---- Catalog ----------------------------------------------------------------------------------

void Catalog::reindex() {
  index_.clear();
  children_.assign(controls.size(), {});
  roots_.clear();
  for (std::size_t i = 0; i < controls.size(); ++i) index_.emplace(controls[i].id, i);
  for (std::size_t i = 0; i < controls.size(); ++i) {
    auto it = controls[i].parent.empty() ? index_.end() : index_.find(controls[i].parent);
    if (it == index_.end())
      roots_.push_back(i);
    else
      children_[it->second].push_back(i);
  }
}

const Control* Catalog::find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &controls[it->second];
}

std::size_t Catalog::index_of(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? npos : it->second;
}

const Tier* Catalog::find_tier(std::string_view id) const {
  for (const auto& t : tiers)
    if (t.id == id) return &t;
  return nullptr;
}

const ServiceType* Catalog::find_service(std::string_view id) const {
  for (const auto& s : service_types)
    if (s.id == id) return &s;
  return nullptr;
}

const Profile* Catalog::find_profile(std::string_view id) const {
  for (const auto& p : profiles)
    if (p.id == id) return &p;
  return nullptr;
}

std::size_t Catalog::tier_rank(std::string_view tier) const {
  for (std::size_t i = 0; i < tiers.size(); ++i)
    if (tiers[i].id == tier) return i;
  return npos;
}

const Control* Catalog::parent_of(const Control& c) const {
  return c.parent.empty() ? nullptr : find(c.parent);
}

const Control* Catalog::area_of(std::string_view id) const {
  const Control* c = find(id);
  std::size_t guard = 0;
  while (c && !c->parent.empty() && guard++ <= controls.size()) {
    const Control* p = find(c->parent);
    if (!p) break;
    c = p;
  }
  return c;
}

std::vector<const Control*> Catalog::children(std::string_view id) const {
  std::vector<const Control*> out;
  std::size_t i = index_of(id);
  if (i == npos || i >= children_.size()) return out;
  for (std::size_t k : children_[i]) out.push_back(&controls[k]);
  return out;
}

std::vector<const Control*> Catalog::roots() const {
  std::vector<const Control*> out;
  for (std::size_t k : roots_) out.push_back(&controls[k]);
  return out;
}

int Catalog::depth(const Control& c) const {
  int d = 0;
  const Control* p = parent_of(c);
  while (p && d <= static_cast<int>(controls.size())) {
    ++d;
    p = parent_of(*p);
  }
  return d;
}

bool Catalog::is_leaf(const Control& c) const {
  std::size_t i = index_of(c.id);
  return i == npos || i >= children_.size() || children_[i].empty();
}

const Applies* Catalog::effective_applies(const Control& c) const {
  const Control* x = &c;
  std::size_t guard = 0;
  while (x && guard++ <= controls.size()) {
    if (x->applies) return &*x->applies;
    x = parent_of(*x);
  }
  return nullptr;
}

bool Catalog::scope_at(std::size_t i, std::string_view service, std::string_view tier,
                       std::vector<signed char>* memo) const {
  if (memo && (*memo)[i] >= 0) return (*memo)[i] != 0;
  const Control& c = controls[i];
  bool in = false;
  const Applies* a = effective_applies(c);
  if (a) {
    auto it = a->find(std::string(service));
    in = it != a->end() && it->second.contains(std::string(tier));
  } else {
    in = children_[i].empty();  // nothing stated anywhere: a leaf applies everywhere
  }
  if (!in)
    for (std::size_t k : children_[i])
      if (scope_at(k, service, tier, memo)) {
        in = true;
        break;
      }
  if (memo) (*memo)[i] = in ? 1 : 0;
  return in;
}

bool Catalog::in_scope(const Control& c, std::string_view service, std::string_view tier) const {
  if (!find_service(service) || !find_tier(tier)) return false;
  std::size_t i = index_of(c.id);
  if (i == npos || children_.size() != controls.size()) return false;
  return scope_at(i, service, tier, nullptr);
}

std::vector<const Control*> Catalog::baseline(std::string_view service,
                                              std::string_view tier) const {
  std::vector<const Control*> out;
  if (!find_service(service) || !find_tier(tier) || children_.size() != controls.size()) return out;
  std::vector<signed char> memo(controls.size(), -1);
  for (std::size_t i = 0; i < controls.size(); ++i)
    if (scope_at(i, service, tier, &memo)) out.push_back(&controls[i]);
  return out;
}

std::vector<const Control*> Catalog::baseline(const Profile& p) const {
  return baseline(p.service, p.tier);
}

Result<Profile> Catalog::resolve_profile(std::string_view service, std::string_view tier) const {
  if (!find_service(service))
    return fail(fmt::format("catalog '{}' has no service type '{}' (known: {})", id, service,
                            join(ids_of(service_types))),
                {}, Exit::kUsage);
  if (!find_tier(tier))
    return fail(
        fmt::format("catalog '{}' has no tier '{}' (known: {})", id, tier, join(ids_of(tiers))), {},
        Exit::kUsage);
  for (const auto& p : profiles)
    if (p.service == service && p.tier == tier) return p;
  return Profile{fmt::format("{}-{}", service, tier), std::string(service), std::string(tier)};
}

Result<Profile> Catalog::resolve_profile(std::string_view name) const {
  if (const Profile* p = find_profile(name)) return *p;
  // "<service>-<tier>" even when not listed; service ids may themselves contain '-'.
  for (const auto& s : service_types) {
    if (name.size() > s.id.size() + 1 && name.starts_with(s.id) && name[s.id.size()] == '-') {
      std::string_view tier = name.substr(s.id.size() + 1);
      if (find_tier(tier)) return resolve_profile(s.id, tier);
    }
  }
  return fail(fmt::format("catalog '{}' has no profile '{}' (profiles: {})", id, name,
                          join(ids_of(profiles))),
              {}, Exit::kUsage);
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    if (da && db) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string_view na = a.substr(i, i2 - i), nb = b.substr(j, j2 - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// ---- loading ----------------------------------------------------------------------------------

Result<Catalog> load_catalog_text(std::string_view text, const std::string& file) {
  auto root = yaml::parse_one(text, file);
  if (!root) return std::unexpected(root.error());
  if (root->is_map()) {
    if (const Node* c = root->get("catalog"); c && c->is_map())
      return parse_oscal(*root, file, {}, {});
  }
  return parse_catalog(*root, file);
}

Result<Catalog> load_oscal_text(std::string_view catalog_json, const std::string& file,
                                std::string_view profile_json, const std::string& profile_file) {
  auto root = yaml::parse_one(catalog_json, file);
  if (!root) return std::unexpected(root.error());
  return parse_oscal(*root, file, profile_json, profile_file.empty() ? "profile" : profile_file);
}

std::vector<std::string> bundled_names() {
  std::vector<std::string> out;
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    if (p.starts_with("catalogs/") && p.ends_with(".yaml") &&
        p.find('/', 9) == std::string_view::npos)
      out.emplace_back(p.substr(9, p.size() - 9 - 5));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<Catalog> load_bundled(std::string_view name) {
  std::string path = fmt::format("catalogs/{}.yaml", name);
  for (const auto& f : embedded_files()) {
    if (f.path != path) continue;
    auto cat = load_catalog_text(f.bytes, path);
    if (!cat) return cat;
    cat->source = fmt::format("bundled:{}", name);
    return cat;
  }
  return fail(fmt::format("no bundled catalog '{}' (bundled: {})", name, join(bundled_names())), {},
              Exit::kUsage);
}

Result<Catalog> load_catalog(const std::string& name_or_path) {
  namespace fs = std::filesystem;
  fs::path p(name_or_path);
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::error_code ec;
  bool is_path = fs::exists(p, ec) || ext == ".yaml" || ext == ".yml" || ext == ".json" ||
                 name_or_path.find('/') != std::string::npos;
  if (!is_path) return load_bundled(name_or_path);
  auto text = read_text_file(p);
  if (!text) return std::unexpected(text.error());
  return load_catalog_text(*text, name_or_path);
}

}  // namespace csap::catalog
