// Terraform plan/state loading with simdjson On-Demand: one forward pass over the document,
// each resource's values built straight into the deployment's arena. The file's bytes are read
// into the arena too, so strings without escapes are referenced in place, never copied.
#include "ingest/terraform.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <memory>
#include <optional>

#include "core/files.h"
#include "ingest/terraform_internal.h"

namespace csap::ingest {
namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

// ---- errors ----------------------------------------------------------------------------------

// Thrown inside the loader (only on failure; the success path pays nothing).
struct JsonFail {
  std::string message;
  std::string pointer;        // JSON pointer of the failing value, built while unwinding
  const char* at = nullptr;   // position in the buffer, when known
  bool with_location = true;  // false: report the pointer instead of line:column
};

std::string pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

std::string json_error_text(error_code e) {
  switch (e) {
    case simdjson::EMPTY:
      return "empty file: no JSON value";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "truncated JSON: a string is not closed";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "truncated JSON: an object or array is not closed";
    case simdjson::DEPTH_ERROR:
      return "JSON nested too deeply";
    case simdjson::NUMBER_ERROR:
      return "invalid number";
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "number out of 64-bit range";
    case simdjson::TRAILING_CONTENT:
      return "unexpected content after the JSON value";
    case simdjson::UNESCAPED_CHARS:
      return "invalid JSON: control character inside a string";
    case simdjson::STRING_ERROR:
      return "invalid JSON string (bad escape)";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "invalid JSON literal";
    case simdjson::CAPACITY:
      return "file too large for the JSON parser";
    case simdjson::MEMALLOC:
      return "out of memory while parsing";
    default:
      return std::string("invalid JSON (") + simdjson::error_message(e) + ")";
  }
}

// ---- small helpers ---------------------------------------------------------------------------

// Decodes JSON escapes (for the rare key or string that has them, outside simdjson's own path).
std::string unescape_json(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [&](std::size_t i) -> std::uint32_t {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4 && i + k < s.size(); ++k) {
      char c = s[i + k];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
    }
    return v;
  };
  auto put = [&](std::uint32_t cp) {
    if (cp < 0x80)
      out += static_cast<char>(cp);
    else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        std::uint32_t cp = hex(i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < s.size() && s[i + 1] == '\\' &&
            s[i + 2] == 'u') {
          std::uint32_t lo = hex(i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        put(cp);
        break;
      }
      default:
        out += c;  // \" \\ \/
    }
  }
  return out;
}

// Finds the closing quote of a raw JSON string starting at p (just after the opening quote).
std::string_view raw_string_at(const char* p, const char* limit, bool* escaped) {
  const char* q = p;
  *escaped = false;
  for (;;) {
    const char* e =
        q < limit
            ? static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(limit - q)))
            : nullptr;
    if (!e) return {p, static_cast<std::size_t>(limit > p ? limit - p : 0)};
    // Count the backslashes before the quote.
    const char* b = e;
    while (b > p && b[-1] == '\\') --b;
    if (((e - b) & 1) == 0) {
      if (!*escaped) *escaped = std::memchr(p, '\\', static_cast<std::size_t>(e - p)) != nullptr;
      return {p, static_cast<std::size_t>(e - p)};
    }
    *escaped = true;
    q = e + 1;
  }
}

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

bool plan_format_supported(std::string_view fv) {
  // 0.x and 1.x; minor versions within a major only add fields.
  return fv.starts_with("0.") || fv.starts_with("1.") || fv == "0" || fv == "1";
}

// ---- the loader ------------------------------------------------------------------------------

struct PendingResource {
  Resource r;
  bool skip = false;
};

class Loader {
 public:
  Loader(Deployment& d, std::string name, const char* buf, std::size_t len, const LoadOptions& opts)
      : d_(d), A_(d.arena()), name_(std::move(name)), buf_(buf), len_(len), opts_(opts) {
    lines_.base = buf;
  }

  struct Outcome {
    InputKind kind = InputKind::kNotTerraform;
    std::string format_version, tool_version, why_not;
  };

  Result<Outcome> run(std::uint32_t input_index);

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
        fmt::format("expected {}, found {}", expected, type_name(found)), {}, nullptr, false};
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
  void planned_module(simdjson::dom::element m, bool state_values);
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

  Deployment& d_;
  Arena& A_;
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
          jf.pointer = "/" + pointer_escape(k) + jf.pointer;
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

