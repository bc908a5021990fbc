#include "model/value.h"

#include <fmt/format.h>

#include <cmath>

namespace csap {

const Value* Value::get(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  for (std::uint32_t i = 0; i < size_; ++i)
    if (members_[i].key == key) return &members_[i].value;
  return nullptr;
}

Value* Value::get_mutable(std::string_view key) {
  if (kind_ != Kind::kObject) return nullptr;
  for (std::uint32_t i = 0; i < size_; ++i)
    if (members_[i].key == key) return &members_[i].value;
  return nullptr;
}

bool Value::equals(const Value& o) const {
  if (is_number() && o.is_number()) {
    if (kind_ == Kind::kInt && o.kind_ == Kind::kInt) return i_ == o.i_;
    return as_double() == o.as_double();
  }
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kNull:
    case Kind::kUnknown:
      return true;
    case Kind::kBool:
      return b_ == o.b_;
    case Kind::kString:
      return str() == o.str();
    case Kind::kArray: {
      if (size_ != o.size_) return false;
      for (std::uint32_t i = 0; i < size_; ++i)
        if (!items_[i].equals(o.items_[i])) return false;
      return true;
    }
    case Kind::kObject: {
      if (size_ != o.size_) return false;
      for (const auto& m : members()) {
        const Value* ov = o.get(m.key);
        if (!ov || !m.value.equals(*ov)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

void Value::mark_sensitive_deep() {
  set_sensitive(true);
  for (auto& v : mutable_items()) v.mark_sensitive_deep();
  for (auto& m : mutable_members()) m.value.mark_sensitive_deep();
}

bool Value::any_sensitive() const {
  if (sensitive()) return true;
  for (const auto& v : items())
    if (v.any_sensitive()) return true;
  for (const auto& m : members())
    if (m.value.any_sensitive()) return true;
  return false;
}

Value Arena::clone(const Value& v) {
  Value out;
  switch (v.kind()) {
    case Kind::kString:
      out = str(v.str());
      break;
    case Kind::kArray: {
      Value* items = values(v.size());
      std::size_t i = 0;
      for (const auto& it : v.items()) items[i++] = clone(it);
      out = Value::array(items, v.size());
      break;
    }
    case Kind::kObject: {
      Member* ms = members(v.size());
      std::size_t i = 0;
      for (const auto& m : v.members()) {
        ms[i].key = copy(m.key);
        ms[i].value = clone(m.value);
        ++i;
      }
      out = Value::object(ms, v.size());
      break;
    }
    default:
      out = v;
      break;
  }
  out.set_sensitive(v.sensitive());
  return out;
}

namespace {

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  out += '"';
}

void write_json(std::string& out, const Value& v, bool redact) {
  if (redact && v.sensitive()) {
    out += "\"(sensitive)\"";
    return;
  }
  switch (v.kind()) {
    case Kind::kNull:
      out += "null";
      break;
    case Kind::kUnknown:
      out += "\"(known after apply)\"";
      break;
    case Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Kind::kInt:
      out += fmt::format("{}", v.as_int());
      break;
    case Kind::kDouble:
      if (std::isfinite(v.as_double()))
        out += fmt::format("{}", v.as_double());
      else
        out += "null";
      break;
    case Kind::kString:
      json_string(out, v.str());
      break;
    case Kind::kArray: {
      out += '[';
      bool first = true;
      for (const auto& it : v.items()) {
        if (!first) out += ',';
        first = false;
        write_json(out, it, redact);
      }
      out += ']';
      break;
    }
    case Kind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& m : v.members()) {
        if (!first) out += ',';
        first = false;
        json_string(out, m.key);
        out += ':';
        write_json(out, m.value, redact);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json(const Value& v, bool redact) {
  std::string out;
  write_json(out, v, redact);
  return out;
}

std::string to_display(const Value& v, std::size_t max_len) {
  std::string s;
  if (v.sensitive())
    s = "(sensitive)";
  else if (v.is_string())
    s = std::string(v.str());
  else if (v.is_null())
    s = "(absent)";
  else
    s = to_json(v, true);
  if (s.size() > max_len) {
    std::size_t cut = max_len;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    s = s.substr(0, cut) + "…";
  }
  return s;
}

}  // namespace csap
