// The Terraform JSON loader shared by the plan and state readers (not a public API): one forward
// pass over the document with simdjson On-Demand, each resource's values built straight into the
// deployment's arena. The file's bytes live in the arena too, so strings without escapes are
// referenced in place, never copied.
#pragma once
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ingest/json.h"
#include "ingest/terraform.h"
#include "ingest/terraform_internal.h"

namespace csap::ingest::detail {

using simdjson::error_code;

// ---- errors ----------------------------------------------------------------------------------

// Thrown inside the loader (only on failure; the success path pays nothing).
struct JsonFail {
  std::string message;
  std::string pointer;        // JSON pointer of the failing value, built while unwinding
  const char* at = nullptr;   // position in the buffer, when known
  bool with_location = true;  // false: report the pointer instead of line:column
};

// Walks forward through the buffer counting lines (offsets only increase while loading).
struct LineCounter {
  const char* base = nullptr;
  std::size_t pos = 0;
  int line = 1;
  std::size_t line_start = 0;
  std::pair<int, int> at(std::size_t off) {
    if (off < pos) {  // never expected; restart
      pos = 0;
      line = 1;
      line_start = 0;
    }
    while (pos < off) {
      const void* nl = std::memchr(base + pos, '\n', off - pos);
      if (!nl) {
        pos = off;
        break;
      }
      pos = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
      ++line;
      line_start = pos;
    }
    return {line, static_cast<int>(off - line_start) + 1};
  }
};

// ---- the loader ------------------------------------------------------------------------------

struct PendingResource {
  Resource r;
  bool skip = false;
};

// A state resource block's names, shared by its instances.
struct StateBlock {
  std::string_view module, mode, type, name, provider;
};
// One instance of a state resource, as read.
struct StateInstance {
  Value index_key;
  Value values;
  Value sensitive;  // in scratch: list of paths
  std::vector<std::string_view> deps;
  bool deposed = false;
  const char* at = nullptr;
};

class Loader {
 public:
  Loader(Deployment& d, detail::JsonDoc& jd, const LoadOptions& opts)
      : d_(d), A_(d.arena()), jd_(jd), name_(jd.name), buf_(jd.buf), len_(jd.len), opts_(opts) {
    lines_.base = buf_;
  }

  // Reads the document as `kind` (plan or state).
  Result<InputFile> run(InputKind kind);

 private:
  // Value building.
  Value build(od::value v, Arena& arena, int depth);
  Value build_string(od::value v, Arena& arena);
  std::string_view str(od::value v, const char* what);
  std::string_view key_of(od::field& f);
  std::string_view own(std::string_view s) {
    if (s.data() >= buf_ && s.data() + s.size() <= buf_ + len_) return s;
    return A_.copy(s);
  }
  [[noreturn]] void fail_code(error_code e) {
    throw JsonFail{json_error_text(e), {}, location(), true};
  }
  [[noreturn]] void fail_shape(const char* expected, od::json_type found) {
    throw JsonFail{
        fmt::format("expected {}, found {}", expected, type_name(found)), {}, location(), true};
  }
  // The value is skipped, not read: its nesting is checked all the same.
  void check_depth(od::value v) {
    od::json_type t;
    if (auto e = v.type().get(t)) fail_code(e);
    std::string_view raw;
    if (t == od::json_type::object) {
      od::object o;
      if (auto e = v.get_object().get(o)) fail_code(e);
      if (auto e = o.raw_json().get(raw)) fail_code(e);
    } else if (t == od::json_type::array) {
      od::array a;
      if (auto e = v.get_array().get(a)) fail_code(e);
      if (auto e = a.raw_json().get(raw)) fail_code(e);
    } else {
      return;  // a scalar: nothing nested
    }
    if (long at = detail::too_deep_at(raw, opts_.max_depth); at >= 0)
      throw JsonFail{fmt::format("nested more than {} levels deep", opts_.max_depth),
                     {},
                     raw.data() + at,
                     true};
  }
  const char* location() {
    const char* p = nullptr;
    if (doc_ && !doc_->current_location().get(p)) return p;
    return buf_ + len_;
  }
  od::object get_object(od::value v, const char* /*ctx*/) {
    od::json_type t;
    if (auto e = v.type().get(t)) fail_code(e);
    if (t != od::json_type::object) fail_shape("an object", t);
    od::object o;
    if (auto e = v.get_object().get(o)) fail_code(e);
    return o;
  }
  od::array get_array(od::value v) {
    od::json_type t;
    if (auto e = v.type().get(t)) fail_code(e);
    if (t != od::json_type::array) fail_shape("an array", t);
    od::array a;
    if (auto e = v.get_array().get(a)) fail_code(e);
    return a;
  }

  // Plans.
  void plan_resource_changes(od::value v);
  void plan_resource_change(od::object o);
  void plan_change(od::object o, PendingResource& pr);
  bool plan_actions(od::value v);
  bool plan_after(od::value v);
  Value plan_markers(od::value v);
  Value merge_top(const Value& unknown);
  Result<void> planned_module(simdjson::dom::element m, const std::string& at);
  // States.
  void state_resources(od::array a);
  void state_resource(od::object o);
  StateInstance state_instance(od::value v);
  void add_state_instance(const StateBlock& b, StateInstance& in);

  void finish(PendingResource& pr);
  void mark_position(Resource& r, const char* at) {
    if (!at || at < buf_ || at > buf_ + len_) return;
    auto [l, c] = lines_.at(static_cast<std::size_t>(at - buf_));
    r.line = l;
    r.column = c;
  }

