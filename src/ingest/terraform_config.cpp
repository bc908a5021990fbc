// The plan's `configuration`: provider settings per module (for $region/$site) and expression
// references between resources (through module outputs and module variables).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
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
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
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
    if (i < ref.size() && ref[i] == '.')
      ++i;
    else
      return false;  // "module.x" alone
  }
  std::string_view rest = ref.substr(i);
  std::string prefix;
  if (rest.starts_with("data.")) {
    prefix = "data.";
    rest.remove_prefix(5);
  }
  std::string_view type = segment(rest);
  if (type.empty() || type.size() == rest.size() || rest[type.size()] != '.') return false;
  static constexpr std::string_view kNotResources[] = {
      "var", "local", "each", "count", "path", "self", "terraform", "module", "data"};
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
      m.resources[addr] = ConfigResource{ro, path};
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
  auto mit = modules_.find(module_path);
  if (mit == modules_.end()) return nullptr;
  auto it = mit->second.resources.find(address);
  return it == mit->second.resources.end() ? nullptr : &it->second;
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
  // A variable declared `sensitive = true` makes what is read from it sensitive.
  Resolved r = resolve_variable_value(module_path, name, depth);
  auto mit = modules_.find(module_path);
  bool sens = false;
  if (mit != modules_.end() && !mit->second.module["variables"][name]["sensitive"].get(sens) &&
      sens)
    r.sensitive = true;
  return r;
}

Resolved Configuration::resolve_variable_value(const std::string& module_path,
                                               std::string_view name, int depth) const {
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
                                std::vector<RefTarget>& out) const {
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
  // A constant instance key right after the address: aws_s3_bucket.this[0], x.y["k"].
  std::string index;
  if (ref.starts_with(addr) && ref.size() > addr.size() && ref[addr.size()] == '[') {
    std::size_t end = skip_brackets(ref, addr.size());
    std::string_view key = ref.substr(addr.size() + 1, end - addr.size() - 2);
    bool digits = !key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos;
    bool quoted = key.size() >= 2 && key.front() == '"' && key.back() == '"';
    if (digits || quoted) index = std::string(ref.substr(addr.size(), end - addr.size()));
  }
  out.push_back(RefTarget{{}, module_path, std::move(addr), std::move(index)});
}

void Configuration::references(const ConfigResource& r, std::vector<RefTarget>& out) const {
  dom::object ex;
  if (r.object["expressions"].get(ex)) return;
  std::vector<std::string_view> refs;
  std::vector<RefTarget> targets;
  for (auto [attr, e] : ex) {
    refs.clear();
    targets.clear();
    collect(e, refs);
    for (auto ref : refs) resolve_ref(ref, r.module_path, 0, targets);
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    // "x.y[0]" and "x.y" both listed: the indexed form says which instance.
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const RefTarget& t = targets[i];
      if (t.index.empty() && i + 1 < targets.size() &&
          targets[i + 1].module_path == t.module_path && targets[i + 1].address == t.address)
        continue;
      out.push_back(t);
      out.back().attr = std::string(attr);
    }
  }
}

// ---- configuration keys ----------------------------------------------------------------------

namespace {

struct ViewKey {
  std::string_view a, b, c, d;
  bool operator==(const ViewKey&) const = default;
};
struct ViewKeyHash {
  std::size_t operator()(const ViewKey& k) const noexcept {
    std::hash<std::string_view> h;
    std::size_t x = h(k.a);
    x = x * 1000003u ^ h(k.b);
    x = x * 1000003u ^ h(k.c);
    x = x * 1000003u ^ h(k.d);
    return x;
  }
};

std::string config_address(const Resource& r) {
  std::string a;
  if (r.mode == "data") a = "data.";
  a.append(r.type).append(".").append(r.name);
  return a;
}

// Module instance segments of a module address: "module.a[0].module.b" → {"a[0]", "b"}.
std::vector<std::string_view> module_segments(std::string_view a) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < a.size() && a.substr(i).starts_with("module.")) {
    i += 7;
    std::size_t start = i;
    while (i < a.size() && a[i] != '.' && a[i] != '[') ++i;
    if (i < a.size() && a[i] == '[') i = skip_brackets(a, i);
    out.push_back(a.substr(start, i - start));
    if (i < a.size() && a[i] == '.') ++i;
  }
  return out;
}

