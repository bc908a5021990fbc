// simdjson baselines (see json_walk.h).
#include "json_walk.h"

namespace csap::bench {
namespace {

namespace od = simdjson::ondemand;

simdjson::error_code walk_value(od::value v, WalkCounts& c);

simdjson::error_code walk_object(od::object o, WalkCounts& c) {
  for (auto field : o) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    c.string_bytes += key.size();
    od::value v;
    if (auto e = field.value().get(v)) return e;
    if (auto e = walk_value(v, c)) return e;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk_array(od::array a, WalkCounts& c) {
  for (auto item : a) {
    od::value v;
    if (auto e = item.get(v)) return e;
    if (auto e = walk_value(v, c)) return e;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk_number(od::number n, WalkCounts& c) {
  ++c.numbers;
  switch (n.get_number_type()) {
    case od::number_type::signed_integer:
      c.number_sum += static_cast<double>(n.get_int64());
      break;
    case od::number_type::unsigned_integer:
      c.number_sum += static_cast<double>(n.get_uint64());
      break;
    default:
      c.number_sum += n.get_double();
      break;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk_value(od::value v, WalkCounts& c) {
  ++c.nodes;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      return walk_object(o, c);
    }
    case od::json_type::array: {
      od::array a;
      if (auto e = v.get_array().get(a)) return e;
      return walk_array(a, c);
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      c.string_bytes += s.size();
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      od::number n;
      if (auto e = v.get_number().get(n)) return e;
      return walk_number(n, c);
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto e = v.get_bool().get(b)) return e;
      c.trues += b ? 1 : 0;
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

void walk_element(simdjson::dom::element e, WalkCounts& c) {
  ++c.nodes;
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::OBJECT:
      for (auto [key, value] : simdjson::dom::object(e)) {
        c.string_bytes += key.size();
        walk_element(value, c);
      }
      break;
    case T::ARRAY:
      for (auto item : simdjson::dom::array(e)) walk_element(item, c);
      break;
    case T::STRING:
      c.string_bytes += std::string_view(e).size();
      break;
    case T::INT64:
      ++c.numbers;
      c.number_sum += static_cast<double>(int64_t(e));
      break;
    case T::UINT64:
      ++c.numbers;
      c.number_sum += static_cast<double>(uint64_t(e));
      break;
    case T::DOUBLE:
      ++c.numbers;
      c.number_sum += double(e);
      break;
    case T::BOOL:
      c.trues += bool(e) ? 1 : 0;
      break;
    case T::NULL_VALUE:
      break;
  }
}

}  // namespace

bool ondemand_walk(const simdjson::padded_string& buf, WalkCounts& out, std::string* error) {
  od::parser parser;
  od::document doc;
  out = {};
  if (auto e = parser.iterate(buf).get(doc)) {
    *error = simdjson::error_message(e);
    return false;
  }
  // The document itself is not a value; take the root as one (a plan is an object).
  od::value root;
  simdjson::error_code e = doc.get_value().get(root);
  if (!e) e = walk_value(root, out);
  if (e) {
    *error = simdjson::error_message(e);
    return false;
  }
  return true;
}

bool dom_walk(simdjson::dom::parser& parser, const simdjson::padded_string& buf, WalkCounts& out,
              std::string* error) {
  out = {};
  simdjson::dom::element root;
  if (auto e = parser.parse(buf).get(root)) {
    *error = simdjson::error_message(e);
    return false;
  }
  walk_element(root, out);
  return true;
}

}  // namespace csap::bench
