#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <unordered_map>

#include "core/redact.h"
#include "rules/rule.h"

namespace csap::rules {

// ---- context ------------------------------------------------------------------------------------

// Resources of one type that relate to others through one attribute, indexed both ways.
struct RelIndex {
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_target;  // referrer lists
  std::unordered_map<std::string_view, std::vector<std::uint32_t>>
      by_value;  // via value → referrers
};

struct RelCache {
  std::shared_mutex mu;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<RelIndex>> incoming;
  std::unordered_map<const Expr*, const RelIndex*> by_expr;  // the same, per expression
};

Context::Context(const Deployment& d) : d_(d) {
  // Grouped by type first without building a key string per resource.
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> groups;
  for (std::uint32_t i = 0; i < d.resources.size(); ++i) groups[d.resources[i].type].push_back(i);
  for (auto& [type, list] : groups) by_type_.emplace(std::string(type), std::move(list));
  cache_ = std::make_unique<RelCache>();
}

Context::~Context() = default;

const std::vector<std::uint32_t>& Context::of_type(std::string_view type) const {
  auto it = by_type_.find(type);
  return it == by_type_.end() ? empty_ : it->second;
}

namespace {

// ---- selection ----------------------------------------------------------------------------------

void walk(const Value& v, const std::vector<PathSeg>& segs, std::size_t i,
          std::vector<Value>& out) {
  if (v.is_unknown()) {
    out.push_back(v);
    return;
  }
  if (v.is_null()) return;  // null counts as absent
  if (i == segs.size()) {
    out.push_back(v);
    return;
  }
  const PathSeg& s = segs[i];
  switch (s.kind) {
    case PathSeg::Kind::kKey:
      if (v.is_object()) {
        if (const Value* m = v.get(s.key)) walk(*m, segs, i + 1, out);
      } else if (v.is_array()) {
        // Terraform nested blocks are lists: a key applies to each element.
        for (const auto& item : v.items())
          if (item.is_object() || item.is_unknown()) walk(item, segs, i, out);
      }
      break;
    case PathSeg::Kind::kIndex:
      if (v.is_array() && s.index >= 0 && static_cast<std::size_t>(s.index) < v.size())
        walk(v.items()[static_cast<std::size_t>(s.index)], segs, i + 1, out);
      break;
    case PathSeg::Kind::kWildcard:
      if (v.is_array())
        for (const auto& item : v.items()) walk(item, segs, i + 1, out);
      else if (v.is_object())
        for (const auto& m : v.members()) walk(m.value, segs, i + 1, out);
      break;
  }
}

Value str_value(std::string_view s) {
  return s.empty() ? Value::null() : Value::string(s);
}

void select(const Path& p, const Resource& r, const Value& root, std::vector<Value>& out) {
  if (p.special.empty()) {
    walk(root, p.segs, 0, out);
    return;
  }
  Value base;
  const std::string& s = p.special;
  if (s == "$type")
    base = str_value(r.type);
  else if (s == "$name")
    base = str_value(r.name);
  else if (s == "$address")
    base = str_value(r.address);
  else if (s == "$provider")
    base = str_value(r.provider);
  else if (s == "$module")
    base = str_value(r.module);
  else if (s == "$mode")
    base = str_value(r.mode);
  else if (s == "$region")
    base = r.region;
  else if (s == "$zone")
    base = r.zone;
  else if (s == "$site")
    base = r.site;
  else if (s == "$tags") {
    for (const char* k : {"tags", "labels", "tag_list", "tags_all"})
      if (const Value* t = r.values.get(k); t && !t->is_null()) {
        base = *t;
        break;
      }
  }
  walk(base, p.segs, 0, out);
}

// ---- predicates ---------------------------------------------------------------------------------

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

bool truthy(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return v.as_bool();
    case Kind::kInt:
    case Kind::kDouble:
      return v.as_double() != 0;
    case Kind::kString: {
      std::string l = lower(v.str());
      return l == "true" || l == "yes" || l == "y" || l == "on" || l == "enabled" ||
             l == "enable" || l == "1";
    }
    case Kind::kArray:
    case Kind::kObject:
      return v.size() > 0;
    default:
      return false;
  }
}

std::optional<double> number_of(const Value& v) {
  if (v.is_number()) return v.as_double();
  if (v.is_string()) {
    std::string_view s = v.str();
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return d;
  }
  return std::nullopt;
}

bool cidr_public(const Value& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.str();
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s == "0.0.0.0/0" || s == "::/0" || s == "0::/0" || s == "*" || s == "0.0.0.0" ||
         s == "Internet" || s == "internet" || s == "Any" || s == "any";
}

// A port or a port range from a string: "22", "1-65535", "22,80"; nullopt when not a port spec.
bool parse_ranges(std::string_view s, std::vector<std::pair<long, long>>& out) {
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    long a = 0, b = 0;
    auto dash = part.find('-');
    std::string_view pa = part.substr(0, dash);
    auto r1 = std::from_chars(pa.data(), pa.data() + pa.size(), a);
    if (r1.ec != std::errc() || r1.ptr != pa.data() + pa.size() || pa.empty()) return false;
    b = a;
    if (dash != std::string_view::npos) {
      std::string_view pb = part.substr(dash + 1);
      auto r2 = std::from_chars(pb.data(), pb.data() + pb.size(), b);
      if (r2.ec != std::errc() || r2.ptr != pb.data() + pb.size() || pb.empty()) return false;
    }
    out.emplace_back(a, b);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return true;
}

std::optional<long> port_of(const Value& v) {
  if (v.is_number()) return static_cast<long>(v.as_double());
  if (auto d = number_of(v)) return static_cast<long>(*d);
  return std::nullopt;
}

// Port ranges covered by an entry. Returns kUnknown when a port field is unknown, kFalse when the
// entry carries no port at all.
Tri entry_ranges(const Value& v, std::vector<std::pair<long, long>>& out) {
  if (v.is_number()) {
    out.emplace_back(v.as_int(), v.as_int());
    return Tri::kTrue;
  }
  if (v.is_string()) {
    if (v.str() == "*" || lower(v.str()) == "all" || lower(v.str()) == "any") {
      out.emplace_back(0, 65535);
      return Tri::kTrue;
    }
    return parse_ranges(v.str(), out) ? Tri::kTrue : Tri::kFalse;
  }
  if (!v.is_object()) return Tri::kFalse;
  // Protocol "all" opens every port; ICMP has none.
  for (const char* pk : {"protocol", "ip_protocol", "protocol_type"}) {
    if (const Value* p = v.get(pk)) {
      if (p->is_unknown()) return Tri::kUnknown;
      std::string l =
          p->is_string() ? lower(p->str()) : (p->is_number() ? std::to_string(p->as_int()) : "");
      if (l == "-1" || l == "all" || l == "*") {
        out.emplace_back(0, 65535);
        return Tri::kTrue;
      }
      if (l == "icmp" || l == "icmpv6" || l == "1" || l == "58" || l == "icmp6") return Tri::kFalse;
    }
  }
  auto pair_of = [&](const char* lo, const char* hi) -> std::optional<Tri> {
    const Value* a = v.get(lo);
    const Value* b = v.get(hi);
    if ((!a || a->is_null()) && (!b || b->is_null())) return std::nullopt;
    if ((a && a->is_unknown()) || (b && b->is_unknown())) return Tri::kUnknown;
    auto pa = a && !a->is_null() ? port_of(*a) : std::nullopt;
    auto pb = b && !b->is_null() ? port_of(*b) : std::nullopt;
    if (!pa && !pb) return Tri::kFalse;
    long x = pa.value_or(0), y = pb.value_or(65535);
    if (x == 0 && y == 0) y = 65535;  // 0-0 means every port for most providers
    out.emplace_back(x, y);
    return Tri::kTrue;
  };
  if (auto t = pair_of("from_port", "to_port")) return *t;
  if (auto t = pair_of("port_range_min", "port_range_max")) return *t;
  for (const char* k :
       {"port_range", "port", "ports", "destination_port_range", "destination_port_ranges"}) {
    if (const Value* p = v.get(k); p && !p->is_null()) {
      if (p->is_unknown()) return Tri::kUnknown;
      if (p->is_array()) {
        Tri any = Tri::kFalse;
        for (const auto& x : p->items()) {
          if (x.is_unknown()) return Tri::kUnknown;
          if (entry_ranges(x, out) == Tri::kTrue) any = Tri::kTrue;
        }
        return any;
      }
      return entry_ranges(*p, out);
    }
  }
  return Tri::kFalse;
}

Tri port_in_range(const Value& v, const Value& ports) {
  std::vector<std::pair<long, long>> ranges;
  Tri t = entry_ranges(v, ranges);
  if (t != Tri::kTrue) return t;
  auto hit = [&](long p) {
    for (auto [a, b] : ranges)
      if (p >= a && p <= b) return true;
    return false;
  };
  if (ports.is_array()) {
    for (const auto& p : ports.items())
      if (hit(p.as_int())) return Tri::kTrue;
    return Tri::kFalse;
  }
  return hit(ports.as_int()) ? Tri::kTrue : Tri::kFalse;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Tri test_value(const Expr& e, const Value& v) {
  if (v.is_unknown()) return Tri::kUnknown;
  auto b = [](bool x) { return x ? Tri::kTrue : Tri::kFalse; };
  switch (e.op) {
    case Op::kEquals:
      return b(v.equals(e.value));
    case Op::kNotEquals:
      return b(!v.equals(e.value));
    case Op::kIn:
    case Op::kNotIn: {
      bool found = false;
      for (const auto& x : e.value.items()) found = found || v.equals(x);
      return b(e.op == Op::kIn ? found : !found);
    }
    case Op::kExists:
      return Tri::kTrue;
    case Op::kTruthy:
      return b(truthy(v));
    case Op::kFalsy:
      return b(!truthy(v));
    case Op::kMatches: {
      if (v.is_string()) return b(RE2::PartialMatch(v.str(), *e.re));
      if (v.is_number() || v.is_bool()) return b(RE2::PartialMatch(to_json(v), *e.re));
      return Tri::kFalse;
    }
    case Op::kGt:
    case Op::kGte:
    case Op::kLt:
    case Op::kLte: {
      auto x = number_of(v);
      if (!x) return Tri::kFalse;
      double y = e.value.as_double();
      switch (e.op) {
        case Op::kGt:
          return b(*x > y);
        case Op::kGte:
          return b(*x >= y);
        case Op::kLt:
          return b(*x < y);
        default:
          return b(*x <= y);
      }
    }
    case Op::kContains: {
      if (v.is_array()) {
        Tri acc = Tri::kFalse;
        for (const auto& x : v.items()) {
          if (x.is_unknown())
            acc = tri_or(acc, Tri::kUnknown);
          else if (x.equals(e.value))
            return Tri::kTrue;
        }
        return acc;
      }
      if (v.is_string() && e.value.is_string())
        return b(v.str().find(e.value.str()) != std::string_view::npos);
      if (v.is_object() && e.value.is_string()) return b(v.get(e.value.str()) != nullptr);
      return Tri::kFalse;
    }
    case Op::kLengthGte: {
      std::size_t n = v.is_string() ? utf8_length(v.str()) : v.size();
      if (!v.is_string() && !v.is_array() && !v.is_object()) return Tri::kFalse;
      return b(static_cast<std::int64_t>(n) >= e.value.as_int());
    }
    case Op::kCidrPublic:
      return b(cidr_public(v));
    case Op::kPortInRange:
      return port_in_range(v, e.value);
    default:
      return Tri::kFalse;
  }
}

// JSON text of a selected object or list in which, at every depth, members named like secrets
// (db_password, api_key, ...) and values that look like credentials read "(redacted)", and values
// marked sensitive read "(sensitive)".
void redacted_json(std::string& out, const Value& v) {
  auto key = [&](std::string_view k) {
    out += '"';
    for (char c : k) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20)
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      else
        out += c;
    }
    out += '"';
  };
  if (v.sensitive()) {
    out += "\"(sensitive)\"";
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& m : v.members()) {
      if (!first) out += ',';
      first = false;
      key(m.key);
      out += ':';
      if (secret_name(m.key) && !m.value.is_unknown() && !m.value.is_bool() && !m.value.is_null())
        out += "\"(redacted)\"";
      else
        redacted_json(out, m.value);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& it : v.items()) {
      if (!first) out += ',';
      first = false;
      redacted_json(out, it);
    }
    out += ']';
  } else if (v.is_string() && secret_value(v.str())) {
    out += "\"(redacted)\"";
  } else {
    out += to_json(v, true);
  }
}