std::string_view call_name(std::string_view seg) {
  return seg.substr(0, seg.find('['));
}

// Whether two resources can see each other: along the module calls they share, they must be in
// the same module instances (module.app[0] does not refer into module.app[1]).
bool same_instances(std::string_view a_module, std::string_view b_module) {
  if (a_module.empty() || b_module.empty() || a_module == b_module) return true;
  auto a = module_segments(a_module), b = module_segments(b_module);
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
    if (call_name(a[k]) != call_name(b[k])) return true;
    if (a[k] != b[k]) return false;
  }
  return true;
}

// The instance key at the end of a resource's address ("[0]", "[\"a\"]"), or "".
std::string_view instance_key(const Resource& r) {
  std::string_view a = r.address;
  if (a.empty() || a.back() != ']') return {};
  // The key follows "type.name" (names cannot contain '[').
  std::size_t prefix = r.module.empty() ? 0 : r.module.size() + 1;
  if (r.mode == "data") prefix += 5;
  prefix += r.type.size() + 1 + r.name.size();
  return prefix <= a.size() ? a.substr(prefix) : std::string_view();
}

// Resources of the chosen configuration blocks, by module instance and instance key. Most blocks
// have a few instances: they are searched in `all`; the maps are built for large ones only.
struct Instances {
  static constexpr std::size_t kIndexFrom = 16;
  std::vector<std::uint32_t> all;
  std::unordered_map<ViewKey, std::vector<std::uint32_t>, ViewKeyHash> by_module;  // {module}
  std::unordered_map<ViewKey, std::uint32_t, ViewKeyHash> by_key;                  // {module, key}
  bool indexed = false;
};

// Every configuration block's instances, for the blocks asked for.
struct InstanceTable {
  std::vector<std::uint32_t> slot;  // per entry: index into `of`, or kNone
  std::vector<Instances> of;
  static constexpr std::uint32_t kNone = UINT32_MAX;

  explicit InstanceTable(std::size_t entries) : slot(entries, kNone) {}
  void add(std::uint32_t entry, std::uint32_t idx) {
    if (slot[entry] == kNone) {
      slot[entry] = static_cast<std::uint32_t>(of.size());
      of.emplace_back();
    }
    of[slot[entry]].all.push_back(idx);
  }
  // Builds the maps of the large blocks (call once all resources are added).
  void index(const Deployment& d) {
    for (auto& in : of) {
      if (in.all.size() < Instances::kIndexFrom) continue;
      in.indexed = true;
      for (auto idx : in.all) {
        const Resource& r = d.resources[idx];
        in.by_module[ViewKey{r.module, {}, {}, {}}].push_back(idx);
        in.by_key.emplace(ViewKey{r.module, instance_key(r), {}, {}}, idx);
      }
    }
  }
  const Instances* find(std::uint32_t entry) const {
    return slot[entry] == kNone ? nullptr : &of[slot[entry]];
  }
};

// Entry ids by {module path, configuration address} (views into the entries).
std::unordered_map<ViewKey, std::uint32_t, ViewKeyHash> entries_by_address(const ConfigKeys& keys) {
  std::unordered_map<ViewKey, std::uint32_t, ViewKeyHash> out;
  out.reserve(keys.entries.size());
  for (std::uint32_t e = 0; e < keys.entries.size(); ++e)
    out.emplace(ViewKey{keys.entries[e].module_path, keys.entries[e].address, {}, {}}, e);
  return out;
}

}  // namespace

