#include "ingest/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/files.h"
#include "core/text.h"

namespace csap::ingest::detail {

using simdjson::error_code;

void JsonDoc::open(const char* b, std::size_t n, std::string file_name) {
  buf = b;
  len = n;
  name = std::move(file_name);
  simdjson::padded_string_view view(buf, len, len + simdjson::SIMDJSON_PADDING);
  iterate_error = parser.iterate(view).get(doc);
}

bool looks_like_json(std::string_view bytes) {
  for (char c : bytes) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' || c == '[';
  }
  return false;
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
  auto put = [&](std::uint32_t cp) { append_utf8(out, cp); };
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

Error json_syntax_error(error_code e, const char* buf, std::size_t len, const std::string& name,
                        const char* at) {
  // A better reason than simdjson's when the bytes are not UTF-8 text at all.
  if (auto ok = check_text(std::string_view(buf, len), name); !ok) return ok.error();
  if (!at && e == simdjson::UNCLOSED_STRING) {
    // Point at the opening quote of the string left open.
    bool in_string = false;
    const char* open = nullptr;
    for (const char* p = buf; p < buf + len; ++p) {
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
  } else if (!at && e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
    at = buf + len;
  }
  SourceLoc where{name};
  if (at && at >= buf && at <= buf + len) {
    auto [l, c] = line_col(std::string_view(buf, len), static_cast<std::size_t>(at - buf));
    where.line = l;
    where.column = c;
  }
  return Error{Exit::kBadInput, json_error_text(e), where};
}

Result<void> sniff_json(JsonDoc& jd, Sniff& s, std::span<const std::string_view> decisive) {
  s.json_object = false;
  s.keys.clear();
  auto syntax = [&](error_code e) {
    const char* at = nullptr;
    if (e != simdjson::UNCLOSED_STRING && e != simdjson::INCOMPLETE_ARRAY_OR_OBJECT &&
        jd.doc.current_location().get(at))
      at = nullptr;
    return std::unexpected(json_syntax_error(e, jd.buf, jd.len, jd.name, at));
  };
  if (jd.iterate_error)
    return std::unexpected(json_syntax_error(jd.iterate_error, jd.buf, jd.len, jd.name, nullptr));
  od::json_type top;
  if (auto e = jd.doc.type().get(top)) return syntax(e);
  if (top != od::json_type::object) s.top_level = type_name(top);
  if (top == od::json_type::object) {
    od::object root;
    if (auto e = jd.doc.get_object().get(root)) return syntax(e);
    s.json_object = true;
    for (auto fr : root) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return syntax(e);
      bool escaped = false;
      std::string_view k = raw_string_at(f.key().raw(), jd.buf + jd.len, &escaped);
      s.keys.push_back(k);
      if (k == "format_version" || k == "version") {
        od::json_type t;
        if (auto e = f.value().type().get(t)) return syntax(e);
        if (k == "format_version") s.format_version_is_string = t == od::json_type::string;
        if (k == "version") s.version_is_number = t == od::json_type::number;
      }
      if (std::find(decisive.begin(), decisive.end(), k) != decisive.end()) break;
    }
  }
  jd.doc.rewind();
  return {};
}

long locate_pointer(const char* buf, std::size_t len, std::string_view pointer) {
  od::parser p;
  od::document doc;
  simdjson::padded_string_view view(buf, len, len + simdjson::SIMDJSON_PADDING);
  if (p.iterate(view).get(doc)) return -1;
  od::value v;
  if (doc.at_pointer(pointer).get(v)) return -1;
  std::string_view tok = v.raw_json_token();
  if (tok.data() < buf || tok.data() > buf + len) return -1;
  return static_cast<long>(tok.data() - buf);
}

Error shape_error(const char* buf, std::size_t len, const std::string& name,
                  const std::string& pointer, std::string message) {
  SourceLoc where{name};
  where.pointer = pointer.empty() ? "/" : pointer;
  long off = pointer.empty() ? -1 : locate_pointer(buf, len, pointer);
  if (off >= 0) {
    auto [l, c] = line_col(std::string_view(buf, len), static_cast<std::size_t>(off));
    where.line = l;
    where.column = c;
    message += fmt::format(" (at {})", pointer);
  }
  return Error{Exit::kBadInput, std::move(message), where};
}

long too_deep_at(std::string_view raw, int max_depth) {
  int depth = 0;
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    char c = *p;
    if (c == '"') {
      // Skip the string: the next quote not escaped.
      ++p;
      for (;;) {
        const void* q = std::memchr(p, '"', static_cast<std::size_t>(end - p));
        if (!q) return -1;
        const char* e = static_cast<const char*>(q);
        const char* b = e;
        while (b > p && b[-1] == '\\') --b;
        p = e + 1;
        if (((e - b) & 1) == 0) break;
      }
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > max_depth) return static_cast<long>(p - raw.data());
    } else if (c == ']' || c == '}') {
      --depth;
    }
    ++p;
  }
  return -1;
}

}  // namespace csap::ingest::detail