std::string display_selection(const Path& p, std::span<const Value> sel) {
  if (sel.empty()) return "(absent)";
  std::string last = p.segs.empty() ? p.special : p.segs.back().key;
  bool secret_key = secret_name(last);
  std::string out;
  std::size_t shown = 0;
  for (const auto& v : sel) {
    if (shown == 3) {
      out += fmt::format(", … ({} values)", sel.size());
      break;
    }
    if (shown) out += ", ";
    std::string d;
    if (v.any_sensitive())
      d = "(sensitive)";
    else if (secret_key && !v.is_unknown() && !v.is_bool())
      d = std::string(kRedacted);
    else if (v.is_string() && secret_value(v.str()))
      d = std::string(kRedacted);
    else if (v.is_object() || v.is_array()) {
      redacted_json(d, v);
      if (d.size() > 80) {
        std::size_t cut = 80;
        while (cut > 0 && (static_cast<unsigned char>(d[cut]) & 0xC0) == 0x80) --cut;
        d = d.substr(0, cut) + "…";
      }
    } else
      d = to_display(v, 80);
    out += redact_text(d);
    ++shown;
  }
  return out;
}

std::string display_expected(const Expr& e) {
  std::string op(op_name(e.op));
  switch (e.op) {
    case Op::kExists:
    case Op::kAbsent:
    case Op::kTruthy:
    case Op::kFalsy:
    case Op::kCidrPublic:
      return op;
    default:
      return fmt::format("{} {}", op, to_display(e.value, 200));
  }
}