ConfigKeys config_keys(const Deployment& d, std::size_t first, const Configuration* cfg) {
  ConfigKeys k;
  const std::size_t n = d.resources.size() - first;
  k.id.resize(n);
  std::unordered_map<ViewKey, std::uint32_t, ViewKeyHash> ids;
  std::unordered_map<std::string_view, std::string> paths;  // module address → module path
  // {module path, "data" or "", type, name} → id: the configuration block, whatever the module
  // instance (the views point into `paths` and the resources).
  std::unordered_map<ViewKey, std::uint32_t, ViewKeyHash> by_block;
  ids.reserve(n);
  by_block.reserve(n);
  for (std::size_t j = 0; j < n; ++j) {
    const Resource& r = d.resources[first + j];
    if (j > 0) {  // instances of one block usually come one after another
      const Resource& p = d.resources[first + j - 1];
      if (p.name == r.name && p.type == r.type && p.module == r.module && p.mode == r.mode) {
        k.id[j] = k.id[j - 1];
        continue;
      }
    }
    ViewKey vk{r.module, r.mode, r.type, r.name};
    auto it = ids.find(vk);
    if (it == ids.end()) {
      auto pit = paths.find(r.module);
      if (pit == paths.end()) pit = paths.emplace(r.module, config_module_path(r.module)).first;
      const ViewKey bk{pit->second,
                       r.mode == "data" ? std::string_view("data") : std::string_view(), r.type,
                       r.name};
      auto tit = by_block.find(bk);
      std::uint32_t id;
      if (tit != by_block.end()) {
        id = tit->second;  // another module instance of the same block
      } else {
        id = static_cast<std::uint32_t>(k.entries.size());
        std::string addr = config_address(r);
        ConfigKeys::Entry e{pit->second, addr, cfg ? cfg->resource(pit->second, addr) : nullptr};
        k.entries.push_back(std::move(e));
        by_block.emplace(bk, id);
      }
      it = ids.emplace(vk, id).first;
    }
    k.id[j] = it->second;
  }
  return k;
}

// ---- regions, zones, sites -------------------------------------------------------------------

namespace {

// First known string among the attributes; `unknown_set` tells whether one was unknown.
struct AttrHit {
  enum { kNone, kKnown, kUnknown } state = kNone;
  std::string_view value;
  std::string_view attr;
  bool sensitive = false;  // the attribute is marked sensitive: so is what is derived from it
};

// One pass over the members for the region, zone and arn attributes.
struct Attrs {
  AttrHit region, zone;
  std::string_view arn;
  bool arn_sensitive = false;
};
void hit(AttrHit& h, const std::vector<std::string>& names, std::string_view key, const Value& v) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != key) continue;
    if (v.is_string() && !v.str().empty()) {
      // The first listed attribute wins over later ones.
      if (h.state != AttrHit::kKnown ||
          i < static_cast<std::size_t>(std::find(names.begin(), names.end(), h.attr) -
                                       names.begin()))
        h = {AttrHit::kKnown, v.str(), names[i], v.any_sensitive()};
    } else if (v.is_unknown() && h.state == AttrHit::kNone) {
      h.state = AttrHit::kUnknown;
      h.attr = names[i];
    }
  }
}
Attrs scan_attrs(const Value& values, const ProviderLocation& p) {
  Attrs a;
  for (const auto& m : values.members()) {
    hit(a.region, p.region_attributes, m.key, m.value);
    hit(a.zone, p.zone_attributes, m.key, m.value);
    if (p.arn_region && m.key == "arn" && m.value.is_string()) {
      a.arn = m.value.str();
      a.arn_sensitive = m.value.any_sensitive();
    }
  }
  return a;
}

AttrHit first_attr(const Value& values, const std::vector<std::string>& attrs) {
  AttrHit h;
  for (const auto& a : attrs) {
    const Value* v = values.get(a);
    if (!v) continue;
    if (v->is_string() && !v->str().empty())
      return {AttrHit::kKnown, v->str(), a, v->any_sensitive()};
    if (v->is_unknown() && h.state == AttrHit::kNone) {
      h.state = AttrHit::kUnknown;
      h.attr = a;
    }
  }
  return h;
}