bool any_true(const Value& v) {
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
    std::size_t n = 0;
    for (const auto& m : unk.members()) n += any_true(m.value) ? 1 : 0;
    Member* ms = n ? A.members(n) : nullptr;
    std::size_t k = 0;
    for (const auto& m : unk.members()) {
      if (!any_true(m.value)) continue;
      bool in_buf = m.key.data() >= buf && m.key.data() + m.key.size() <= buf + len;
      ms[k].key = in_buf ? m.key : A.copy(m.key);
      ms[k].value = from_unknown(m.value, A, buf, len);
      ++k;
    }
    return Value::object(ms, n);
  }
  return Value::null();
}

Value overlay_unknown(Value after, const Value& unk, Arena& A, const char* buf, std::size_t len) {
  if (unk.is_bool()) return unk.as_bool() ? Value::unknown() : after;
  if (!any_true(unk)) return after;
  if (unk.is_object()) {
    if (!after.is_object()) return after.is_null() ? from_unknown(unk, A, buf, len) : after;
    std::vector<Member> extra;
    for (const auto& m : unk.members()) {
      if (Value* slot = after.get_mutable(m.key)) {
        *slot = overlay_unknown(*slot, m.value, A, buf, len);
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
    for (const auto& m : sens.members())
      if (Value* slot = after.get_mutable(m.key)) overlay_sensitive(*slot, m.value);
    return;
  }
  if (sens.is_array()) {
    auto items = after.mutable_items();
    for (std::size_t i = 0; i < sens.size() && i < items.size(); ++i)
      overlay_sensitive(items[i], sens.items()[i]);
  }
}

// State v4 sensitive_attributes: [[{"type":"get_attr","value":"password"}, {"type":"index", ...}]]
void mark_state_path(Value& root, const Value& path) {
  Value* cur = &root;
  for (const auto& step : path.items()) {
    const Value* type = step.get("type");
    const Value* val = step.get("value");
    if (!type || !val) return;
    if (type->str() == "get_attr") {
      cur = cur->get_mutable(val->str());
    } else if (type->str() == "index") {
      const Value* key = val->is_object() ? val->get("value") : val;
      if (!key) return;
      if (key->is_string()) {
        cur = cur->get_mutable(key->str());
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
  cur->mark_sensitive_deep();
}

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
      jf.pointer = "/" + pointer_escape(k) + jf.pointer;
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
              jf.pointer = "/" + pointer_escape(k2) + jf.pointer;
              throw;
            }
            top_.push_back(Member{k2, child});
          }
          after_top = true;
        } else {
          after = build(v, A_, 0);
        }
        have_after = true;
      } else if (k == "after_unknown") {
        unknown = build(f.value(), scratch_, 0);
      } else if (k == "after_sensitive") {
        sensitive = build(f.value(), scratch_, 0);
      }
    } catch (JsonFail& jf) {
      jf.pointer = "/" + pointer_escape(k) + jf.pointer;
      throw;
    }
  }
  if ((deletes || forgets) && !creates) pr.skip = true;
  if (!have_after || pr.skip) return;
  if (after_top) {
    const std::size_t known = top_.size();
    // Terraform writes keys sorted; then a binary search finds each one.
    auto by_key = [](const Member& a, const Member& b) { return a.key < b.key; };
    const bool sorted = std::is_sorted(top_.begin(), top_.end(), by_key);
    for (const auto& m : unknown.members()) {
      Member* slot = nullptr;
      if (sorted) {
        auto it = std::lower_bound(top_.begin(), top_.begin() + static_cast<std::ptrdiff_t>(known),
                                   Member{m.key, {}}, by_key);
        if (it != top_.begin() + static_cast<std::ptrdiff_t>(known) && it->key == m.key)
          slot = &*it;
      } else {
        for (std::size_t i = 0; i < known; ++i)
          if (top_[i].key == m.key) {
            slot = &top_[i];
            break;
          }
      }
      if (slot) {
        slot->value = overlay_unknown(slot->value, m.value, A_, buf_, len_);
      } else if (any_true(m.value)) {
        top_.push_back(Member{own(m.key), from_unknown(m.value, A_, buf_, len_)});
      }
    }
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

// planned_values.root_module (fallback when a plan has no resource_changes) and the
// `values.root_module` of a state shown as JSON. Small enough to go through the DOM.
Value dom_to_value(simdjson::dom::element e, Arena& A, const char* buf, std::size_t len) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::NULL_VALUE:
      return Value::null();
    case T::BOOL:
      return Value::boolean(bool(e));
    case T::INT64:
      return Value::integer(int64_t(e));
    case T::UINT64:
      return Value::number(static_cast<double>(uint64_t(e)));
    case T::DOUBLE:
      return Value::number(double(e));
    case T::STRING:
      return A.str(std::string_view(e));
    case T::ARRAY: {
      simdjson::dom::array a = e;
      std::size_t n = a.size();
      Value* items = n ? A.values(n) : nullptr;
      std::size_t i = 0;
      for (auto x : a) items[i++] = dom_to_value(x, A, buf, len);
      return Value::array(items, n);
    }
    case T::OBJECT: {
      simdjson::dom::object o = e;
      std::size_t n = o.size();
      Member* ms = n ? A.members(n) : nullptr;
      std::size_t i = 0;
      for (auto [k, v] : o) {
        ms[i].key = A.copy(k);
        ms[i].value = dom_to_value(v, A, buf, len);
        ++i;
      }
      return Value::object(ms, n);
    }
  }
  return Value::null();
}