// One predicate seen while evaluating, kept unformatted: most evaluations pass and need no
// explanation, so the text is built only for the entry that is reported.
struct Note {
  const Expr* e = nullptr;
  std::uint32_t begin = 0, end = 0;  // the selection, in Trace::values
  bool related_none = false;         // a `related` that found no candidate
  Tri t = Tri::kFalse;
  bool negated = false;
};

struct Trace {
  std::vector<Note> notes;
  std::vector<Value> values;
  void clear() {
    notes.clear();
    values.clear();
  }
  Explanation text(const Note& n) const {
    const Expr& e = *n.e;
    if (n.related_none)
      return {fmt::format("related {} via {}", e.related_type, e.via), "related",
              fmt::format("a {} that refers to this resource", e.related_type), "(none)"};
    return {e.path.text, std::string(op_name(e.op)), display_expected(e),
            display_selection(e.path,
                              std::span<const Value>(values.data() + n.begin, n.end - n.begin))};
  }
};

// The `related` index of one (type, via) pair, found once per expression.
const RelIndex& incoming_index(const Context& ctx, const Expr& e);

struct Evaluator {
  const Context& ctx;
  Trace* trace;

  void note(const Expr& e, const std::vector<Value>& sel, Tri t, bool negated) {
    if (!trace) return;
    Note n;
    n.e = &e;
    n.begin = static_cast<std::uint32_t>(trace->values.size());
    trace->values.insert(trace->values.end(), sel.begin(), sel.end());
    n.end = static_cast<std::uint32_t>(trace->values.size());
    n.t = t;
    n.negated = negated;
    trace->notes.push_back(n);
  }