// "arn:aws:s3:::bucket" has no region; "arn:aws:ec2:ap-northeast-2:123:instance/i-1" has.
std::string_view arn_region(std::string_view s) {
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
                       const ConfigKeys& keys, const ProviderTable& table) {
  Arena& A = d.arena();
  std::unordered_map<std::string, Resolved> cache;                 // provider arguments
  std::unordered_map<std::string_view, std::string_view> strings;  // views into the arena
  auto intern = [&](std::string_view s) -> Value {
    auto it = strings.find(s);
    if (it == strings.end()) {
      const std::string_view owned = A.copy(s);
      it = strings.emplace(owned, owned).first;
    }
    return Value::string(it->second);
  };
  static const std::vector<std::string> kGenericRegion = {"region", "location"};
  // Per configuration block (all its instances share type, module and provider configuration).
  std::vector<signed char> global(keys.entries.size(), -1);
  std::vector<std::optional<Resolved>> region_cache(keys.entries.size()),
      site_cache(keys.entries.size());
  const ProviderLocation* last_p = nullptr;
  std::string_view last_name;
  bool last_none = false;
  for (std::size_t i = first; i < d.resources.size(); ++i) {
    Resource& r = d.resources[i];
    r.region = Value::null();
    r.zone = Value::null();
    r.site = Value::null();
    const std::string_view prov = r.provider;
    if (prov.empty()) continue;
    if (prov != last_name) {
      last_name = prov;
      last_none = table.no_location(prov);
      last_p = table.find(prov);
    }
    if (last_none) continue;
    const ProviderLocation* P = last_p;
    if (!P) {
      // Not a listed provider: a region/location attribute when there is one.
      AttrHit h = first_attr(r.values, kGenericRegion);
      if (h.state == AttrHit::kKnown) {
        r.region = intern(h.value);
        r.region.set_sensitive(h.sensitive);
      } else if (h.state == AttrHit::kUnknown)
        r.region = Value::unknown();
      continue;
    }
    const ConfigKeys::Entry& entry = keys.entries[keys.id[i - first]];
    const Configuration::ConfigResource* cr = entry.block;
    auto uncached = [&](const std::string& arg) -> Resolved {
      if (!cfg || arg.empty()) return {};
      std::string_view pck;
      if (cr && cr->object["provider_config_key"].get(pck)) pck = {};
      std::string key =
          entry.module_path + "\x1f" + std::string(pck) + "\x1f" + std::string(prov) + "\x1f" + arg;
      auto it = cache.find(key);
      if (it == cache.end())
        it = cache.emplace(key, cfg->provider_arg(entry.module_path, pck, prov, arg)).first;
      return it->second;
    };
    auto provider_arg = [&](const std::string& arg) -> Resolved {
      if (!cfg || arg.empty()) return {};
      if (arg == P->config_region || arg == P->config_site) {
        auto& slot = (arg == P->config_region ? region_cache : site_cache)[keys.id[i - first]];
        if (!slot) slot = uncached(arg);
        return *slot;
      }
      return uncached(arg);
    };

    // $site: ncloud's provider setting (public | gov | fin).
    if (!P->config_site.empty()) {
      Resolved s = provider_arg(P->config_site);
      if (s.state == Resolved::kKnown) {
        r.site = intern(s.value);
        r.site.set_sensitive(s.sensitive);
      } else if (s.state == Resolved::kUnknown)
        r.site = Value::unknown();
      else if (P->default_site)
        r.site = intern(*P->default_site);
      else
        r.site = Value::unknown();
    }
    signed char& g = global[keys.id[i - first]];
    if (g < 0) g = table.is_global(*P, r.type) ? 1 : 0;
    if (g) continue;

    // $zone from the resource's attributes (or the provider's zone setting).
    const Attrs attrs = scan_attrs(r.values, *P);
    const AttrHit& zone = attrs.zone;
    if (zone.state == AttrHit::kKnown) {
      r.zone = intern(zone.value);
      r.zone.set_sensitive(zone.sensitive);
    } else if (zone.state == AttrHit::kUnknown)
      r.zone = Value::unknown();

    // $region: own attribute, zone, ARN, provider configuration, default.
    bool done = false;
    const AttrHit& reg = attrs.region;
    if (reg.state == AttrHit::kKnown) {
      std::string z = table.region_of_zone(*P, reg.value);  // google: location may be a zone
      r.region = intern(z.empty() ? table.normalize_region(*P, reg.value) : z);
      r.region.set_sensitive(reg.sensitive);
      done = true;
    } else if (reg.state == AttrHit::kUnknown && cr && Configuration::sets(*cr, reg.attr)) {
      // Set in the configuration but known only after apply. (A computed attribute that the
      // configuration does not set, like aws_s3_bucket.region, follows the provider instead.)
      r.region = Value::unknown();
      done = true;
    }
    if (!done && zone.state == AttrHit::kKnown) {
      std::string z = table.region_of_zone(*P, zone.value);
      if (!z.empty()) {
        r.region = intern(z);
        r.region.set_sensitive(zone.sensitive);
        done = true;
      }
    }
    if (!done && P->arn_region) {
      std::string_view a = arn_region(attrs.arn);
      if (!a.empty()) {
        r.region = intern(a);
        r.region.set_sensitive(attrs.arn_sensitive);
        done = true;
      }
    }
    if (!done) {
      Resolved c = provider_arg(P->config_region);
      if (c.state == Resolved::kKnown) {
        r.region = intern(table.normalize_region(*P, c.value));
        r.region.set_sensitive(c.sensitive);
        done = true;
      } else if (c.state == Resolved::kUnknown) {
        r.region = Value::unknown();
        done = true;
      } else if (!P->config_zone.empty()) {
        Resolved z = provider_arg(P->config_zone);
        if (z.state == Resolved::kKnown) {
          std::string zr = table.region_of_zone(*P, z.value);
          if (r.zone.is_null()) {
            r.zone = intern(z.value);
            r.zone.set_sensitive(z.sensitive);
          }
          if (!zr.empty()) {
            r.region = intern(zr);
            r.region.set_sensitive(z.sensitive);
            done = true;
          }
        }
      }
    }
    if (!done) r.region = P->default_region ? intern(*P->default_region) : Value::unknown();
  }
}