void Loader::planned_module(simdjson::dom::element m, bool /*state_values*/) {
  simdjson::dom::array rs;
  if (!m["resources"].get(rs)) {
    for (auto r : rs) {
      PendingResource pr;
      pr.r.input = input_;
      std::string_view s;
      if (!r["address"].get(s)) pr.r.address = A_.copy(s);
      if (!r["mode"].get(s)) pr.r.mode = A_.copy(s);
      if (!r["type"].get(s)) pr.r.type = A_.copy(s);
      if (!r["name"].get(s)) pr.r.name = A_.copy(s);
      if (!r["provider_name"].get(s)) {
        pr.r.provider_source = A_.copy(s);
        pr.r.provider = provider_short_name(pr.r.provider_source);
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
      if (!r["values"].get(vals)) pr.r.values = dom_to_value(vals, A_, buf_, len_);
      simdjson::dom::element sens;
      if (!r["sensitive_values"].get(sens)) {
        reset_scratch();
        Value sv = dom_to_value(sens, scratch_, buf_, len_);
        overlay_sensitive(pr.r.values, sv);
      }
      finish(pr);
    }
  }
  simdjson::dom::array kids;
  if (!m["child_modules"].get(kids))
    for (auto k : kids) planned_module(k, false);
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
                jf.pointer = "/" + pointer_escape(ik) + jf.pointer;
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
      jf.pointer = "/" + pointer_escape(k) + jf.pointer;
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
    for (const auto& path : in.sensitive.items()) mark_state_path(pr.r.values, path);
    // Dependencies are configuration addresses: resolved to resources after loading.
    if (!in.deps.empty()) {
      pr.r.refs.reserve(in.deps.size());
      for (auto dep : in.deps) pr.r.refs.push_back(Reference{dep, UINT32_MAX});
    }
    finish(pr);
  }
}

// ---- the document ----------------------------------------------------------------------------

