// Terraform plan/state loading with simdjson On-Demand: one forward pass over the document,
// each resource's values built straight into the deployment's arena. The file's bytes are read
// into the arena too, so strings without escapes are referenced in place, never copied.
#include "ingest/terraform.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "core/files.h"
#include "ingest/json.h"
#include "ingest/loaders.h"
#include "ingest/terraform_internal.h"
#include "model/convert.h"

namespace csap::ingest {
namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

using detail::raw_string_at;
using detail::type_name;
using detail::unescape_json;

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
    throw JsonFail{detail::json_error_text(e), {}, location(), true};
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
  Result<void> planned_module(simdjson::dom::element m, const std::string& at);
  // States.
  void state_resources(od::array a);
  void state_resource(od::object o);

  void finish(PendingResource& pr);
  void mark_position(Resource& r, const char* at) {
    if (!at || at < buf_ || at > buf_ + len_) return;
    auto [l, c] = lines_.at(static_cast<std::size_t>(at - buf_));
    r.line = l;
    r.column = c;
  }

  Result<void> top_level(InputKind kind, InputFile& out);
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

std::string_view Loader::key_of(od::field& f) {
  bool escaped = false;
  std::string_view raw = raw_string_at(f.key().raw(), buf_ + len_, &escaped);
  if (!escaped) return raw;
  return A_.copy(unescape_json(raw));
}

Value Loader::build_string(od::value v, Arena& arena) {
  std::string_view tok = v.raw_json_token();
  // tok = "..."<spaces>; a string with no backslash is used in place.
  if (tok.size() >= 2 && tok[0] == '"') {
    std::size_t q = tok.find_last_of('"');
    if (q > 0) {
      std::string_view body = tok.substr(1, q - 1);
      if (std::memchr(body.data(), '\\', body.size()) == nullptr) {
        // Validate it as simdjson would (control characters are not allowed raw).
        return Value::string(body);
      }
    }
  }
  std::string_view s;
  if (auto e = v.get_string().get(s)) fail_code(e);
  return arena.str(s);
}

std::string_view Loader::str(od::value v, const char* what) {
  od::json_type t;
  if (auto e = v.type().get(t)) fail_code(e);
  if (t == od::json_type::null) return {};
  if (t != od::json_type::string) fail_shape(what, t);
  Value s = build_string(v, A_);
  return s.str();
}

Value Loader::build(od::value v, Arena& arena, int depth) {
  od::json_type t;
  if (auto e = v.type().get(t)) fail_code(e);
  switch (t) {
    case od::json_type::object: {
      if (depth >= opts_.max_depth)
        throw JsonFail{
            fmt::format("nested more than {} levels deep", opts_.max_depth), {}, location(), true};
      od::object o;
      if (auto e = v.get_object().get(o)) fail_code(e);
      const std::size_t base = mstack_.size();
      for (auto fr : o) {
        od::field f;
        if (auto e = std::move(fr).get(f)) fail_code(e);
        std::string_view k = key_of(f);
        Value child;
        try {
          child = build(f.value(), arena, depth + 1);
        } catch (JsonFail& jf) {
          jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
          throw;
        }
        mstack_.push_back(Member{k, child});
      }
      const std::size_t n = mstack_.size() - base;
      Member* ms = n ? arena.members(n) : nullptr;
      if (n) std::memcpy(static_cast<void*>(ms), mstack_.data() + base, n * sizeof(Member));
      mstack_.resize(base);
      return Value::object(ms, n);
    }
    case od::json_type::array: {
      if (depth >= opts_.max_depth)
        throw JsonFail{
            fmt::format("nested more than {} levels deep", opts_.max_depth), {}, location(), true};
      od::array a;
      if (auto e = v.get_array().get(a)) fail_code(e);
      const std::size_t base = vstack_.size();
      std::size_t i = 0;
      for (auto er : a) {
        od::value ev;
        if (auto e = er.get(ev)) fail_code(e);
        Value child;
        try {
          child = build(ev, arena, depth + 1);
        } catch (JsonFail& jf) {
          jf.pointer = "/" + std::to_string(i) + jf.pointer;
          throw;
        }
        vstack_.push_back(child);
        ++i;
      }
      const std::size_t n = vstack_.size() - base;
      Value* items = n ? arena.values(n) : nullptr;
      if (n) std::memcpy(static_cast<void*>(items), vstack_.data() + base, n * sizeof(Value));
      vstack_.resize(base);
      return Value::array(items, n);
    }
    case od::json_type::string:
      return build_string(v, arena);
    case od::json_type::number: {
      od::number num;
      if (auto e = v.get_number().get(num)) {
        if (e == simdjson::NUMBER_ERROR || e == simdjson::NUMBER_OUT_OF_RANGE) {
          std::string_view tok = v.raw_json_token();
          while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\n' || tok.back() == '\r' ||
                                  tok.back() == '\t'))
            tok.remove_suffix(1);
          if (tok.size() > 40) tok = tok.substr(0, 40);
          throw JsonFail{
              fmt::format("number {} is out of 64-bit range", tok), {}, location(), true};
        }
        fail_code(e);
      }
      switch (num.get_number_type()) {
        case od::number_type::signed_integer:
          return Value::integer(num.get_int64());
        case od::number_type::unsigned_integer:
          return Value::number(static_cast<double>(num.get_uint64()));
        default:
          return Value::number(num.get_double());
      }
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) fail_code(e);
      return Value::boolean(b);
    }
    case od::json_type::null: {
      bool n;
      if (auto e = v.is_null().get(n)) fail_code(e);
      if (!n) fail_code(simdjson::N_ATOM_ERROR);
      return Value::null();
    }
  }
  return Value::null();
}

