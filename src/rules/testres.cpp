#include "rules/testres.h"

#include <fmt/format.h>

#include <set>

#include "model/convert.h"
#include "rules/rule.h"

namespace csap::rules {

namespace {

Result<void> set_rec(Value& cur, const std::vector<PathSeg>& segs, std::size_t i, Value v,
                     Arena& arena) {
  if (i == segs.size()) {
    cur = v;
    return {};
  }
  const PathSeg& s = segs[i];
  if (s.kind == PathSeg::Kind::kIndex) {
    if (!cur.is_array()) {
      // Grow an array of nulls up to the index.
      std::size_t n = static_cast<std::size_t>(s.index) + 1;
      Value* items = arena.values(n);
      for (std::size_t k = 0; k < n; ++k) items[k] = Value::null();
      cur = Value::array(items, n);
    }
    if (static_cast<std::size_t>(s.index) >= cur.size()) {
      std::size_t n = static_cast<std::size_t>(s.index) + 1;
      Value* items = arena.values(n);
      std::size_t k = 0;
      for (const auto& x : cur.items()) items[k++] = x;
      for (; k < n; ++k) items[k] = Value::null();
      cur = Value::array(items, n);
    }
    return set_rec(cur.mutable_items()[static_cast<std::size_t>(s.index)], segs, i + 1, v, arena);
  }
  if (s.kind == PathSeg::Kind::kWildcard) {
    for (auto& item : cur.mutable_items())
      if (auto r = set_rec(item, segs, i + 1, v, arena); !r) return r;
    return {};
  }
  if (!cur.is_object()) cur = Value::object(nullptr, 0);
  if (Value* m = cur.get_mutable(s.key)) return set_rec(*m, segs, i + 1, v, arena);
  std::size_t n = cur.size() + 1;
  Member* ms = arena.members(n);
  std::size_t k = 0;
  for (const auto& m : cur.members()) ms[k++] = m;
  ms[k].key = arena.copy(s.key);
  ms[k].value = Value::null();
  cur = Value::object(ms, n);
  return set_rec(ms[k].value, segs, i + 1, v, arena);
}

Value str_or_null(const yaml::Node* n, Arena& arena) {
  if (!n || n->is_plain_null()) return Value::null();
  if (n->is_scalar() && n->scalar == "(unknown)") return Value::unknown();
  return arena.str(n->scalar);
}

}  // namespace

Result<void> set_at_path(Value& root, std::string_view path, Value v, Arena& arena) {
  auto p = parse_path(path, {});
  if (!p) return std::unexpected(p.error());
  return set_rec(root, p->segs, 0, v, arena);
}

Result<void> add_test_resources(const yaml::Node& list, Deployment& d, const std::string& file) {
  std::vector<const yaml::Node*> items;
  if (list.is_seq())
    for (const auto& n : list.items) items.push_back(&n);
  else
    items.push_back(&list);
  Arena& arena = d.arena();
  struct PendingRef {
    std::uint32_t from;
    std::string attr;
    std::string target;
    int line, column;
  };
  std::vector<PendingRef> pending;
  static const std::set<std::string> kKeys = {"type",      "name", "address", "values",   "region",
                                              "zone",      "site", "module",  "provider", "unknown",
                                              "sensitive", "refs", "mode"};
  for (const yaml::Node* n : items) {
    SourceLoc at{file, n->line, n->column};
    if (!n->is_map()) return fail("a test resource must be a mapping", at);
    for (const auto& [k, v] : n->pairs)
      if (!kKeys.count(k.scalar))
        return fail(fmt::format("unknown test-resource key '{}'", k.scalar),
                    {file, k.line, k.column});
    const yaml::Node* type = n->get("type");
    if (!type || !type->is_scalar() || type->scalar.empty())
      return fail("a test resource needs a 'type'", at);
    Resource r;
    r.type = arena.copy(type->scalar);
    const yaml::Node* name = n->get("name");
    r.name = arena.copy(name && name->is_scalar() ? name->scalar : std::string("this"));
    if (const yaml::Node* m = n->get("module")) r.module = arena.copy(m->scalar);
    if (const yaml::Node* a = n->get("address"))
      r.address = arena.copy(a->scalar);
    else {
      std::string addr = std::string(r.type) + "." + std::string(r.name);
      if (!r.module.empty()) addr = std::string(r.module) + "." + addr;
      r.address = arena.copy(addr);
    }
    if (const yaml::Node* p = n->get("provider"))
      r.provider = arena.copy(p->scalar);
    else
      r.provider = r.type.substr(0, r.type.find('_'));
    r.mode = n->get("mode") ? arena.copy(n->get("mode")->scalar) : std::string_view("managed");
    r.region = str_or_null(n->get("region"), arena);
    r.zone = str_or_null(n->get("zone"), arena);
    r.site = str_or_null(n->get("site"), arena);
    if (const yaml::Node* vals = n->get("values")) {
      if (!vals->is_map() && !vals->is_plain_null())
        return fail("'values' must be a mapping", {file, vals->line, vals->column});
      r.values = from_yaml(*vals, arena);
    }
    if (!r.values.is_object()) r.values = Value::object(nullptr, 0);
    if (const yaml::Node* unk = n->get("unknown")) {
      if (!unk->is_seq())
        return fail("'unknown' is a list of paths", {file, unk->line, unk->column});
      for (const auto& p : unk->items)
        if (auto s = set_at_path(r.values, p.scalar, Value::unknown(), arena); !s)
          return fail(s.error().message, {file, p.line, p.column});
    }
    if (const yaml::Node* sens = n->get("sensitive")) {
      if (!sens->is_seq())
        return fail("'sensitive' is a list of paths", {file, sens->line, sens->column});
      for (const auto& p : sens->items) {
        auto path = parse_path(p.scalar, {file, p.line, p.column});
        if (!path) return std::unexpected(path.error());
        // Mark the selected value sensitive in place.
        Value* cur = &r.values;
        for (const auto& seg : path->segs) {
          if (!cur) break;
          if (seg.kind == PathSeg::Kind::kKey)
            cur = cur->get_mutable(seg.key);
          else if (seg.kind == PathSeg::Kind::kIndex && cur->is_array() &&
                   static_cast<std::size_t>(seg.index) < cur->size())
            cur = &cur->mutable_items()[static_cast<std::size_t>(seg.index)];
          else
            cur = nullptr;
        }
        if (cur) cur->mark_sensitive_deep();
      }
    }
    std::uint32_t idx = static_cast<std::uint32_t>(d.resources.size());
    if (const yaml::Node* refs = n->get("refs")) {
      if (!refs->is_map())
        return fail("'refs' maps an attribute to addresses", {file, refs->line, refs->column});
      for (const auto& [attr, targets] : refs->pairs) {
        if (targets.is_seq())
          for (const auto& t : targets.items)
            pending.push_back({idx, attr.scalar, t.scalar, t.line, t.column});
        else
          pending.push_back({idx, attr.scalar, targets.scalar, targets.line, targets.column});
      }
    }
    r.line = n->line;
    r.column = n->column;
    d.resources.push_back(std::move(r));
  }
  d.reindex();
  for (const auto& p : pending) {
    long t = d.find(p.target);
    if (t < 0)
      return fail(fmt::format("reference to '{}', which is not among the test resources", p.target),
                  {file, p.line, p.column});
    d.resources[p.from].refs.push_back({d.arena().copy(p.attr), static_cast<std::uint32_t>(t)});
  }
  return {};
}

}  // namespace csap::rules