Result<Loader::Outcome> Loader::run(std::uint32_t input_index) {
  input_ = input_index;
  first_ = d_.resources.size();
  Outcome out;
  auto parser = std::make_unique<od::parser>();
  od::document doc;
  simdjson::padded_string_view view(buf_, len_, len_ + simdjson::SIMDJSON_PADDING);
  auto located = [&](const JsonFail& jf) {
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
  };
  // A better reason than simdjson's when the bytes are not UTF-8 text at all.
  auto text_problem = [&]() -> std::optional<Error> {
    if (auto ok = check_text(std::string_view(buf_, len_), name_); !ok) return ok.error();
    return std::nullopt;
  };

  std::optional<Error> shape;  // a shape error, reported only if the file is a plan or state
  bool seen_format = false, seen_version = false, seen_rc = false, seen_resources = false;
  bool seen_planned = false, seen_values = false, seen_config = false, seen_prior = false;
  bool seen_lineage = false, seen_modules = false, seen_tfversion = false;
  std::int64_t state_version = -1;
  std::string_view planned_json, values_json, config_json, variables_json, resources_json;

  try {
    if (auto e = parser->iterate(view).get(doc)) {
      if (auto t = text_problem()) return std::unexpected(*t);
      const char* at = nullptr;
      if (e == simdjson::UNCLOSED_STRING) {
        // Point at the opening quote of the string left open.
        bool in_string = false;
        const char* open = nullptr;
        for (const char* p = buf_; p < buf_ + len_; ++p) {
          if (in_string) {
            if (*p == '\\')
              ++p;
            else if (*p == '"')
              in_string = false;
          } else if (*p == '"') {
            in_string = true;
            open = p;
          }
        }
        if (in_string) at = open;
      } else if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
        at = buf_ + len_;
      }
      throw JsonFail{json_error_text(e), {}, at, at != nullptr};
    }
    doc_ = &doc;
    od::json_type top;
    if (auto e = doc.type().get(top)) {
      if (auto t = text_problem()) return std::unexpected(*t);
      fail_code(e);
    }
    if (top != od::json_type::object) {
      if (auto t = text_problem()) return std::unexpected(*t);
      out.why_not = fmt::format("the top level is {}, not an object", type_name(top));
      return out;
    }
    od::object root;
    if (auto e = doc.get_object().get(root)) fail_code(e);
    for (auto fr : root) {
      od::field f;
      if (auto e = std::move(fr).get(f)) fail_code(e);
      std::string_view k = key_of(f);
      od::value v = f.value();
      try {
        if (k == "format_version") {
          seen_format = true;
          od::json_type t;
          if (auto e = v.type().get(t)) fail_code(e);
          if (t == od::json_type::string)
            out.format_version = std::string(str(v, "a string"));
          else if (!shape)
            shape = located(JsonFail{fmt::format("expected a string, found {}", type_name(t)),
                                     "/format_version", nullptr, false});
        } else if (k == "terraform_version") {
          seen_tfversion = true;
          od::json_type t;
          if (auto e = v.type().get(t)) fail_code(e);
          if (t == od::json_type::string) out.tool_version = std::string(str(v, "a string"));
        } else if (k == "version") {
          od::json_type t;
          if (auto e = v.type().get(t)) fail_code(e);
          if (t == od::json_type::number) {
            seen_version = true;
            std::int64_t n = 0;
            if (v.get_int64().get(n)) n = -1;
            state_version = n;
          }
        } else if (k == "lineage" || k == "serial") {
          seen_lineage = true;
        } else if (k == "modules") {
          seen_modules = true;
        } else if (k == "resource_changes") {
          seen_rc = true;
          plan_resource_changes(v);
        } else if (k == "resources") {
          od::json_type t;
          if (auto e = v.type().get(t)) fail_code(e);
          if (t != od::json_type::array) {
            if (!shape)
              shape = located(JsonFail{fmt::format("expected an array, found {}", type_name(t)),
                                       "/resources", nullptr, false});
          } else if (!seen_version) {
            // Terraform writes "version" first; if it comes later, read the resources then.
            seen_resources = true;
            od::array a;
            if (auto e = v.get_array().get(a)) fail_code(e);
            if (auto e = a.raw_json().get(resources_json)) fail_code(e);
          } else if (state_version == 4) {
            seen_resources = true;
            state_resources(get_array(v));
          } else {
            seen_resources = true;  // an old state: rejected below without reading it
          }
        } else if (k == "planned_values" || k == "values" || k == "configuration" ||
                   k == "variables") {
          od::json_type t;
          if (auto e = v.type().get(t)) fail_code(e);
          if (k == "planned_values") seen_planned = true;
          if (k == "values") seen_values = true;
          if (k == "configuration") seen_config = true;
          if (t != od::json_type::object) {
            if (!shape)
              shape = located(JsonFail{fmt::format("expected an object, found {}", type_name(t)),
                                       "/" + std::string(k), nullptr, false});
          } else {
            od::object o;
            if (auto e = v.get_object().get(o)) fail_code(e);
            std::string_view raw;
            if (auto e = o.raw_json().get(raw)) fail_code(e);
            if (k == "planned_values")
              planned_json = raw;
            else if (k == "values")
              values_json = raw;
            else if (k == "configuration")
              config_json = raw;
            else
              variables_json = raw;
          }
        } else if (k == "prior_state" || k == "resource_drift") {
          seen_prior = true;
        }
      } catch (JsonFail& jf) {
        jf.pointer = "/" + pointer_escape(k) + jf.pointer;
        throw;
      }
    }
    // Anything after the top-level object is an error.
    const char* rest = nullptr;
    if (!doc.current_location().get(rest) && rest) {
      const char* end = buf_ + len_;
      while (rest < end && (*rest == ' ' || *rest == '\n' || *rest == '\r' || *rest == '\t'))
        ++rest;
      if (rest < end) throw JsonFail{json_error_text(simdjson::TRAILING_CONTENT), {}, rest, true};
    }
  } catch (JsonFail& jf) {
    if (jf.with_location) {
      if (auto t = text_problem()) return std::unexpected(*t);
    }
    // A file that is clearly not Terraform (e.g. a package.json) can still fail on a shape we
    // expected for plans; syntax errors are always errors.
    d_.resources.resize(first_);
    return std::unexpected(located(jf));
  }
  doc_ = nullptr;
  parser.reset();  // its index is as large as the file: free it before the rest

  // ---- what is it? ----
  const bool is_plan =
      (seen_format && (seen_rc || seen_planned || seen_config || seen_prior || seen_tfversion) &&
       !seen_values) ||
      seen_rc || seen_planned;
  const bool is_state_json = seen_format && seen_values && !seen_rc && !seen_planned;
  const bool is_state = !is_plan && !is_state_json && seen_version &&
                        (seen_lineage || seen_resources || seen_modules || seen_tfversion);
  if (!is_plan && !is_state_json && !is_state) {
    d_.resources.resize(first_);
    out.why_not =
        "no Terraform plan or state keys (format_version with resource_changes/planned_values, or "
        "version with resources)";
    return out;
  }
  if (shape) {
    d_.resources.resize(first_);
    return std::unexpected(*shape);
  }
  if (is_state) {
    out.kind = InputKind::kState;
    out.format_version = state_version >= 0 ? std::to_string(state_version) : std::string();
    if (state_version != 4) {
      d_.resources.resize(first_);
      if (state_version >= 0 && state_version < 4)
        return fail(
            fmt::format("Terraform state version {} is not supported (it was written by "
                        "Terraform 0.11 or older); only version 4 is read: upgrade the state "
                        "with Terraform 0.12 or newer, or give `terraform show -json` output",
                        state_version),
            {name_});
      return fail(fmt::format("Terraform state version {} is not supported; only version 4 is read",
                              state_version),
                  {name_});
    }
  } else {
    out.kind = is_plan ? InputKind::kPlan : InputKind::kState;
    if (is_plan && !out.format_version.empty() && !plan_format_supported(out.format_version)) {
      d_.resources.resize(first_);
      return fail(fmt::format("plan format_version {} is not supported (0.1 to 1.x are)",
                              out.format_version),
                  {name_, 0, 0, "/format_version"});
    }
  }

  if (!resources_json.empty()) {
    od::parser p2;
    od::document d2;
    const char* limit = buf_ + len_ + simdjson::SIMDJSON_PADDING;
    simdjson::padded_string_view v2(resources_json.data(), resources_json.size(),
                                    static_cast<std::size_t>(limit - resources_json.data()));
    try {
      if (auto e = p2.iterate(v2).get(d2)) fail_code(e);
      doc_ = &d2;
      od::array a;
      if (auto e = d2.get_array().get(a)) fail_code(e);
      state_resources(a);
    } catch (JsonFail& jf) {
      jf.pointer = "/resources" + jf.pointer;
      d_.resources.resize(first_);
      return std::unexpected(located(jf));
    }
    doc_ = nullptr;
  }

  // ---- the parts read through the DOM (small) ----
  simdjson::dom::parser dom;
  simdjson::dom::parser dom_vars;
  auto parse_part = [&](simdjson::dom::parser& p, std::string_view raw, const char* key,
                        simdjson::dom::element& out_el) -> Result<void> {
    // `raw` lies inside the padded buffer, so simdjson may read past its end without copying.
    if (auto e = p.parse(raw.data(), raw.size(), false).get(out_el))
      return fail(json_error_text(e), {name_, 0, 0, std::string("/") + key});
    return {};
  };
  if (!seen_rc && (!planned_json.empty() || !values_json.empty())) {
    simdjson::dom::parser pv;
    simdjson::dom::element el;
    std::string_view raw = !planned_json.empty() ? planned_json : values_json;
    if (auto r = parse_part(pv, raw, !planned_json.empty() ? "planned_values" : "values", el); !r) {
      d_.resources.resize(first_);
      return std::unexpected(r.error());
    }
    simdjson::dom::element rm;
    if (!el["root_module"].get(rm)) planned_module(rm, planned_json.empty());
  }
  detail::Configuration cfg;
  bool have_cfg = false;
  if (!config_json.empty()) {
    simdjson::dom::element c, vars;
    if (auto r = parse_part(dom, config_json, "configuration", c); !r) {
      d_.resources.resize(first_);
      return std::unexpected(r.error());
    }
    bool have_vars = false;
    if (!variables_json.empty()) {
      if (auto r = parse_part(dom_vars, variables_json, "variables", vars); !r) {
        d_.resources.resize(first_);
        return std::unexpected(r.error());
      }
      have_vars = true;
    }
    cfg.load(c, vars, have_vars);
    have_cfg = true;
  }
  const detail::ConfigKeys keys = detail::config_keys(d_, first_, have_cfg ? &cfg : nullptr);
  detail::resolve_locations(d_, first_, have_cfg ? &cfg : nullptr, keys, ProviderTable::builtin());
  if (have_cfg) detail::resolve_references(d_, first_, cfg, keys);
  return out;
}

