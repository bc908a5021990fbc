// Building values from the document, and laying the unknown and sensitive markers over them.
#include "core/files.h"
#include "ingest/terraform_loader.h"
#include "model/convert.h"

namespace csap::ingest::detail {

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

}  // namespace csap::ingest::detail