  Tri eval(const Expr& e, std::uint32_t res, const Value& root, bool negated) {
    const Resource& r = ctx.deployment().resources[res];
    switch (e.op) {
      case Op::kAll: {
        Tri acc = Tri::kTrue;
        for (const auto& c : e.children) {
          acc = tri_and(acc, eval(c, res, root, negated));
          if (acc == Tri::kFalse) break;
        }
        return acc;
      }
      case Op::kAny: {
        Tri acc = Tri::kFalse;
        for (const auto& c : e.children) {
          acc = tri_or(acc, eval(c, res, root, negated));
          if (acc == Tri::kTrue) break;
        }
        return acc;
      }
      case Op::kNot:
        return tri_not(eval(e.children[0], res, root, !negated));
      case Op::kEach: {
        std::vector<Value> sel;
        select(e.path, r, root, sel);
        Tri acc = e.any && !sel.empty() ? Tri::kFalse : Tri::kTrue;
        for (const auto& entry : sel) {
          Tri t = entry.is_unknown() ? Tri::kUnknown : eval(e.children[0], res, entry, negated);
          acc = e.any ? tri_or(acc, t) : tri_and(acc, t);
          if (!e.any && acc == Tri::kFalse) break;
          if (e.any && acc == Tri::kTrue) break;
        }
        return acc;
      }
      case Op::kRelated:
        return related(e, res, negated);
      case Op::kAbsent: {
        std::vector<Value> sel;
        select(e.path, r, root, sel);
        Tri t = Tri::kTrue;
        if (!sel.empty()) {
          t = Tri::kUnknown;
          for (const auto& v : sel)
            if (!v.is_unknown()) t = Tri::kFalse;
        }
        note(e, sel, t, negated);
        return t;
      }
      default: {
        std::vector<Value> sel;
        select(e.path, r, root, sel);
        Tri acc;
        if (sel.empty()) {
          acc = Tri::kFalse;
        } else {
          acc = e.any ? Tri::kFalse : Tri::kTrue;
          for (const auto& v : sel) {
            Tri t = test_value(e, v);
            acc = e.any ? tri_or(acc, t) : tri_and(acc, t);
          }
        }
        note(e, sel, acc, negated);
        return acc;
      }
    }
  }