struct FileBytes {
  const char* data = nullptr;
  std::size_t size = 0;
};

// From this size on, a regular file is mapped rather than read.
constexpr std::uint64_t kMapAtLeast = 1u << 20;

// Reads (or maps) a file into the arena with simdjson's padding after it.
Result<FileBytes> read_into_arena(const fs::path& path, Arena& arena) {
  const std::string name = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return fail("symbolic link loop", {name});
    if (errno == ENOENT) return fail("no such file", {name});
    return fail(fmt::format("cannot open: {}", std::strerror(errno)), {name});
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return fail("cannot read the file", {name});
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return fail("is a directory, not a file", {name});
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > kMaxInputBytes) {
    ::close(fd);
    return fail(
        fmt::format("file too large ({} bytes; the limit is {} bytes)", size, kMaxInputBytes),
        {name});
  }
  if (size == 0) {
    ::close(fd);
    return fail("empty file: not a Terraform plan or state", {name});
  }
  if (S_ISREG(st.st_mode) && size >= kMapAtLeast) {
    // Large regular files are mapped in place rather than read: no copy, and no fresh pages
    // to be zeroed (on large inputs that was a quarter of the scan). The mapping is followed by
    // zero pages for simdjson's padding (the kernel zero-fills the rest of the file's last page).
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t file_span = (size + page - 1) & ~(page - 1);
    const std::size_t total = (size + simdjson::SIMDJSON_PADDING + page - 1) & ~(page - 1);
    void* region = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region != MAP_FAILED) {
      void* m = ::mmap(region, file_span, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
      if (m != MAP_FAILED) {
        ::close(fd);
        arena.adopt_mapping(region, total);
        return FileBytes{static_cast<const char*>(region), size};
      }
      ::munmap(region, total);
    }
    // Not mappable: read it instead.
  }
  char* buf = static_cast<char*>(arena.allocate(size + simdjson::SIMDJSON_PADDING, 64));
  if (size >= (8u << 20)) {
    // Large inputs: ask for huge pages (fewer page faults while reading).
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto lo = (reinterpret_cast<std::uintptr_t>(buf) + page - 1) & ~(page - 1);
    auto hi = (reinterpret_cast<std::uintptr_t>(buf) + size) & ~(page - 1);
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  }
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, buf + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return fail(fmt::format("cannot read: {}", std::strerror(errno)), {name});
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::memset(buf + got, 0, simdjson::SIMDJSON_PADDING);
  return FileBytes{buf, got};
}