// ---- overlays: after_unknown and after_sensitive ---------------------------------------------

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

bool any_true(const Value& v) {
  ++detail::key_steps();
  if (v.is_bool()) return v.as_bool();
  for (const auto& i : v.items())
    if (any_true(i)) return true;
  for (const auto& m : v.members())
    if (any_true(m.value)) return true;
  return false;
}

// A value made of the unknown markers alone (for positions `after` does not have).
Value from_unknown(const Value& unk, Arena& A, const char* buf, std::size_t len) {
  if (unk.is_bool()) return unk.as_bool() ? Value::unknown() : Value::null();
  if (unk.is_array()) {
    Value* items = unk.size() ? A.values(unk.size()) : nullptr;
    for (std::size_t i = 0; i < unk.size(); ++i)
      items[i] = from_unknown(unk.items()[i], A, buf, len);
    return Value::array(items, unk.size());
  }
  if (unk.is_object()) {
    std::vector<Member> kept;
    for (const auto& m : unk.members()) {
      if (!any_true(m.value)) continue;
      bool in_buf = m.key.data() >= buf && m.key.data() + m.key.size() <= buf + len;
      kept.push_back(Member{in_buf ? m.key : A.copy(m.key), from_unknown(m.value, A, buf, len)});
    }
    Member* ms = kept.empty() ? nullptr : A.members(kept.size());
    if (ms) std::memcpy(static_cast<void*>(ms), kept.data(), kept.size() * sizeof(Member));
    return Value::object(ms, kept.size());
  }
  return Value::null();
}

Value overlay_unknown(Value after, const Value& unk, Arena& A, const char* buf, std::size_t len) {
  if (unk.is_bool()) return unk.as_bool() ? Value::unknown() : after;
  if (!any_true(unk)) return after;
  if (unk.is_object()) {
    if (!after.is_object()) return after.is_null() ? from_unknown(unk, A, buf, len) : after;
    std::vector<Member> extra;
    KeyFinder finder(after.mutable_members());
    for (const auto& m : unk.members()) {
      if (Member* slot = finder.find(m.key)) {
        slot->value = overlay_unknown(slot->value, m.value, A, buf, len);
      } else if (any_true(m.value)) {
        bool in_buf = m.key.data() >= buf && m.key.data() + m.key.size() <= buf + len;
        extra.push_back(Member{in_buf ? m.key : A.copy(m.key), from_unknown(m.value, A, buf, len)});
      }
    }
    if (extra.empty()) return after;
    const std::size_t n = after.size() + extra.size();
    Member* ms = A.members(n);
    std::size_t k = 0;
    for (const auto& m : after.members()) ms[k++] = m;
    for (const auto& m : extra) ms[k++] = m;
    return Value::object(ms, n);
  }
  if (unk.is_array()) {
    if (!after.is_array()) return after.is_null() ? from_unknown(unk, A, buf, len) : after;
    auto items = after.mutable_items();
    for (std::size_t i = 0; i < unk.size() && i < items.size(); ++i)
      items[i] = overlay_unknown(items[i], unk.items()[i], A, buf, len);
    if (unk.size() <= items.size()) return after;
    Value* grown = A.values(unk.size());
    for (std::size_t i = 0; i < unk.size(); ++i)
      grown[i] = i < items.size() ? items[i] : from_unknown(unk.items()[i], A, buf, len);
    return Value::array(grown, unk.size());
  }
  return after;
}

