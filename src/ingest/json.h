// JSON pieces shared by the JSON loaders (not a public API): one parsed document per input, a quick
// look at its top-level keys, error texts with line:column, and the depth check for the parts no
// loader descends into.
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "ingest/inputs.h"

namespace csap::ingest::detail {

namespace od = simdjson::ondemand;

// One input parsed with simdjson On-Demand: the structural index is built once and shared by the
// sniff and the loader (the loader rewinds the document).
struct JsonDoc {
  od::parser parser;
  od::document doc;
  const char* buf = nullptr;
  std::size_t len = 0;
  std::string name;
  simdjson::error_code iterate_error = simdjson::SUCCESS;
  // Starts the document over `len` bytes at `buf` (followed by simdjson's padding).
  void open(const char* b, std::size_t n, std::string file_name);
};

// True when the bytes (after leading white space) start like a JSON object or array.
bool looks_like_json(std::string_view bytes);

// Reads the top-level keys of the document into `s` (skipping their values), stopping early at one
// of the `decisive` keys (a key that alone settles the kind). Returns an input error for a syntax
// error met on the way (the top level being no object is not one: s.json_object stays false and
// s.top_level names what it is). Rewinds the document.
Result<void> sniff_json(JsonDoc& jd, Sniff& s, std::span<const std::string_view> decisive);

// "an object", "a string", ...
const char* type_name(od::json_type t);
// A sentence for a simdjson error.
std::string json_error_text(simdjson::error_code e);
// Escapes a key for a JSON pointer (~0, ~1).
std::string pointer_escape(std::string_view key);
// Decodes JSON escapes (for the rare key or string that has them).
std::string unescape_json(std::string_view s);
// The raw string starting at p (just after the opening quote), up to its closing quote.
std::string_view raw_string_at(const char* p, const char* limit, bool* escaped);

// The error for a syntax error `e` of the document in `buf` (a better reason when the bytes are
// not UTF-8 text; the opening quote of an unclosed string).
Error json_syntax_error(simdjson::error_code e, const char* buf, std::size_t len,
                        const std::string& name, const char* at);

// Offset of the value at a JSON pointer in the document (for the line and column of an error
// found through the DOM), or -1.
long locate_pointer(const char* buf, std::size_t len, std::string_view pointer);

// An input error at `pointer`, with the line and column of that value when it can be found.
Error shape_error(const char* buf, std::size_t len, const std::string& name,
                  const std::string& pointer, std::string message);

// Nesting deeper than `max_depth` in a raw JSON value (one the loader skips rather than reads):
// returns the offset of the first bracket past the limit, or -1. Linear; strings are skipped.
long too_deep_at(std::string_view raw, int max_depth);

}  // namespace csap::ingest::detail
