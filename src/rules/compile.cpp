#include <fmt/format.h>
#include <re2/re2.h>

#include <set>

#include "model/convert.h"
#include "rules/rule.h"

namespace csap::rules {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "medium";
}

std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "info") return Severity::kInfo;
  if (s == "low") return Severity::kLow;
  if (s == "medium") return Severity::kMedium;
  if (s == "high") return Severity::kHigh;
  if (s == "critical") return Severity::kCritical;
  return std::nullopt;
}

namespace {

struct OpInfo {
  const char* name;
  Op op;
  enum Operand { kNone, kAny, kList, kString, kNumber, kInt, kPorts } operand;
};

constexpr OpInfo kOps[] = {
    {"equals", Op::kEquals, OpInfo::kAny},
    {"not_equals", Op::kNotEquals, OpInfo::kAny},
    {"in", Op::kIn, OpInfo::kList},
    {"not_in", Op::kNotIn, OpInfo::kList},
    {"exists", Op::kExists, OpInfo::kNone},
    {"absent", Op::kAbsent, OpInfo::kNone},
    {"truthy", Op::kTruthy, OpInfo::kNone},
    {"falsy", Op::kFalsy, OpInfo::kNone},
    {"matches", Op::kMatches, OpInfo::kString},
    {"gt", Op::kGt, OpInfo::kNumber},
    {"gte", Op::kGte, OpInfo::kNumber},
    {"lt", Op::kLt, OpInfo::kNumber},
    {"lte", Op::kLte, OpInfo::kNumber},
    {"contains", Op::kContains, OpInfo::kAny},
    {"length_gte", Op::kLengthGte, OpInfo::kInt},
    {"cidr_public", Op::kCidrPublic, OpInfo::kNone},
    {"port_in_range", Op::kPortInRange, OpInfo::kPorts},
};

}  // namespace

std::string_view op_name(Op op) {
  for (const auto& o : kOps)
    if (o.op == op) return o.name;
  switch (op) {
    case Op::kAll:
      return "all";
    case Op::kAny:
      return "any";
    case Op::kNot:
      return "not";
    case Op::kEach:
      return "each";
    case Op::kRelated:
      return "related";
    default:
      return "?";
  }
}

bool Rule::applies_to(std::string_view type) const {
  for (const auto& p : resource_types) {
    if (p == type) return true;
    if (p == "*") return true;
    auto star = p.find('*');
    if (star != std::string::npos) {
      std::string_view pre = std::string_view(p).substr(0, star);
      std::string_view post = std::string_view(p).substr(star + 1);
      if (type.size() >= pre.size() + post.size() && type.starts_with(pre) && type.ends_with(post))
        return true;
    }
  }
  return false;
}

namespace {

class Compiler {
 public:
  Compiler(const std::string& file, const std::string& rule_id,
           const std::map<std::string, yaml::Node>& params, const ParamOverrides& overrides,
           Arena& arena)
      : file_(file), id_(rule_id), params_(params), overrides_(overrides), arena_(arena) {}