void overlay_sensitive(Value& after, const Value& sens) {
  if (sens.is_bool()) {
    if (sens.as_bool()) after.mark_sensitive_deep();
    return;
  }
  if (sens.is_object()) {
    if (!after.is_object()) return;
    KeyFinder finder(after.mutable_members());
    for (const auto& m : sens.members())
      if (Member* slot = finder.find(m.key)) overlay_sensitive(slot->value, m.value);
    return;
  }
  if (sens.is_array()) {
    auto items = after.mutable_items();
    for (std::size_t i = 0; i < sens.size() && i < items.size(); ++i)
      overlay_sensitive(items[i], sens.items()[i]);
  }
}

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

// ---- plans -----------------------------------------------------------------------------------

void Loader::plan_resource_changes(od::value v) {
  od::array a = get_array(v);
  std::size_t i = 0;
  for (auto er : a) {
    od::value ev;
    if (auto e = er.get(ev)) fail_code(e);
    try {
      plan_resource_change(get_object(ev, "resource change"));
    } catch (JsonFail& jf) {
      jf.pointer = "/" + std::to_string(i) + jf.pointer;
      throw;
    }
    ++i;
  }
}

void Loader::plan_resource_change(od::object o) {
  PendingResource pr;
  pr.r.input = input_;
  mark_position(pr.r, location());
  std::string_view provider_name;
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "address")
        pr.r.address = str(f.value(), "a string");
      else if (k == "module_address")
        pr.r.module = str(f.value(), "a string");
      else if (k == "mode")
        pr.r.mode = str(f.value(), "a string");
      else if (k == "type")
        pr.r.type = str(f.value(), "a string");
      else if (k == "name")
        pr.r.name = str(f.value(), "a string");
      else if (k == "provider_name")
        provider_name = str(f.value(), "a string");
      else if (k == "deposed")
        pr.skip = true;  // a deposed object being destroyed
      else if (k == "change")
        plan_change(get_object(f.value(), "change"), pr);
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  pr.r.provider_source = provider_name;
  pr.r.provider = provider_short_name(provider_name);
  finish(pr);
}

void Loader::plan_change(od::object o, PendingResource& pr) {
  reset_scratch();
  Value after, unknown, sensitive;
  bool have_after = false, after_top = false;
  bool creates = false, deletes = false, forgets = false;
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "actions") {
        od::array a = get_array(f.value());
        for (auto er : a) {
          od::value ev;
          if (auto e = er.get(ev)) fail_code(e);
          std::string_view act = str(ev, "a string");
          if (act == "delete")
            deletes = true;
          else if (act == "forget")
            forgets = true;
          else
            creates = true;  // create, update, no-op, read
        }
      } else if (k == "after") {
        // The top-level members stay in top_ until the overlays are known, so that keys
        // after_unknown adds cost no second copy of the object.
        od::value v = f.value();
        od::json_type t;
        if (auto e = v.type().get(t)) fail_code(e);
        if (t == od::json_type::object) {
          top_.clear();
          od::object o;
          if (auto e = v.get_object().get(o)) fail_code(e);
          for (auto fr2 : o) {
            od::field f2;
            if (auto e = std::move(fr2).get(f2)) fail_code(e);
            std::string_view k2 = key_of(f2);
            Value child;
            try {
              child = build(f2.value(), A_, 1);
            } catch (JsonFail& jf) {
              jf.pointer = "/" + detail::pointer_escape(k2) + jf.pointer;
              throw;
            }
            top_.push_back(Member{k2, child});
          }
          after_top = true;
        } else if (t == od::json_type::null) {
          after = Value::null();
        } else {
          fail_shape("an object or null", t);
        }
        have_after = true;
      } else if (k == "after_unknown" || k == "after_sensitive" || k == "before_sensitive") {
        // An object of markers, or one boolean for the whole value.
        od::value v = f.value();
        od::json_type t;
        if (auto e = v.type().get(t)) fail_code(e);
        if (t != od::json_type::object && t != od::json_type::boolean && t != od::json_type::null)
          fail_shape("an object or a boolean", t);
        if (k == "after_unknown")
          unknown = build(v, scratch_, 0);
        else if (k == "after_sensitive")
          sensitive = build(v, scratch_, 0);
        else
          check_depth(v);
      } else {
        check_depth(f.value());  // before, replace_paths, importing, ...
      }
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  if ((deletes || forgets) && !creates) pr.skip = true;
  if (!have_after || pr.skip) return;
  if (after_top) {
    std::vector<Member> extra;
    KeyFinder finder(std::span<Member>(top_.data(), top_.size()));
    for (const auto& m : unknown.members()) {
      if (Member* slot = finder.find(m.key)) {
        slot->value = overlay_unknown(slot->value, m.value, A_, buf_, len_);
      } else if (any_true(m.value)) {
        extra.push_back(Member{own(m.key), from_unknown(m.value, A_, buf_, len_)});
      }
    }
    top_.insert(top_.end(), extra.begin(), extra.end());
    Member* ms = top_.empty() ? nullptr : A_.members(top_.size());
    if (ms) std::memcpy(static_cast<void*>(ms), top_.data(), top_.size() * sizeof(Member));
    after = Value::object(ms, top_.size());
    if (unknown.is_bool() && unknown.as_bool()) after = Value::unknown();
  } else {
    after = overlay_unknown(after, unknown, A_, buf_, len_);
  }
  overlay_sensitive(after, sensitive);
  pr.r.values = after;
}