  static void identities(const Resource& r, std::string_view via,
                         std::vector<std::string_view>& out) {
    for (std::string_view k : {std::string_view("id"), std::string_view("arn"),
                               std::string_view("name"), std::string_view("self_link"), via}) {
      if (const Value* v = r.values.get(k); v && v->is_string() && !v->str().empty())
        out.push_back(v->str());
    }
  }

  Tri related(const Expr& e, std::uint32_t res, bool negated) {
    const Resource& r = ctx.deployment().resources[res];
    std::vector<std::uint32_t> cands;
    if (!e.outgoing) {
      const RelIndex& idx = incoming_index(ctx, e);
      if (auto it = idx.by_target.find(res); it != idx.by_target.end()) cands = it->second;
      std::vector<std::string_view> ids;
      identities(r, e.via, ids);
      for (auto id : ids)
        if (auto it = idx.by_value.find(id); it != idx.by_value.end())
          cands.insert(cands.end(), it->second.begin(), it->second.end());
    } else {
      std::string_view top = std::string_view(e.via).substr(0, e.via.find_first_of(".["));
      for (const auto& ref : r.refs)
        if (ref.attr == top && ctx.deployment().resources[ref.target].type == e.related_type)
          cands.push_back(ref.target);
      if (cands.empty()) {
        std::vector<Value> sel;
        walk(r.values, e.path.segs, 0, sel);
        for (std::uint32_t c : ctx.of_type(e.related_type)) {
          std::vector<std::string_view> ids;
          identities(ctx.deployment().resources[c], "id", ids);
          for (const auto& v : sel)
            if (v.is_string() && std::find(ids.begin(), ids.end(), v.str()) != ids.end())
              cands.push_back(c);
        }
      }
    }
    std::sort(cands.begin(), cands.end());
    cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
    Tri acc = Tri::kFalse;
    for (std::uint32_t c : cands) {
      if (c == res) continue;
      acc = tri_or(acc, eval(e.children[0], c, ctx.deployment().resources[c].values, negated));
      if (acc == Tri::kTrue) break;
    }
    if (cands.empty() && trace) {
      Note n;
      n.e = &e;
      n.related_none = true;
      n.t = Tri::kFalse;
      n.negated = negated;
      trace->notes.push_back(n);
    }
    return acc;
  }
};