struct LoadedFile {
  InputKind kind = InputKind::kNotTerraform;
  std::string why_not;
};

Result<LoadedFile> load_buffer(const char* data, std::size_t size, const std::string& name,
                               Deployment& d, const LoadOptions& opts) {
  if (size == 0) return fail("empty file: not a Terraform plan or state", {name});
  // Hash in parallel with parsing: both only read the buffer.
  auto hash = std::async(std::launch::async,
                         [data, size] { return sha256_hex(std::string_view(data, size)); });
  const char* json = data;
  std::size_t json_len = size;
  if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {  // UTF-8 byte-order mark
    json += 3;
    json_len -= 3;
  }
  const auto index = static_cast<std::uint32_t>(d.inputs.size());
  Loader loader(d, name, json, json_len, opts);
  auto out = loader.run(index);
  std::string sha = hash.get();
  if (!out) return std::unexpected(out.error());
  LoadedFile lf;
  lf.kind = out->kind;
  lf.why_not = out->why_not;
  if (lf.kind == InputKind::kNotTerraform) return lf;
  InputFile in;
  in.path = name;
  in.sha256 = std::move(sha);
  in.kind = lf.kind == InputKind::kPlan ? "terraform-plan" : "terraform-state";
  in.format_version = out->format_version;
  in.tool_version = out->tool_version;
  in.bytes = size;
  d.inputs.push_back(std::move(in));
  return lf;
}