// ---- references ------------------------------------------------------------------------------

namespace {

void sort_unique(std::vector<Reference>& refs) {
  std::sort(refs.begin(), refs.end(), [](const Reference& a, const Reference& b) {
    return a.attr != b.attr ? a.attr < b.attr : a.target < b.target;
  });
  refs.erase(std::unique(refs.begin(), refs.end(),
                         [](const Reference& a, const Reference& b) {
                           return a.attr == b.attr && a.target == b.target;
                         }),
             refs.end());
}

// Targets of one reference from resource `self`: the same module instance and, when the
// reference names a constant key or both sides share a count/for_each key, that one instance.
void pick_targets(const Deployment& d, const Resource& self, std::string_view self_key,
                  bool same_module_path, std::string_view index, const Instances& inst,
                  std::vector<std::uint32_t>& out) {
  out.clear();
  if (same_module_path) {
    std::string_view want = !index.empty() ? index : self_key;
    if (!inst.indexed) {
      // The same answers as the maps below, from the few instances themselves.
      if (!want.empty())
        for (auto t : inst.all) {
          const Resource& tr = d.resources[t];
          if (tr.module == self.module && instance_key(tr) == want) {
            out.push_back(t);
            return;
          }
        }
      for (auto t : inst.all)
        if (d.resources[t].module == self.module) out.push_back(t);
      return;
    }
    if (!want.empty()) {
      auto bk = inst.by_key.find(ViewKey{self.module, want, {}, {}});
      if (bk != inst.by_key.end()) {
        out.push_back(bk->second);
        return;
      }
    }
    auto bm = inst.by_module.find(ViewKey{self.module, {}, {}, {}});
    if (bm != inst.by_module.end()) out = bm->second;
    return;
  }
  for (auto t : inst.all)
    if (same_instances(self.module, d.resources[t].module)) out.push_back(t);
}

}  // namespace