  Result<Expr> expr(const yaml::Node& n) {
    if (!n.is_map())
      return err(n, fmt::format("a condition must be a mapping, found a {}", n.kind_name()));
    Expr e;
    e.line = n.line;
    e.column = n.column;
    if (const yaml::Node* all = n.get("all")) return combinator(n, *all, Op::kAll, {"all"});
    if (const yaml::Node* any = n.get("any")) return combinator(n, *any, Op::kAny, {"any"});
    if (const yaml::Node* neg = n.get("not")) {
      if (auto r = only_keys(n, {"not"}); !r) return std::unexpected(r.error());
      e.op = Op::kNot;
      auto c = expr(*neg);
      if (!c) return c;
      e.children.push_back(std::move(*c));
      return e;
    }
    if (const yaml::Node* each = n.get("each")) {
      if (auto r = only_keys(n, {"each", "check", "quantifier"}); !r)
        return std::unexpected(r.error());
      e.op = Op::kEach;
      if (!each->is_scalar()) return err(*each, "'each' takes a path");
      auto p = parse_path(each->scalar, loc(*each));
      if (!p) return std::unexpected(p.error());
      e.path = std::move(*p);
      const yaml::Node* check = n.get("check");
      if (!check) return err(n, "'each' needs a 'check'");
      auto c = expr(*check);
      if (!c) return c;
      e.children.push_back(std::move(*c));
      if (auto q = quantifier(n, e); !q) return std::unexpected(q.error());
      return e;
    }
    if (const yaml::Node* rel = n.get("related")) {
      if (auto r = only_keys(n, {"related"}); !r) return std::unexpected(r.error());
      if (auto r = only_keys(*rel, {"type", "via", "check", "direction"}); !r)
        return std::unexpected(r.error());
      e.op = Op::kRelated;
      const yaml::Node* type = rel->get("type");
      const yaml::Node* via = rel->get("via");
      const yaml::Node* check = rel->get("check");
      if (!type || !type->is_scalar()) return err(*rel, "'related' needs a 'type'");
      if (!via || !via->is_scalar())
        return err(*rel, "'related' needs 'via' (the referring attribute)");
      if (!check) return err(*rel, "'related' needs a 'check'");
      e.related_type = type->scalar;
      e.via = via->scalar;
      // The referring attribute, parsed once here (and checked) rather than at every evaluation.
      auto via_path = parse_path(via->scalar, loc(*via));
      if (!via_path) return std::unexpected(via_path.error());
      e.path = std::move(*via_path);
      if (const yaml::Node* dir = rel->get("direction")) {
        if (dir->scalar == "outgoing")
          e.outgoing = true;
        else if (dir->scalar != "incoming")
          return err(*dir,
                     "'direction' is 'incoming' (default: the other resource refers to this one) "
                     "or 'outgoing'");
      }
      auto c = expr(*check);
      if (!c) return c;
      e.children.push_back(std::move(*c));
      return e;
    }
    return predicate(n);
  }

 private:
  SourceLoc loc(const yaml::Node& n) const { return {file_, n.line, n.column}; }
  std::unexpected<Error> err(const yaml::Node& n, std::string msg) const {
    return fail(fmt::format("rule {}: {}", id_, msg), loc(n));
  }

  Result<void> only_keys(const yaml::Node& n, std::initializer_list<std::string_view> keys) {
    if (!n.is_map()) return err(n, "expected a mapping");
    for (const auto& [k, v] : n.pairs) {
      bool ok = false;
      for (auto key : keys) ok = ok || k.scalar == key;
      if (!ok) {
        std::string list;
        for (auto key : keys) list += (list.empty() ? "" : ", ") + std::string(key);
        return err(k, fmt::format("unexpected key '{}' here (expected: {})", k.scalar, list));
      }
    }
    return {};
  }

  Result<void> quantifier(const yaml::Node& n, Expr& e) {
    if (const yaml::Node* q = n.get("quantifier")) {
      if (q->scalar == "any")
        e.any = true;
      else if (q->scalar != "all")
        return err(*q, "quantifier is 'all' (default) or 'any'");
    }
    return {};
  }

  Result<Expr> combinator(const yaml::Node& n, const yaml::Node& list, Op op,
                          std::initializer_list<std::string_view> keys) {
    if (auto r = only_keys(n, keys); !r) return std::unexpected(r.error());
    if (!list.is_seq() || list.items.empty())
      return err(list, fmt::format("'{}' takes a non-empty list of conditions", op_name(op)));
    Expr e;
    e.op = op;
    e.line = n.line;
    e.column = n.column;
    for (const auto& item : list.items) {
      auto c = expr(item);
      if (!c) return c;
      e.children.push_back(std::move(*c));
    }
    return e;
  }

  // Resolves "${params.NAME}" operands.
  Result<const yaml::Node*> resolve(const yaml::Node& v) {
    if (v.is_scalar() && v.scalar.starts_with("${params.") && v.scalar.ends_with("}")) {
      std::string name = v.scalar.substr(9, v.scalar.size() - 10);
      auto o = overrides_.find(id_ + "." + name);
      if (o != overrides_.end()) return &o->second;
      auto it = params_.find(name);
      if (it == params_.end())
        return err(v, fmt::format("unknown parameter '{}' (declare it under 'params')", name));
      return &it->second;
    }
    return &v;
  }