const RelIndex& incoming_index(const Context& ctx, const Expr& e) {
  RelCache& cache = ctx.cache();
  {
    std::shared_lock lock(cache.mu);
    if (auto it = cache.by_expr.find(&e); it != cache.by_expr.end()) return *it->second;
  }
  std::unique_lock lock(cache.mu);
  auto& slot = cache.incoming[{e.related_type, e.via}];
  if (!slot) {
    slot = std::make_unique<RelIndex>();
    const std::string& type = e.related_type;
    const std::string& via = e.via;
    std::string_view top = std::string_view(via).substr(0, via.find_first_of(".["));
    const Path* p = &e.path;
    std::vector<Value> sel;
    for (std::uint32_t c : ctx.of_type(type)) {
      const Resource& cr = ctx.deployment().resources[c];
      bool by_ref = false;
      for (const auto& ref : cr.refs)
        if (ref.attr == top) {
          slot->by_target[ref.target].push_back(c);
          by_ref = true;
        }
      if (by_ref) continue;
      sel.clear();
      walk(cr.values, p->segs, 0, sel);
      for (const auto& v : sel)
        if (v.is_string() && !v.str().empty()) slot->by_value[v.str()].push_back(c);
    }
  }
  cache.by_expr.emplace(&e, slot.get());
  return *slot;
}

}  // namespace

Tri eval_expr(const Expr& e, const Context& ctx, std::uint32_t resource, const Value& root,
              std::vector<Explanation>* trace) {
  if (!trace) {
    Evaluator ev{ctx, nullptr};
    return ev.eval(e, resource, root, false);
  }
  Trace t;
  Evaluator ev{ctx, &t};
  auto flush = [&] {
    for (const auto& n : t.notes) trace->push_back(t.text(n));
  };
  Tri out;
  try {
    out = ev.eval(e, resource, root, false);
  } catch (...) {
    flush();
    throw;
  }
  flush();
  return out;
}

Evaluation evaluate(const Rule& rule, const Context& ctx, std::uint32_t resource) {
  const Resource& r = ctx.deployment().resources[resource];
  Evaluation out;
  if (!rule.applies_to(r.type)) return out;
  // One trace per thread, reused: evaluate runs once per rule and resource.
  thread_local Trace trace;
  trace.clear();
  const auto& marks = trace.notes;
  Evaluator ev{ctx, &trace};
  Tri where = Tri::kTrue;
  if (rule.where) {
    where = ev.eval(*rule.where, resource, r.values, false);
    if (where == Tri::kFalse) return out;
  }
  std::size_t where_marks = marks.size();
  Tri t = ev.eval(rule.check, resource, r.values, false);
  // An unknown `where` makes the finding unknown, whatever the check says (DESIGN.md §4).
  Tri result = where == Tri::kUnknown ? Tri::kUnknown : t;
  out.result = result;
  if (result == Tri::kTrue) return out;
  // The deciding predicate: the first that (after negation) was false, or unknown.
  auto pick = [&](bool want_unknown, std::size_t from) -> bool {
    for (std::size_t i = from; i < marks.size(); ++i) {
      const Tri res = marks[i].t;
      const bool neg = marks[i].negated;
      bool hit = want_unknown ? res == Tri::kUnknown
                              : (res == Tri::kFalse && !neg) || (res == Tri::kTrue && neg);
      if (hit) {
        out.why = trace.text(marks[i]);
        if (neg) out.why.expected = "not " + out.why.expected;
        return true;
      }
    }
    return false;
  };
  if (result == Tri::kUnknown) {
    if (!pick(true, where == Tri::kUnknown ? 0 : where_marks)) pick(true, 0);
  } else if (!pick(false, where_marks)) {
    if (!marks.empty()) out.why = trace.text(marks.back());
  }
  return out;
}

}  // namespace csap::rules