Result<LoadedFile> load_path(const fs::path& path, Deployment& d, const LoadOptions& opts) {
  auto bytes = read_into_arena(path, d.arena());
  if (!bytes) return std::unexpected(bytes.error());
  const std::size_t first = d.resources.size();
  auto r = load_buffer(bytes->data, bytes->size, path.string(), d, opts);
  if (r && r->kind != InputKind::kNotTerraform) detail::resolve_dependencies(d, first);
  return r;
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

Result<void> load_terraform_file(const fs::path& path, Deployment& d, const LoadOptions& opts) {
  auto r = load_path(path, d, opts);
  if (!r) return std::unexpected(r.error());
  if (r->kind == InputKind::kNotTerraform)
    return fail("not a Terraform plan or state: " + r->why_not, {path.string()});
  d.reindex();
  return {};
}

Result<void> load_terraform_bytes(std::string_view bytes, const std::string& name, Deployment& d,
                                  const LoadOptions& opts) {
  if (bytes.size() > kMaxInputBytes)
    return fail(fmt::format("input too large ({} bytes; the limit is {} bytes)", bytes.size(),
                            kMaxInputBytes),
                {name});
  char* buf = static_cast<char*>(d.arena().allocate(bytes.size() + simdjson::SIMDJSON_PADDING, 64));
  std::memcpy(buf, bytes.data(), bytes.size());
  std::memset(buf + bytes.size(), 0, simdjson::SIMDJSON_PADDING);
  const std::size_t first = d.resources.size();
  auto r = load_buffer(buf, bytes.size(), name, d, opts);
  if (!r) return std::unexpected(r.error());
  if (r->kind == InputKind::kNotTerraform)
    return fail("not a Terraform plan or state: " + r->why_not, {name});
  detail::resolve_dependencies(d, first);
  d.reindex();
  return {};
}

Result<void> load_inputs(const std::vector<fs::path>& paths, Deployment& d,
                         const LoadOptions& opts) {
  for (const auto& p : paths) {
    std::error_code ec;
    const bool dir = fs::is_directory(p, ec);
    std::vector<fs::path> files;
    if (dir) {
      auto ex = expand_inputs({p}, {".json", ".tfstate"});
      if (!ex) return std::unexpected(ex.error());
      files = std::move(*ex);
    } else {
      auto ex = expand_inputs({p}, {});
      if (!ex) return std::unexpected(ex.error());
      files = std::move(*ex);
    }
    for (const auto& f : files) {
      auto r = load_path(f, d, opts);
      if (!r) return std::unexpected(r.error());
      if (r->kind == InputKind::kNotTerraform) {
        if (!dir) return fail("not a Terraform plan or state: " + r->why_not, {f.string()});
        if (opts.notes)
          opts.notes->push_back(fmt::format("{}: skipped: not a Terraform plan or state ({})",
                                            f.string(), r->why_not));
      }
    }
  }
  d.reindex();
  return {};
}

}  // namespace csap::ingest