void resolve_references(Deployment& d, std::size_t first, const Configuration& cfg,
                        const ConfigKeys& keys) {
  Arena& A = d.arena();
  const std::size_t n = d.resources.size() - first;
  const auto entry_of = entries_by_address(keys);
  // References of each configuration block, as (attr, target entry, constant key).
  struct Ref {
    std::string_view attr;
    std::uint32_t entry;
    std::string index;
  };
  std::vector<std::vector<Ref>> refs_of(keys.entries.size());
  std::vector<char> done(keys.entries.size(), 0), is_target(keys.entries.size(), 0);
  std::unordered_map<std::string_view, std::string_view> attrs;  // views into the arena
  std::vector<Configuration::RefTarget> raw;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t e = keys.id[j];
    if (done[e]) continue;
    done[e] = 1;
    if (!keys.entries[e].block) continue;
    raw.clear();
    cfg.references(*keys.entries[e].block, raw);
    for (auto& t : raw) {
      auto it = entry_of.find(ViewKey{t.module_path, t.address, {}, {}});
      if (it == entry_of.end()) continue;
      auto at = attrs.find(t.attr);
      if (at == attrs.end()) {
        const std::string_view owned = A.copy(t.attr);
        at = attrs.emplace(owned, owned).first;
      }
      refs_of[e].push_back(Ref{at->second, it->second, std::move(t.index)});
      is_target[it->second] = 1;
    }
  }
  // Index the instances of every referenced block.
  InstanceTable instances(keys.entries.size());
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t e = keys.id[j];
    if (is_target[e]) instances.add(e, static_cast<std::uint32_t>(first + j));
  }
  instances.index(d);
  std::vector<std::uint32_t> found;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t e = keys.id[j];
    if (refs_of[e].empty()) continue;
    const auto self = static_cast<std::uint32_t>(first + j);
    Resource& r = d.resources[self];
    const std::string_view own_key = instance_key(r);
    for (const auto& ref : refs_of[e]) {
      const Instances* in = instances.find(ref.entry);
      if (!in) continue;
      const bool same_path = keys.entries[ref.entry].module_path == keys.entries[e].module_path;
      pick_targets(d, r, own_key, same_path, ref.index, *in, found);
      for (auto t : found)
        if (t != self) r.refs.push_back(Reference{ref.attr, t});
    }
    sort_unique(r.refs);
  }
}

void resolve_dependencies(Deployment& d, std::size_t first) {
  bool any = false;
  for (std::size_t i = first; i < d.resources.size() && !any; ++i)
    any = !d.resources[i].refs.empty() && d.resources[i].refs.front().target == UINT32_MAX;
  if (!any) return;
  ConfigKeys keys = config_keys(d, first, nullptr);
  const auto entry_of = entries_by_address(keys);
  InstanceTable instances(keys.entries.size());
  for (std::size_t j = 0; j < keys.id.size(); ++j)
    instances.add(keys.id[j], static_cast<std::uint32_t>(first + j));
  instances.index(d);
  std::vector<std::uint32_t> found;
  std::vector<Reference> out;
  for (std::size_t j = 0; j < keys.id.size(); ++j) {
    const auto self = static_cast<std::uint32_t>(first + j);
    Resource& r = d.resources[self];
    if (r.refs.empty() || r.refs.front().target != UINT32_MAX) continue;
    out.clear();
    const std::string_view own_key = instance_key(r);
    for (const auto& dep : r.refs) {
      std::string mp, addr;
      if (!split_resource_ref(dep.attr, &mp, &addr)) continue;
      auto it = entry_of.find(ViewKey{mp, addr, {}, {}});
      if (it == entry_of.end()) continue;
      const bool same_path = mp == keys.entries[keys.id[j]].module_path;
      const Instances* in = instances.find(it->second);
      if (!in) continue;
      pick_targets(d, r, own_key, same_path, {}, *in, found);
      for (auto t : found)
        if (t != self) out.push_back(Reference{std::string_view(), t});
    }
    sort_unique(out);
    r.refs = out;
  }
}

}  // namespace csap::ingest::detail
