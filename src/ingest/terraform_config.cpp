// The plan's `configuration`: provider settings per module (for $region/$site) and expression
// references between resources (through module outputs and module variables).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "ingest/terraform_internal.h"

namespace csap::ingest::detail {
namespace dom = simdjson::dom;

namespace {

// Index just past the bracket group starting at a[i] == '['.
std::size_t skip_brackets(std::string_view a, std::size_t i) {
  bool quoted = false;
  for (++i; i < a.size(); ++i) {
    char c = a[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ']') {
      return i + 1;
    }
  }
  return a.size();
}

std::string parent_path(const std::string& p) {
  auto dot = p.rfind('.');
  return dot == std::string::npos ? std::string() : p.substr(0, dot);
}

std::string join(const std::string& a, std::string_view b) {
  return a.empty() ? std::string(b) : a + "." + std::string(b);
}

// Name after a prefix such as "var." up to the next '.' or '['.
std::string_view segment(std::string_view s) {
  auto end = s.find_first_of(".[");
  return end == std::string_view::npos ? s : s.substr(0, end);
}

}  // namespace

std::string config_module_path(std::string_view a) {
  std::string out;
  std::size_t i = 0;
  while (i < a.size() && a.substr(i).starts_with("module.")) {
    i += 7;
    std::size_t start = i;
    while (i < a.size() && a[i] != '.' && a[i] != '[') ++i;
    if (!out.empty()) out += '.';
    out.append(a.substr(start, i - start));
    if (i < a.size() && a[i] == '[') i = skip_brackets(a, i);
    if (i < a.size() && a[i] == '.') ++i;
  }
  return out;
}

bool split_resource_ref(std::string_view ref, std::string* module_path, std::string* resource) {
  std::string mp;
  std::size_t i = 0;
  while (ref.substr(i).starts_with("module.")) {
    i += 7;
    std::size_t start = i;
    while (i < ref.size() && ref[i] != '.' && ref[i] != '[') ++i;
    mp = join(mp, ref.substr(start, i - start));
    if (i < ref.size() && ref[i] == '[') i = skip_brackets(ref, i);
    if (i < ref.size() && ref[i] == '.') ++i;
    else return false;  // "module.x" alone
  }
  std::string_view rest = ref.substr(i);
  std::string prefix;
  if (rest.starts_with("data.")) {
    prefix = "data.";
    rest.remove_prefix(5);
  }
  std::string_view type = segment(rest);
  if (type.empty() || type.size() == rest.size() || rest[type.size()] != '.') return false;
  static constexpr std::string_view kNotResources[] = {"var", "local", "each", "count", "path",
                                                       "self", "terraform", "module", "data"};
  if (prefix.empty())
    for (auto n : kNotResources)
      if (type == n) return false;
  std::string_view name = segment(rest.substr(type.size() + 1));
  if (name.empty()) return false;
  *module_path = std::move(mp);
  *resource = prefix + std::string(type) + "." + std::string(name);
  return true;
}

// ---- Configuration ---------------------------------------------------------------------------

void Configuration::index_module(dom::object module, const std::string& path) {
  Module& m = modules_[path];
  m.module = module;
  dom::array rs;
  if (!module["resources"].get(rs)) {
    for (dom::element r : rs) {
      dom::object ro;
      std::string_view addr;
      if (r.get(ro) || ro["address"].get(addr)) continue;
      resources_[path + "|" + std::string(addr)] = ConfigResource{ro, path};
    }
  }
  dom::object calls;
  if (!module["module_calls"].get(calls)) {
    for (auto [name, call] : calls) {
      dom::object co, child;
      if (call.get(co) || co["module"].get(child)) continue;
      const std::string child_path = join(path, name);
      index_module(child, child_path);
      Module& cm = modules_[child_path];
      cm.call = co;
      cm.has_call = true;
    }
  }
}

void Configuration::load(dom::element config, dom::element variables, bool have_variables) {
  dom::object root;
  if (!config["root_module"].get(root)) index_module(root, "");
  dom::object pcs;
  if (!config["provider_config"].get(pcs)) {
    for (auto [key, entry] : pcs) {
      dom::object eo;
      if (entry.get(eo)) continue;
      std::string path;
      std::string_view local = key;
      if (auto colon = key.rfind(':'); colon != std::string_view::npos) {
        local = key.substr(colon + 1);
        std::string_view prefix = key.substr(0, colon);
        path = prefix.starts_with("module.") ? config_module_path(prefix) : std::string(prefix);
      }
      std::string_view ma;
      if (!eo["module_address"].get(ma)) path = config_module_path(ma);
      providers_[path + "|" + std::string(local)] = ProviderEntry{eo, path};
    }
  }
  if (have_variables && !variables.get(variables_)) have_variables_ = true;
}

const Configuration::ConfigResource* Configuration::resource(std::string_view module_path,
                                                             std::string_view address) const {
  std::string key;
  key.reserve(module_path.size() + address.size() + 1);
  key.append(module_path).append("|").append(address);
  auto it = resources_.find(key);
  return it == resources_.end() ? nullptr : &it->second;
}

bool Configuration::sets(const ConfigResource& r, std::string_view attr) {
  dom::object ex;
  if (r.object["expressions"].get(ex)) return false;
  dom::element e;
  return !ex[attr].get(e);
}

Resolved Configuration::resolve_expression(dom::element expr, const std::string& module_path,
                                           int depth) const {
  if (depth > 32) return Resolved::unknown();
  dom::object eo;
  if (expr.get(eo)) return Resolved::unknown();
  dom::element cv;
  if (!eo["constant_value"].get(cv)) {
    std::string_view s;
    if (!cv.get(s)) return Resolved::known(std::string(s));
    if (cv.is_null()) return {};
    return Resolved::unknown();
  }
  dom::array refs;
  if (!eo["references"].get(refs)) {
    std::string_view var;
    for (dom::element r : refs) {
      std::string_view s;
      if (r.get(s) || !s.starts_with("var.")) return Resolved::unknown();
      std::string_view name = segment(s.substr(4));
      if (!var.empty() && name != var) return Resolved::unknown();
      var = name;
    }
    if (!var.empty()) return resolve_variable(module_path, var, depth + 1);
  }
  return Resolved::unknown();
}

Resolved Configuration::resolve_variable(const std::string& module_path, std::string_view name,
                                         int depth) const {
  auto mit = modules_.find(module_path);
  if (module_path.empty()) {
    if (have_variables_) {
      dom::element v;
      if (!variables_[name]["value"].get(v)) {
        std::string_view s;
        if (!v.get(s)) return Resolved::known(std::string(s));
        if (v.is_null()) return {};
        return Resolved::unknown();
      }
    }
  } else if (mit != modules_.end() && mit->second.has_call) {
    dom::element e;
    if (!mit->second.call["expressions"][name].get(e))
      return resolve_expression(e, parent_path(module_path), depth + 1);
  }
  // Not passed in: the variable's default.
  if (mit != modules_.end()) {
    dom::element def;
    if (!mit->second.module["variables"][name]["default"].get(def)) {
      std::string_view s;
      if (!def.get(s)) return Resolved::known(std::string(s));
      if (def.is_null()) return {};
    }
  }
  return Resolved::unknown();
}

Resolved Configuration::lookup_provider(std::string module_path, const std::string& local,
                                        std::string_view arg, int depth) const {
  for (; depth < 64; ++depth) {
    auto it = providers_.find(module_path + "|" + local);
    if (it != providers_.end()) {
      dom::object ex;
      if (!it->second.object["expressions"].get(ex) && ex.size() > 0) {
        dom::element e;
        if (!ex[arg].get(e)) return resolve_expression(e, it->second.module_path, 0);
        return {};  // a configured provider block that does not set it
      }
    }
    if (module_path.empty()) return {};
    module_path = parent_path(module_path);  // inherited from the calling module
  }
  return Resolved::unknown();
}

Resolved Configuration::provider_arg(std::string_view module_path, std::string_view key,
                                     std::string_view provider, std::string_view arg) const {
  if (key.empty()) return lookup_provider(std::string(module_path), std::string(provider), arg, 0);
  std::string path;
  std::string_view local = key;
  if (auto colon = key.rfind(':'); colon != std::string_view::npos) {
    local = key.substr(colon + 1);
    std::string_view prefix = key.substr(0, colon);
    path = prefix.starts_with("module.") ? config_module_path(prefix) : std::string(prefix);
  }
  return lookup_provider(std::move(path), std::string(local), arg, 0);
}

void Configuration::collect(dom::element e, std::vector<std::string_view>& refs) const {
  dom::object o;
  dom::array a;
  if (!e.get(o)) {
    for (auto [k, v] : o) {
      if (k == "references") {
        dom::array ra;
        if (!v.get(ra))
          for (dom::element r : ra) {
            std::string_view s;
            if (!r.get(s)) refs.push_back(s);
          }
      } else if (k != "constant_value") {
        collect(v, refs);
      }
    }
  } else if (!e.get(a)) {
    for (dom::element x : a) collect(x, refs);
  }
}

void Configuration::resolve_ref(std::string_view ref, const std::string& module_path, int depth,
                                std::vector<std::pair<std::string, std::string>>& out) const {
  if (depth > 16) return;
  if (ref.starts_with("var.")) {
    if (module_path.empty()) return;
    auto it = modules_.find(module_path);
    if (it == modules_.end() || !it->second.has_call) return;
    dom::element e;
    if (it->second.call["expressions"][segment(ref.substr(4))].get(e)) return;
    std::vector<std::string_view> refs;
    collect(e, refs);
    const std::string parent = parent_path(module_path);
    for (auto r : refs) resolve_ref(r, parent, depth + 1, out);
    return;
  }
  if (ref.starts_with("module.")) {
    std::string_view rest = ref.substr(7);
    std::string_view name = segment(rest);
    std::size_t i = name.size();
    if (i < rest.size() && rest[i] == '[') i = skip_brackets(rest, i);
    std::string_view output;
    if (i < rest.size() && rest[i] == '.') output = segment(rest.substr(i + 1));
    const std::string child = join(module_path, name);
    auto it = modules_.find(child);
    if (it == modules_.end()) return;
    dom::object outputs;
    if (it->second.module["outputs"].get(outputs)) return;
    std::vector<std::string_view> refs;
    for (auto [oname, odef] : outputs) {
      if (!output.empty() && oname != output) continue;
      dom::element e;
      if (!odef["expression"].get(e)) collect(e, refs);
    }
    for (auto r : refs) resolve_ref(r, child, depth + 1, out);
    return;
  }
  std::string mp, addr;
  if (!split_resource_ref(ref, &mp, &addr)) return;
  out.emplace_back(module_path, std::move(addr));
}

void Configuration::references(
    const ConfigResource& r,
    std::vector<std::pair<std::string, std::pair<std::string, std::string>>>& out) const {
  dom::object ex;
  if (r.object["expressions"].get(ex)) return;
  std::vector<std::string_view> refs;
  std::vector<std::pair<std::string, std::string>> targets;
  for (auto [attr, e] : ex) {
    refs.clear();
    targets.clear();
    collect(e, refs);
    for (auto ref : refs) resolve_ref(ref, r.module_path, 0, targets);
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    for (auto& t : targets) out.emplace_back(std::string(attr), t);
  }
}

// ---- regions, zones, sites -------------------------------------------------------------------

namespace {

std::string config_address(const Resource& r) {
  std::string a;
  if (r.mode == "data") a = "data.";
  a.append(r.type).append(".").append(r.name);
  return a;
}

// First known string among the attributes; `unknown_set` tells whether one was unknown.
struct AttrHit {
  enum { kNone, kKnown, kUnknown } state = kNone;
  std::string_view value;
  std::string_view attr;
};

AttrHit first_attr(const Value& values, const std::vector<std::string>& attrs) {
  AttrHit h;
  for (const auto& a : attrs) {
    const Value* v = values.get(a);
    if (!v) continue;
    if (v->is_string() && !v->str().empty()) return {AttrHit::kKnown, v->str(), a};
    if (v->is_unknown() && h.state == AttrHit::kNone) {
      h.state = AttrHit::kUnknown;
      h.attr = a;
    }
  }
  return h;
}

// "arn:aws:s3:::bucket" has no region; "arn:aws:ec2:ap-northeast-2:123:instance/i-1" has.
std::string_view arn_region(const Value& values) {
  const Value* arn = values.get("arn");
  if (!arn || !arn->is_string()) return {};
  std::string_view s = arn->str();
  if (!s.starts_with("arn:")) return {};
  std::size_t pos = 0;
  for (int field = 0; field < 3; ++field) {
    pos = s.find(':', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  auto end = s.find(':', pos);
  if (end == std::string_view::npos) return {};
  return s.substr(pos, end - pos);
}

}  // namespace

void resolve_locations(Deployment& d, std::size_t first, const Configuration* cfg,
                       const ProviderTable& table) {
  Arena& A = d.arena();
  std::unordered_map<std::string, Resolved> cache;  // provider arguments
  std::unordered_map<std::string, std::string_view> strings;
  auto intern = [&](const std::string& s) -> Value {
    auto it = strings.find(s);
    if (it == strings.end()) it = strings.emplace(s, A.copy(s)).first;
    return Value::string(it->second);
  };
  for (std::size_t i = first; i < d.resources.size(); ++i) {
    Resource& r = d.resources[i];
    r.region = Value::null();
    r.zone = Value::null();
    r.site = Value::null();
    const std::string_view prov = r.provider;
    if (prov.empty() || table.no_location(prov)) continue;
    const ProviderLocation* P = table.find(prov);
    if (!P) {
      // Not a listed provider: a region/location attribute when there is one.
      AttrHit h = first_attr(r.values, {"region", "location"});
      if (h.state == AttrHit::kKnown) r.region = intern(std::string(h.value));
      else if (h.state == AttrHit::kUnknown) r.region = Value::unknown();
      continue;
    }
    const std::string mp = cfg ? config_module_path(r.module) : std::string();
    const Configuration::ConfigResource* cr = cfg ? cfg->resource(mp, config_address(r)) : nullptr;
    std::string_view pck;
    if (cr && cr->object["provider_config_key"].get(pck)) pck = {};
    auto provider_arg = [&](const std::string& arg) -> Resolved {
      if (!cfg || arg.empty()) return {};
      std::string key = mp + "\x1f" + std::string(pck) + "\x1f" + std::string(prov) + "\x1f" + arg;
      auto it = cache.find(key);
      if (it == cache.end()) it = cache.emplace(key, cfg->provider_arg(mp, pck, prov, arg)).first;
      return it->second;
    };

    // $site: ncloud's provider setting (public | gov | fin).
    if (!P->config_site.empty()) {
      Resolved s = provider_arg(P->config_site);
      if (s.state == Resolved::kKnown) r.site = intern(s.value);
      else if (s.state == Resolved::kUnknown) r.site = Value::unknown();
      else if (P->default_site) r.site = intern(*P->default_site);
      else r.site = Value::unknown();
    }
    if (table.is_global(*P, r.type)) continue;

    // $zone from the resource's attributes (or the provider's zone setting).
    AttrHit zone = first_attr(r.values, P->zone_attributes);
    if (zone.state == AttrHit::kKnown) r.zone = intern(std::string(zone.value));
    else if (zone.state == AttrHit::kUnknown) r.zone = Value::unknown();

    // $region: own attribute, zone, ARN, provider configuration, default.
    bool done = false;
    AttrHit reg = first_attr(r.values, P->region_attributes);
    if (reg.state == AttrHit::kKnown) {
      std::string z = table.region_of_zone(*P, reg.value);  // google: location may be a zone
      r.region = intern(z.empty() ? table.normalize_region(*P, reg.value) : z);
      done = true;
    } else if (reg.state == AttrHit::kUnknown && (!cr || Configuration::sets(*cr, reg.attr))) {
      // Set in the configuration but known only after apply. (A computed attribute that the
      // configuration does not set, like aws_s3_bucket.region, follows the provider instead.)
      if (cr) {
        r.region = Value::unknown();
        done = true;
      }
    }
    if (!done && zone.state == AttrHit::kKnown) {
      std::string z = table.region_of_zone(*P, zone.value);
      if (!z.empty()) {
        r.region = intern(z);
        done = true;
      }
    }
    if (!done && P->arn_region) {
      std::string_view a = arn_region(r.values);
      if (!a.empty()) {
        r.region = intern(std::string(a));
        done = true;
      }
    }
    if (!done) {
      Resolved c = provider_arg(P->config_region);
      if (c.state == Resolved::kKnown) {
        r.region = intern(table.normalize_region(*P, c.value));
        done = true;
      } else if (c.state == Resolved::kUnknown) {
        r.region = Value::unknown();
        done = true;
      } else if (!P->config_zone.empty()) {
        Resolved z = provider_arg(P->config_zone);
        if (z.state == Resolved::kKnown) {
          std::string zr = table.region_of_zone(*P, z.value);
          if (r.zone.is_null()) r.zone = intern(z.value);
          if (!zr.empty()) {
            r.region = intern(zr);
            done = true;
          }
        }
      }
    }
    if (!done) r.region = P->default_region ? intern(*P->default_region) : Value::unknown();
  }
}

void resolve_references(Deployment& d, std::size_t first, const Configuration& cfg) {
  Arena& A = d.arena();
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_config;
  std::vector<std::string> mps(d.resources.size() - first);
  for (std::size_t i = first; i < d.resources.size(); ++i) {
    const Resource& r = d.resources[i];
    mps[i - first] = config_module_path(r.module);
    by_config[mps[i - first] + "|" + config_address(r)].push_back(static_cast<std::uint32_t>(i));
  }
  // Per configuration block: (attribute, targets), computed once for all its instances.
  std::unordered_map<const Configuration::ConfigResource*,
                     std::vector<std::pair<std::string_view, std::vector<std::uint32_t>>>>
      memo;
  std::unordered_map<std::string, std::string_view> attrs;
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> raw;
  for (std::size_t i = first; i < d.resources.size(); ++i) {
    Resource& r = d.resources[i];
    const auto* cr = cfg.resource(mps[i - first], config_address(r));
    if (!cr) continue;
    auto it = memo.find(cr);
    if (it == memo.end()) {
      raw.clear();
      cfg.references(*cr, raw);
      std::vector<std::pair<std::string_view, std::vector<std::uint32_t>>> list;
      for (const auto& [attr, target] : raw) {
        auto bt = by_config.find(target.first + "|" + target.second);
        if (bt == by_config.end()) continue;
        auto at = attrs.find(attr);
        if (at == attrs.end()) at = attrs.emplace(attr, A.copy(attr)).first;
        if (list.empty() || list.back().first != at->second) list.emplace_back(at->second, std::vector<std::uint32_t>{});
        auto& v = list.back().second;
        v.insert(v.end(), bt->second.begin(), bt->second.end());
      }
      it = memo.emplace(cr, std::move(list)).first;
    }
    for (const auto& [attr, targets] : it->second)
      for (auto t : targets)
        if (t != i) r.refs.push_back(Reference{attr, t});
    std::sort(r.refs.begin(), r.refs.end(), [](const Reference& a, const Reference& b) {
      return a.attr != b.attr ? a.attr < b.attr : a.target < b.target;
    });
    r.refs.erase(std::unique(r.refs.begin(), r.refs.end(),
                             [](const Reference& a, const Reference& b) {
                               return a.attr == b.attr && a.target == b.target;
                             }),
                 r.refs.end());
  }
}

}  // namespace csap::ingest::detail