void Loader::finish(PendingResource& pr) {
  if (pr.skip) return;
  if (pr.r.mode.empty())
    pr.r.mode =
        pr.r.address.starts_with("data.") || pr.r.address.find(".data.") != std::string_view::npos
            ? "data"
            : "managed";
  if (!pr.r.values.is_object() && !pr.r.values.is_unknown())
    pr.r.values = Value::object(nullptr, 0);
  d_.resources.push_back(std::move(pr.r));
}

// planned_values.root_module (when a plan has no resource_changes) and the `values.root_module` of
// a state shown as JSON. Small enough to go through the DOM; every shape is checked.
Result<void> Loader::planned_module(simdjson::dom::element m, const std::string& at) {
  using T = simdjson::dom::element_type;
  auto shape = [&](const std::string& pointer, const char* expected, simdjson::dom::element e) {
    const char* found = e.type() == T::ARRAY        ? "an array"
                        : e.type() == T::OBJECT     ? "an object"
                        : e.type() == T::STRING     ? "a string"
                        : e.type() == T::BOOL       ? "a boolean"
                        : e.type() == T::NULL_VALUE ? "null"
                                                    : "a number";
    return std::unexpected(detail::shape_error(
        buf_, len_, name_, pointer, fmt::format("expected {}, found {}", expected, found)));
  };
  if (!m.is_object()) return shape(at, "an object", m);
  simdjson::dom::element rs_el;
  if (!m["resources"].get(rs_el)) {
    if (!rs_el.is_array()) return shape(at + "/resources", "an array", rs_el);
    std::size_t i = 0;
    for (auto r : rs_el.get_array()) {
      const std::string here = fmt::format("{}/resources/{}", at, i++);
      if (!r.is_object()) return shape(here, "an object", r);
      PendingResource pr;
      pr.r.input = input_;
      for (const char* key : {"address", "mode", "type", "name", "provider_name"}) {
        simdjson::dom::element f;
        if (r[key].get(f) || f.is_null()) continue;
        if (!f.is_string()) return shape(here + "/" + key, "a string", f);
        std::string_view s = A_.copy(std::string_view(f));
        std::string_view k = key;
        if (k == "address") pr.r.address = s;
        if (k == "mode") pr.r.mode = s;
        if (k == "type") pr.r.type = s;
        if (k == "name") pr.r.name = s;
        if (k == "provider_name") {
          pr.r.provider_source = s;
          pr.r.provider = provider_short_name(s);
        }
      }
      if (pr.r.address.starts_with("module.")) {
        // module path = address minus the trailing "[data.]type.name[index]"
        std::string_view a = pr.r.address;
        std::string tail = (pr.r.mode == "data" ? "data." : "") + std::string(pr.r.type) + "." +
                           std::string(pr.r.name);
        auto pos = a.rfind("." + tail);
        if (pos != std::string_view::npos) pr.r.module = a.substr(0, pos);
      }
      simdjson::dom::element vals;
      if (!r["values"].get(vals) && !vals.is_null()) {
        if (!vals.is_object()) return shape(here + "/values", "an object", vals);
        pr.r.values = from_json_dom(vals, A_);
      }
      simdjson::dom::element sens;
      if (!r["sensitive_values"].get(sens) && !sens.is_null()) {
        if (!sens.is_object() && !sens.is_bool())
          return shape(here + "/sensitive_values", "an object", sens);
        reset_scratch();
        Value sv = from_json_dom(sens, scratch_);
        overlay_sensitive(pr.r.values, sv);
      }
      finish(pr);
    }
  }
  simdjson::dom::element kids;
  if (!m["child_modules"].get(kids)) {
    if (!kids.is_array()) return shape(at + "/child_modules", "an array", kids);
    std::size_t i = 0;
    for (auto k : kids.get_array())
      if (auto r = planned_module(k, fmt::format("{}/child_modules/{}", at, i++)); !r) return r;
  }
  return {};
}