  struct TopSeen {
    bool format = false, values = false;
  };
  Result<void> top_level(InputKind kind, InputFile& out);
  void top_field(std::string_view k, od::value v, bool plan, TopSeen& seen, InputFile& out);
  void values_section(od::value v, bool plan);
  std::string_view raw_object(od::value v);
  Result<void> check_version(bool plan, const TopSeen& seen, InputFile& out);
  Result<void> read_parts(InputKind kind);
  Error located(const JsonFail& jf) const;

  Deployment& d_;
  Arena& A_;
  detail::JsonDoc& jd_;
  std::string name_;
  const char* buf_;
  std::size_t len_;
  const LoadOptions& opts_;
  od::document* doc_ = nullptr;
  LineCounter lines_;
  std::vector<Value> vstack_;
  std::vector<Member> mstack_;
  std::vector<Member> top_;  // top-level members of the `after` being built
  Arena scratch_;  // overlays and sensitive paths; recycled now and then, not per resource
  int scratch_uses_ = 0;
  void reset_scratch() {
    if (++scratch_uses_ >= 4096) {
      scratch_.release();
      scratch_uses_ = 0;
    }
  }
  std::uint32_t input_ = 0;
  std::size_t first_ = 0;
  // What the top level held.
  std::int64_t state_version_ = -1;
  bool seen_rc_ = false;
  std::string_view planned_root_, values_root_, config_json_, variables_json_, resources_json_;
  std::string planned_pointer_;  // "/planned_values/root_module" or "/values/root_module"
};

// Reads a plan or state document (the registry's entries call it).
Result<InputFile> load_terraform(const Source& src, Deployment& d, const LoadOptions& opts,
                                 InputKind kind);

// ---- overlays: after_unknown and after_sensitive (terraform_values.cpp) -----------------------

// Finds an object's members by key in O(log n): Terraform writes keys sorted, so a sorted object is
// searched in place; an unsorted one through an index sorted once. Small objects are scanned.
class KeyFinder {
 public:
  explicit KeyFinder(std::span<Member> ms) : ms_(ms) {
    if (ms_.size() <= kScan) return;
    sorted_ = true;
    for (std::size_t i = 1; i < ms_.size(); ++i) {
      ++detail::key_steps();
      if (ms_[i].key < ms_[i - 1].key) {
        sorted_ = false;
        break;
      }
    }
    if (sorted_) return;
    order_.resize(ms_.size());
    for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [this](std::uint32_t a, std::uint32_t b) {
      ++detail::key_steps();
      return ms_[a].key < ms_[b].key;
    });
  }
  Member* find(std::string_view key) {
    if (ms_.size() <= kScan) {
      for (auto& m : ms_) {
        ++detail::key_steps();
        if (m.key == key) return &m;
      }
      return nullptr;
    }
    if (sorted_) {
      auto it =
          std::lower_bound(ms_.begin(), ms_.end(), key, [](const Member& m, std::string_view k) {
            ++detail::key_steps();
            return m.key < k;
          });
      return it != ms_.end() && it->key == key ? &*it : nullptr;
    }
    auto it = std::lower_bound(order_.begin(), order_.end(), key,
                               [this](std::uint32_t i, std::string_view k) {
                                 ++detail::key_steps();
                                 return ms_[i].key < k;
                               });
    return it != order_.end() && ms_[*it].key == key ? &ms_[*it] : nullptr;
  }

 private:
  static constexpr std::size_t kScan = 8;
  std::span<Member> ms_;
  bool sorted_ = false;
  std::vector<std::uint32_t> order_;
};

// True when a marker value holds `true` anywhere.
bool any_true(const Value& v);
// A value made of the unknown markers alone (for positions `after` does not have).
Value from_unknown(const Value& unk, Arena& A, const char* buf, std::size_t len);
// `after` with after_unknown's markers laid over it.
Value overlay_unknown(Value after, const Value& unk, Arena& A, const char* buf, std::size_t len);
// Marks what after_sensitive (or sensitive_values) marks.
void overlay_sensitive(Value& after, const Value& sens);

// State v4 sensitive_attributes: [[{"type":"get_attr","value":"password"}, {"type":"index", ...}]].
// Many paths into one object share one finder per object.
class StatePaths {
 public:
  void mark(Value& root, const Value& path) {
    Value* cur = &root;
    for (const auto& step : path.items()) {
      const Value* type = step.get("type");
      const Value* val = step.get("value");
      if (!type || !val) return;
      if (type->str() == "get_attr") {
        cur = member(*cur, val->str());
      } else if (type->str() == "index") {
        const Value* key = val->is_object() ? val->get("value") : val;
        if (!key) return;
        if (key->is_string()) {
          cur = member(*cur, key->str());
        } else if (key->is_number()) {
          auto items = cur->mutable_items();
          auto i = key->as_int();
          cur = (i >= 0 && static_cast<std::size_t>(i) < items.size())
                    ? &items[static_cast<std::size_t>(i)]
                    : nullptr;
        } else {
          return;
        }
      } else {
        return;
      }
      if (!cur) return;
    }
    if (marked_.insert(cur).second) cur->mark_sensitive_deep();
  }

 private:
  Value* member(Value& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto ms = obj.mutable_members();
    auto it = finders_.find(ms.data());
    if (it == finders_.end()) it = finders_.emplace(ms.data(), KeyFinder(ms)).first;
    Member* m = it->second.find(key);
    return m ? &m->value : nullptr;
  }
  std::unordered_map<const Member*, KeyFinder> finders_;
  std::unordered_set<const Value*> marked_;  // marked deep already: a repeated path costs nothing
};

}  // namespace csap::ingest::detail
