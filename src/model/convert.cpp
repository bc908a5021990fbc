#include "model/convert.h"

#include <simdjson.h>

#include <vector>

namespace csap {

Value from_yaml(const yaml::Node& n, Arena& arena) {
  switch (n.kind) {
    case yaml::Node::Kind::kNull:
      return Value::null();
    case yaml::Node::Kind::kScalar: {
      if (n.quoted) return arena.str(n.scalar);
      if (n.is_plain_null()) return Value::null();
      if (auto b = n.as_bool()) return Value::boolean(*b);
      if (auto i = n.as_int()) return Value::integer(*i);
      if (auto d = n.as_double()) return Value::number(*d);
      return arena.str(n.scalar);
    }
    case yaml::Node::Kind::kSeq: {
      Value* items = arena.values(n.items.size());
      for (std::size_t i = 0; i < n.items.size(); ++i) items[i] = from_yaml(n.items[i], arena);
      return Value::array(items, n.items.size());
    }
    case yaml::Node::Kind::kMap: {
      Member* ms = arena.members(n.pairs.size());
      for (std::size_t i = 0; i < n.pairs.size(); ++i) {
        ms[i].key = arena.copy(n.pairs[i].first.scalar);
        ms[i].value = from_yaml(n.pairs[i].second, arena);
      }
      return Value::object(ms, n.pairs.size());
    }
  }
  return Value::null();
}

Value from_json_dom(simdjson::dom::element e, Arena& arena) {
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
      return arena.str(std::string_view(e));
    case T::ARRAY: {
      simdjson::dom::array a = e;
      std::size_t n = a.size();
      Value* items = n ? arena.values(n) : nullptr;
      std::size_t i = 0;
      for (auto x : a) items[i++] = from_json_dom(x, arena);
      return Value::array(items, n);
    }
    case T::OBJECT: {
      simdjson::dom::object o = e;
      std::size_t n = o.size();
      Member* ms = n ? arena.members(n) : nullptr;
      std::size_t i = 0;
      for (auto [k, v] : o) {
        ms[i].key = arena.copy(k);
        ms[i].value = from_json_dom(v, arena);
        ++i;
      }
      return Value::object(ms, n);
    }
  }
  return Value::null();
}

Result<Value> from_json(std::string_view json, Arena& arena, const std::string& file) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  auto err = parser.parse(padded).get(root);
  if (err) return fail(std::string("JSON: ") + simdjson::error_message(err), {file});
  return from_json_dom(root, arena);
}

}  // namespace csap