  Result<Expr> predicate(const yaml::Node& n) {
    if (auto r = only_keys(n, {"path", "op", "value", "quantifier"}); !r)
      return std::unexpected(r.error());
    Expr e;
    e.line = n.line;
    e.column = n.column;
    const yaml::Node* path = n.get("path");
    const yaml::Node* op = n.get("op");
    if (!op) return err(n, "a condition needs 'op' (or all/any/not/each/related)");
    if (!path) return err(n, "a condition needs 'path'");
    if (!path->is_scalar()) return err(*path, "'path' must be a string");
    auto p = parse_path(path->scalar, loc(*path));
    if (!p) return std::unexpected(p.error());
    e.path = std::move(*p);
    const OpInfo* info = nullptr;
    for (const auto& o : kOps)
      if (op->scalar == o.name) info = &o;
    if (!info) {
      std::string known;
      for (const auto& o : kOps) known += (known.empty() ? "" : ", ") + std::string(o.name);
      return err(*op, fmt::format("unknown operator '{}' (known: {})", op->scalar, known));
    }
    e.op = info->op;
    if (auto q = quantifier(n, e); !q) return std::unexpected(q.error());
    const yaml::Node* raw = n.get("value");
    if (info->operand == OpInfo::kNone) {
      if (raw) return err(*raw, fmt::format("operator '{}' takes no value", info->name));
      return e;
    }
    if (!raw) return err(n, fmt::format("operator '{}' needs a 'value'", info->name));
    auto vr = resolve(*raw);
    if (!vr) return std::unexpected(vr.error());
    const yaml::Node& v = **vr;
    switch (info->operand) {
      case OpInfo::kList:
        if (!v.is_seq()) return err(*raw, fmt::format("operator '{}' takes a list", info->name));
        break;
      case OpInfo::kString:
        if (!v.is_scalar())
          return err(*raw, fmt::format("operator '{}' takes a string", info->name));
        break;
      case OpInfo::kNumber:
        if (!v.as_double())
          return err(*raw, fmt::format("operator '{}' takes a number", info->name));
        break;
      case OpInfo::kInt:
        if (!v.as_int() || *v.as_int() < 0)
          return err(*raw, fmt::format("operator '{}' takes a non-negative integer", info->name));
        break;
      case OpInfo::kPorts: {
        auto ok = [](const yaml::Node& x) {
          auto i = x.as_int();
          return i && *i >= 0 && *i <= 65535;
        };
        if (v.is_seq()) {
          for (const auto& x : v.items)
            if (!ok(x)) return err(x, "ports are integers from 0 to 65535");
        } else if (!ok(v)) {
          return err(*raw, "operator 'port_in_range' takes a port or a list of ports");
        }
        break;
      }
      default:
        break;
    }
    e.value = from_yaml(v, arena_);
    if (e.op == Op::kMatches) {
      RE2::Options opts;
      opts.set_log_errors(false);
      auto re = std::make_shared<RE2>(v.scalar, opts);
      if (!re->ok())
        return err(*raw, fmt::format("bad regular expression '{}': {}", v.scalar, re->error()));
      e.re = std::move(re);
    }
    return e;
  }

  const std::string& file_;
  const std::string& id_;
  const std::map<std::string, yaml::Node>& params_;
  const ParamOverrides& overrides_;
  Arena& arena_;
};

Result<Text> text_field(const yaml::Node& doc, std::string_view key, const std::string& file,
                        bool required) {
  const yaml::Node* n = doc.get(key);
  if (!n) {
    if (required)
      return fail(fmt::format("rule needs '{}' ({{ko: ..., en: ...}})", key),
                  {file, doc.line, doc.column});
    return Text{};
  }
  if (n->is_scalar()) return Text{n->scalar, n->scalar};
  if (!n->is_map())
    return fail(fmt::format("'{}' must be {{ko: ..., en: ...}}", key), {file, n->line, n->column});
  Text t;
  for (const auto& [k, v] : n->pairs) {
    if (k.scalar == "ko")
      t.ko = v.scalar;
    else if (k.scalar == "en")
      t.en = v.scalar;
    else
      return fail(fmt::format("'{}' has languages ko and en, not '{}'", key, k.scalar),
                  {file, k.line, k.column});
  }
  if (required && t.empty())
    return fail(fmt::format("'{}' is empty", key), {file, n->line, n->column});
  return t;
}

}  // namespace

