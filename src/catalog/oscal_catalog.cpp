// OSCAL 1.x catalogs (groups and controls), optionally narrowed by an OSCAL profile.
#include <fmt/format.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <set>

#include "catalog/reader.h"

namespace csap::catalog {
namespace detail {
namespace {

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

}  // namespace

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

}  // namespace detail

Result<Catalog> load_oscal_text(std::string_view catalog_json, const std::string& file,
                                std::string_view profile_json, const std::string& profile_file) {
  auto root = yaml::parse_one(catalog_json, file);
  if (!root) return std::unexpected(root.error());
  return detail::parse_oscal(*root, file, profile_json,
                             profile_file.empty() ? "profile" : profile_file);
}

}  // namespace csap::catalog