// ---- states ----------------------------------------------------------------------------------

void Loader::state_resources(od::array a) {
  std::size_t i = 0;
  for (auto er : a) {
    od::value ev;
    if (auto e = er.get(ev)) fail_code(e);
    try {
      state_resource(get_object(ev, "resource"));
    } catch (JsonFail& jf) {
      jf.pointer = "/" + std::to_string(i) + jf.pointer;
      throw;
    }
    ++i;
  }
}

std::string format_index_key(const Value& k) {
  if (k.kind() == Kind::kInt) return fmt::format("[{}]", k.as_int());
  if (k.is_number()) return fmt::format("[{}]", k.as_double());
  if (k.is_string()) {
    std::string out = "[\"";
    for (char c : k.str()) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"]";
  }
  return {};
}

void Loader::state_resource(od::object o) {
  std::string_view module, mode, type, name, provider;
  struct Inst {
    Value index_key;
    Value values;
    Value sensitive;  // in scratch: list of paths
    std::vector<std::string_view> deps;
    bool deposed = false;
    const char* at = nullptr;
  };
  std::vector<Inst> insts;
  reset_scratch();
  for (auto fr : o) {
    od::field f;
    if (auto e = std::move(fr).get(f)) fail_code(e);
    std::string_view k = key_of(f);
    try {
      if (k == "module")
        module = str(f.value(), "a string");
      else if (k == "mode")
        mode = str(f.value(), "a string");
      else if (k == "type")
        type = str(f.value(), "a string");
      else if (k == "name")
        name = str(f.value(), "a string");
      else if (k == "provider")
        provider = str(f.value(), "a string");
      else if (k == "instances") {
        od::array a = get_array(f.value());
        std::size_t i = 0;
        for (auto er : a) {
          od::value ev;
          if (auto e = er.get(ev)) fail_code(e);
          try {
            Inst in;
            in.at = location();
            od::object io = get_object(ev, "instance");
            for (auto ifr : io) {
              od::field inf;
              if (auto e = std::move(ifr).get(inf)) fail_code(e);
              std::string_view ik = key_of(inf);
              try {
                if (ik == "index_key")
                  in.index_key = build(inf.value(), scratch_, 0);
                else if (ik == "attributes")
                  in.values = build(inf.value(), A_, 0);
                else if (ik == "attributes_flat" && !in.values.is_object())
                  in.values = build(inf.value(), A_, 0);
                else if (ik == "sensitive_attributes")
                  in.sensitive = build(inf.value(), scratch_, 0);
                else if (ik == "deposed")
                  in.deposed = true;
                else if (ik == "dependencies") {
                  od::array da = get_array(inf.value());
                  for (auto der : da) {
                    od::value dv;
                    if (auto e = der.get(dv)) fail_code(e);
                    std::string_view s = str(dv, "a string");
                    if (!s.empty()) in.deps.push_back(s);
                  }
                }
              } catch (JsonFail& jf) {
                jf.pointer = "/" + detail::pointer_escape(ik) + jf.pointer;
                throw;
              }
            }
            insts.push_back(std::move(in));
          } catch (JsonFail& jf) {
            jf.pointer = "/" + std::to_string(i) + jf.pointer;
            throw;
          }
          ++i;
        }
      }
    } catch (JsonFail& jf) {
      jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  const bool data = mode == "data";
  for (auto& in : insts) {
    if (in.deposed) continue;
    PendingResource pr;
    pr.r.input = input_;
    mark_position(pr.r, in.at);
    std::string addr;
    if (!module.empty()) addr = std::string(module) + ".";
    if (data) addr += "data.";
    addr += std::string(type) + "." + std::string(name) + format_index_key(in.index_key);
    pr.r.address = A_.copy(addr);
    pr.r.module = module;
    pr.r.mode = data ? std::string_view("data") : std::string_view("managed");
    pr.r.type = type;
    pr.r.name = name;
    pr.r.provider = provider_short_name(provider);
    // provider["registry.terraform.io/hashicorp/aws"].alias → the quoted source
    if (auto q = provider.find("[\""); q != std::string_view::npos) {
      auto e = provider.find("\"]", q + 2);
      if (e != std::string_view::npos) pr.r.provider_source = provider.substr(q + 2, e - q - 2);
    }
    pr.r.values = in.values;
    StatePaths marker;
    for (const auto& path : in.sensitive.items()) marker.mark(pr.r.values, path);
    // Dependencies are configuration addresses: resolved to resources after loading.
    if (!in.deps.empty()) {
      pr.r.refs.reserve(in.deps.size());
      for (auto dep : in.deps) pr.r.refs.push_back(Reference{dep, UINT32_MAX});
    }
    finish(pr);
  }
}

// ---- the document ----------------------------------------------------------------------------

// "0.1" to "1.x": digits, a dot, digits; 0.0 was never written by Terraform.
std::optional<std::string> bad_format_version(std::string_view fv) {
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto dot = fv.find('.');
  if (dot == std::string_view::npos || !digits(fv.substr(0, dot)) || !digits(fv.substr(dot + 1)))
    return fmt::format("format_version \"{}\" is not a version (MAJOR.MINOR)",
                       fv.substr(0, std::min<std::size_t>(fv.size(), 40)));
  const int major = std::stoi(std::string(fv.substr(0, dot)));
  const int minor = std::stoi(std::string(fv.substr(dot + 1)));
  if (major == 1 || (major == 0 && minor >= 1)) return std::nullopt;
  return fmt::format("format_version {} is not supported (0.1 to 1.x are)", fv);
}

Error Loader::located(const JsonFail& jf) const {
  SourceLoc where{name_};
  std::string msg = jf.message;
  if (jf.with_location && jf.at) {
    auto [l, c] = line_col(std::string_view(buf_, len_), static_cast<std::size_t>(jf.at - buf_));
    where.line = l;
    where.column = c;
    if (!jf.pointer.empty()) msg += fmt::format(" (at {})", jf.pointer);
  } else {
    where.pointer = jf.pointer.empty() ? "/" : jf.pointer;
  }
  return Error{Exit::kBadInput, msg, where};
}

Result<InputFile> Loader::run(InputKind kind) {
  input_ = static_cast<std::uint32_t>(d_.inputs.size());
  first_ = d_.resources.size();
  InputFile out;
  out.kind = kind == InputKind::kPlan ? "terraform-plan" : "terraform-state";
  if (jd_.iterate_error)
    return std::unexpected(
        detail::json_syntax_error(jd_.iterate_error, buf_, len_, name_, nullptr));
  doc_ = &jd_.doc;
  auto r = top_level(kind, out);
  doc_ = nullptr;
  jd_.parser = od::parser();  // its index is as large as the file: free it before the rest
  if (r) r = read_parts(kind);
  if (!r) {
    d_.resources.resize(first_);
    return std::unexpected(r.error());
  }
  return out;
}

Result<void> Loader::top_level(InputKind kind, InputFile& out) {
  const bool plan = kind == InputKind::kPlan;
  bool seen_format = false, seen_values = false;
  try {
    od::json_type top;
    if (auto e = doc_->type().get(top)) fail_code(e);
    if (top != od::json_type::object) fail_shape("an object", top);
    od::object root;
    if (auto e = doc_->get_object().get(root)) fail_code(e);
    for (auto fr : root) {
      od::field f;
      if (auto e = std::move(fr).get(f)) fail_code(e);
      std::string_view k = key_of(f);
      od::value v = f.value();
      try {
        od::json_type t;
        if (auto e = v.type().get(t)) fail_code(e);
        if (k == "format_version") {
          seen_format = true;
          out.format_version = std::string(str(v, "a string"));
          if (t != od::json_type::string) fail_shape("a string", t);
        } else if (k == "terraform_version") {
          if (t == od::json_type::string) out.tool_version = std::string(str(v, "a string"));
        } else if (k == "version" && t == od::json_type::number) {
          if (v.get_int64().get(state_version_)) state_version_ = -2;
        } else if (plan && k == "resource_changes") {
          seen_rc_ = true;
          plan_resource_changes(v);
        } else if (!plan && k == "resources") {
          od::array a = get_array(v);
          if (state_version_ == 4)
            state_resources(a);
          else if (auto e = a.raw_json().get(resources_json_))  // read once "version" is known
            fail_code(e);
        } else if ((plan && k == "planned_values") || (!plan && k == "values")) {
          seen_values = true;
          od::object o = get_object(v, "values");
          for (auto pfr : o) {
            od::field pf;
            if (auto e = std::move(pfr).get(pf)) fail_code(e);
            std::string_view pk = key_of(pf);
            try {
              if (pk == "root_module") {
                od::object rm = get_object(pf.value(), "module");
                std::string_view& raw = plan ? planned_root_ : values_root_;
                if (auto e = rm.raw_json().get(raw)) fail_code(e);
                if (long at = detail::too_deep_at(raw, opts_.max_depth); at >= 0)
                  throw JsonFail{fmt::format("nested more than {} levels deep", opts_.max_depth),
                                 {},
                                 raw.data() + at,
                                 true};
              } else {
                check_depth(pf.value());
              }
            } catch (JsonFail& jf) {
              jf.pointer = "/" + detail::pointer_escape(pk) + jf.pointer;
              throw;
            }
          }
        } else if (plan && (k == "configuration" || k == "variables")) {
          od::object o = get_object(v, "configuration");
          std::string_view& raw = k == "configuration" ? config_json_ : variables_json_;
          if (auto e = o.raw_json().get(raw)) fail_code(e);
          if (long at = detail::too_deep_at(raw, opts_.max_depth); at >= 0)
            throw JsonFail{fmt::format("nested more than {} levels deep", opts_.max_depth),
                           {},
                           raw.data() + at,
                           true};
        } else {
          check_depth(v);  // a part no rule reads (prior_state, output_changes, ...)
        }
      } catch (JsonFail& jf) {
        jf.pointer = "/" + detail::pointer_escape(k) + jf.pointer;
        throw;
      }
    }
    // Anything after the top-level object is an error.
    const char* rest = nullptr;
    if (!doc_->current_location().get(rest) && rest) {
      const char* end = buf_ + len_;
      while (rest < end && (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t'))
        ++rest;
      if (rest < end)
        throw JsonFail{detail::json_error_text(simdjson::TRAILING_CONTENT), {}, rest, true};
    }
  } catch (JsonFail& jf) {
    if (jf.with_location) {
      if (auto ok = check_text(std::string_view(buf_, len_), name_); !ok)
        return std::unexpected(ok.error());
    }
    return std::unexpected(located(jf));
  }

  auto format_error = [&](std::string message) {
    return std::unexpected(
        detail::shape_error(buf_, len_, name_, "/format_version", std::move(message)));
  };
  if (plan || seen_values) {
    if (seen_format) {
      if (auto why = bad_format_version(out.format_version))
        return format_error((plan ? "plan " : "state ") + *why);
    } else if (!plan) {
      return fail("a Terraform state shown as JSON has no format_version", {name_});
    }
    return {};
  }
  out.format_version = state_version_ >= 0 ? std::to_string(state_version_) : std::string();
  if (state_version_ == 4) return {};
  if (state_version_ == -1)
    return fail("read as a Terraform state, but it has neither `version` nor `values`", {name_});
  if (state_version_ >= 0 && state_version_ < 4)
    return fail(fmt::format("Terraform state version {} is not supported (it was written by "
                            "Terraform 0.11 or older); only version 4 is read: upgrade the state "
                            "with Terraform 0.12 or newer, or give `terraform show -json` output",
                            state_version_),
                {name_});
  return fail(fmt::format("Terraform state version {} is not supported; only version 4 is read",
                          state_version_ == -2 ? std::string("(not an integer)")
                                               : std::to_string(state_version_)),
              {name_});
}

Result<void> Loader::read_parts(InputKind kind) {
  const bool plan = kind == InputKind::kPlan;
  if (!plan && !resources_json_.empty()) {
    // "resources" came before "version": read it now.
    od::parser p2;
    od::document d2;
    const char* limit = buf_ + len_ + simdjson::SIMDJSON_PADDING;
    simdjson::padded_string_view v2(resources_json_.data(), resources_json_.size(),
                                    static_cast<std::size_t>(limit - resources_json_.data()));
    try {
      if (auto e = p2.iterate(v2).get(d2)) fail_code(e);
      doc_ = &d2;
      od::array a;
      if (auto e = d2.get_array().get(a)) fail_code(e);
      state_resources(a);
    } catch (JsonFail& jf) {
      jf.pointer = "/resources" + jf.pointer;
      doc_ = nullptr;
      return std::unexpected(located(jf));
    }
    doc_ = nullptr;
  }

  // ---- the parts read through the DOM (small) ----
  auto parse_part = [&](simdjson::dom::parser& p, std::string_view raw, const char* pointer,
                        simdjson::dom::element& out_el) -> Result<void> {
    // `raw` lies inside the padded buffer, so simdjson may read past its end without copying.
    if (auto e = p.parse(raw.data(), raw.size(), false).get(out_el)) {
      SourceLoc where{name_};
      auto [l, c] =
          line_col(std::string_view(buf_, len_), static_cast<std::size_t>(raw.data() - buf_));
      where.line = l;
      where.column = c;
      return std::unexpected(Error{
          Exit::kBadInput, fmt::format("{} (at {})", detail::json_error_text(e), pointer), where});
    }
    return {};
  };
  const std::string_view root =
      plan ? (seen_rc_ ? std::string_view() : planned_root_) : values_root_;
  if (!root.empty()) {
    simdjson::dom::parser pv;
    simdjson::dom::element el;
    const char* pointer = plan ? "/planned_values/root_module" : "/values/root_module";
    if (auto r = parse_part(pv, root, pointer, el); !r) return r;
    if (auto r = planned_module(el, pointer); !r) return r;
  }
  simdjson::dom::parser dom;
  simdjson::dom::parser dom_vars;
  detail::Configuration cfg;
  bool have_cfg = false;
  if (!config_json_.empty()) {
    simdjson::dom::element c, vars;
    if (auto r = parse_part(dom, config_json_, "/configuration", c); !r) return r;
    bool have_vars = false;
    if (!variables_json_.empty()) {
      if (auto r = parse_part(dom_vars, variables_json_, "/variables", vars); !r) return r;
      have_vars = true;
    }
    cfg.load(c, vars, have_vars);
    have_cfg = true;
  }
  const detail::ConfigKeys keys = detail::config_keys(d_, first_, have_cfg ? &cfg : nullptr);
  detail::resolve_locations(d_, first_, have_cfg ? &cfg : nullptr, keys, ProviderTable::builtin());
  if (have_cfg) detail::resolve_references(d_, first_, cfg, keys);
  detail::resolve_dependencies(d_, first_);
  return {};
}

}  // namespace

std::string_view provider_short_name(std::string_view p) {
  if (p.empty()) return p;
  // State form: [module.x.]provider["registry.terraform.io/hashicorp/aws"][.alias]
  if (auto q = p.find("provider[\""); q != std::string_view::npos) {
    auto start = q + 10;
    auto end = p.find("\"]", start);
    if (end == std::string_view::npos) return {};
    p = p.substr(start, end - start);
  } else if (auto q2 = p.find("provider.");
             q2 != std::string_view::npos && (q2 == 0 || p[q2 - 1] == '.')) {
    // Legacy state form: provider.aws[.alias]
    p = p.substr(q2 + 9);
    auto dot = p.find('.');
    return dot == std::string_view::npos ? p : p.substr(0, dot);
  }
  auto slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

namespace detail {

std::uint64_t& key_steps() {
  thread_local std::uint64_t steps = 0;
  return steps;
}

// ---- the two registry entries ----------------------------------------------------------------

bool plan_by_content(const Sniff& s) {
  if (!s.json_object) return false;
  const bool rc = s.has("resource_changes"), planned = s.has("planned_values");
  const bool planish = rc || planned || s.has("configuration") || s.has("prior_state") ||
                       s.has("resource_drift") || s.has("terraform_version");
  return (s.has("format_version") && planish && !s.has("values")) || rc || planned;
}

bool state_by_content(const Sniff& s) {
  if (!s.json_object || plan_by_content(s)) return false;
  if (s.has("format_version") && s.has("values")) return true;  // `terraform show -json` of a state
  return s.version_is_number && (s.has("lineage") || s.has("serial") || s.has("resources") ||
                                 s.has("modules") || s.has("terraform_version"));
}

Result<InputFile> load_terraform(const Source& src, Deployment& d, const LoadOptions& opts,
                                 InputKind kind) {
  JsonDoc own;
  JsonDoc* jd = src.json;
  if (!jd) {
    own.open(src.data, src.size, src.name);
    jd = &own;
  }
  Loader loader(d, *jd, opts);
  return loader.run(kind);
}

Result<InputFile> load_plan(const Source& src, Deployment& d, const LoadOptions& opts) {
  return load_terraform(src, d, opts, InputKind::kPlan);
}

Result<InputFile> load_state(const Source& src, Deployment& d, const LoadOptions& opts) {
  return load_terraform(src, d, opts, InputKind::kState);
}

}  // namespace detail

Result<void> load_terraform_file(const fs::path& path, Deployment& d, const LoadOptions& opts) {
  return load_input_file(path, d, opts);
}

Result<void> load_terraform_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                                  const LoadOptions& opts) {
  return load_input_bytes(bytes, name, d, opts);
}

}  // namespace csap::ingest