Result<Rule> compile_rule(const yaml::Node& doc, const std::string& file,
                          const ParamOverrides& overrides) {
  if (!doc.is_map()) return fail("a rule must be a mapping", {file, doc.line, doc.column});
  static const std::set<std::string> kKeys = {
      "id",        "title",  "severity", "resource",   "where",       "check", "remediation",
      "rationale", "params", "tests",    "references", "description", "tags"};
  for (const auto& [k, v] : doc.pairs)
    if (!kKeys.count(k.scalar))
      return fail(fmt::format("unknown rule key '{}'", k.scalar), {file, k.line, k.column});
  Rule r;
  r.file = file;
  r.line = doc.line;
  r.source = doc;
  r.arena = std::make_shared<Arena>();
  const yaml::Node* id = doc.get("id");
  if (!id || !id->is_scalar() || id->scalar.empty())
    return fail("rule needs an 'id'", {file, doc.line, doc.column});
  if (!valid_rule_id(id->scalar))
    return fail(fmt::format("rule id '{}' is not valid: use 1 to 64 of A-Z, 0-9 and '-', not "
                            "starting with '-' (e.g. AWS-S3-ENC-001)",
                            id->scalar),
                {file, id->line, id->column});
  r.id = id->scalar;
  auto where_of = [&](const yaml::Node& n) { return SourceLoc{file, n.line, n.column}; };
  auto title = text_field(doc, "title", file, true);
  if (!title) return std::unexpected(title.error());
  r.title = *title;
  auto rat = text_field(doc, "rationale", file, false);
  if (!rat) return std::unexpected(rat.error());
  r.rationale = *rat;
  auto rem = text_field(doc, "remediation", file, false);
  if (!rem) return std::unexpected(rem.error());
  r.remediation = *rem;
  const yaml::Node* sev = doc.get("severity");
  if (!sev) return fail(fmt::format("rule {}: needs 'severity'", r.id), where_of(doc));
  auto s = parse_severity(sev->scalar);
  if (!s)
    return fail(fmt::format("rule {}: unknown severity '{}' (critical, high, medium, low, info)",
                            r.id, sev->scalar),
                where_of(*sev));
  r.severity = *s;
  const yaml::Node* res = doc.get("resource");
  if (!res)
    return fail(fmt::format("rule {}: needs 'resource' (resource types)", r.id), where_of(doc));
  if (res->is_scalar())
    r.resource_types.push_back(res->scalar);
  else if (res->is_seq())
    for (const auto& t : res->items) {
      if (!t.is_scalar() || t.scalar.empty())
        return fail(fmt::format("rule {}: resource types are strings", r.id), where_of(t));
      r.resource_types.push_back(t.scalar);
    }
  else
    return fail(fmt::format("rule {}: 'resource' is a type or a list of types", r.id),
                where_of(*res));
  if (r.resource_types.empty())
    return fail(fmt::format("rule {}: 'resource' is empty", r.id), where_of(*res));
  if (const yaml::Node* p = doc.get("params")) {
    if (!p->is_map())
      return fail(fmt::format("rule {}: 'params' must be a mapping", r.id), where_of(*p));
    for (const auto& [k, v] : p->pairs) r.params[k.scalar] = v;
  }
  for (const auto& [key, v] : overrides) {
    auto dot = key.find('.');
    if (dot != std::string::npos && key.substr(0, dot) == r.id &&
        !r.params.count(key.substr(dot + 1)))
      return fail(fmt::format("rule {} has no parameter '{}'", r.id, key.substr(dot + 1)),
                  where_of(v));
  }
  if (const yaml::Node* refs = doc.get("references"); refs && refs->is_seq())
    for (const auto& x : refs->items) r.references.push_back(x.scalar);
  Compiler c(file, r.id, r.params, overrides, *r.arena);
  if (const yaml::Node* w = doc.get("where")) {
    auto e = c.expr(*w);
    if (!e) return std::unexpected(e.error());
    r.where = std::move(*e);
  }
  const yaml::Node* check = doc.get("check");
  if (!check) return fail(fmt::format("rule {}: needs 'check'", r.id), where_of(doc));
  auto e = c.expr(*check);
  if (!e) return std::unexpected(e.error());
  r.check = std::move(*e);
  if (const yaml::Node* tests = doc.get("tests")) {
    if (!tests->is_seq())
      return fail(fmt::format("rule {}: 'tests' must be a list", r.id), where_of(*tests));
    // Point into this rule's own copy of the document, not the caller's.
    const yaml::Node* own = r.source.get("tests");
    for (const auto& t : own->items) r.tests.push_back({&t, t.line});
  }
  return r;
}

}  // namespace csap::rules
