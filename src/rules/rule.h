// Rules: declarative checks over one kind of resource (DESIGN.md §4), parsed from YAML and compiled
// into an expression tree evaluated with three-valued (Kleene) logic.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "core/yaml.h"
#include "model/deployment.h"
#include "model/value.h"

namespace re2 {
class RE2;
}

namespace csap::rules {

enum class Tri : std::uint8_t { kFalse, kTrue, kUnknown };
inline Tri tri_not(Tri a) {
  return a == Tri::kUnknown ? a : (a == Tri::kTrue ? Tri::kFalse : Tri::kTrue);
}
inline Tri tri_and(Tri a, Tri b) {
  if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kTrue;
}
inline Tri tri_or(Tri a, Tri b) {
  if (a == Tri::kTrue || b == Tri::kTrue) return Tri::kTrue;
  if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
  return Tri::kFalse;
}

enum class Severity : std::uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view severity_name(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// A path into a resource: `a.b[*].c`, `tags["Name"]`, `.`, or a special path such as `$region`.
struct PathSeg {
  enum class Kind : std::uint8_t { kKey, kIndex, kWildcard };
  Kind kind = Kind::kKey;
  std::string key;
  long index = 0;
};
struct Path {
  std::string text;
  std::string special;  // "$region" ... empty for attribute paths
  std::vector<PathSeg> segs;
};
Result<Path> parse_path(std::string_view text, const SourceLoc& where);

enum class Op : std::uint8_t {
  kEquals,
  kNotEquals,
  kIn,
  kNotIn,
  kExists,
  kAbsent,
  kTruthy,
  kFalsy,
  kMatches,
  kGt,
  kGte,
  kLt,
  kLte,
  kContains,
  kLengthGte,
  kCidrPublic,
  kPortInRange,
  kAll,
  kAny,
  kNot,
  kEach,
  kRelated,
};
std::string_view op_name(Op op);

struct Expr {
  Op op = Op::kEquals;
  Path path;                     // predicates and each: what to select; related: the `via` path
  Value value;                   // operand (scalar or list), in the rule's arena
  bool any = false;              // quantifier: any
  std::shared_ptr<re2::RE2> re;  // kMatches
  std::vector<Expr> children;    // all/any/not; each/related: children[0] is the check
  std::string related_type;      // kRelated
  std::string via;               // kRelated
  bool outgoing = false;         // kRelated: this resource refers to the other one
  int line = 0, column = 0;
};

struct TestCase {
  const yaml::Node* node = nullptr;  // the whole test entry, inside its Rule's `source`
  int line = 0;
};

// Move-only: test cases point into `source`, whose storage moves with the rule.
struct Rule {
  Rule() = default;
  Rule(Rule&&) = default;
  Rule& operator=(Rule&&) = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  std::string id;
  Text title;
  Severity severity = Severity::kMedium;
  std::vector<std::string> resource_types;  // exact types or patterns with '*'
  Text rationale;
  Text remediation;
  std::vector<std::string> references;       // links for reports
  std::map<std::string, yaml::Node> params;  // defaults
  std::optional<Expr> where;
  Expr check;
  std::vector<TestCase> tests;
  std::string file;
  int line = 0;
  std::shared_ptr<Arena> arena;  // owns operand values
  yaml::Node source;             // the rule document, for recompiling with params

  bool applies_to(std::string_view type) const;
};

// Parameter overrides: "RULE-ID.param" → value.
using ParamOverrides = std::map<std::string, yaml::Node>;

// Parses and compiles one rule document. Errors point at file:line:col (exit code 3).
// Rule ids: 1 to 64 of A-Z, 0-9 and '-', not starting with '-' (they name files and appear in
// reports, so nothing else is allowed).
bool valid_rule_id(std::string_view id);

Result<Rule> compile_rule(const yaml::Node& doc, const std::string& file,
                          const ParamOverrides& overrides = {});

// What made a check fail or stay unknown: the deciding predicate and what it saw.
struct Explanation {
  std::string path;
  std::string op;
  std::string expected;
  std::string actual;
};

// Evaluation context: the deployment (for `related`) and an index of resources by type.
struct RelCache;

class Context {
 public:
  explicit Context(const Deployment& d);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  RelCache& cache() const { return *cache_; }
  const Deployment& deployment() const { return d_; }
  const std::vector<std::uint32_t>& of_type(std::string_view type) const;

 private:
  const Deployment& d_;
  std::map<std::string, std::vector<std::uint32_t>, std::less<>> by_type_;
  std::vector<std::uint32_t> empty_;
  std::unique_ptr<RelCache> cache_;
};

struct Evaluation {
  std::optional<Tri> result;  // nullopt: the rule does not apply (where false / type mismatch)
  Explanation why;
};

Evaluation evaluate(const Rule& rule, const Context& ctx, std::uint32_t resource);

// Evaluates one expression with `root` as the value paths start from (exposed for tests).
Tri eval_expr(const Expr& e, const Context& ctx, std::uint32_t resource, const Value& root,
              std::vector<Explanation>* trace = nullptr);

}  // namespace csap::rules
