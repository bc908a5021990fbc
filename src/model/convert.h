// Conversions into the value model: from YAML nodes (rule tests, params) and JSON text.
#pragma once
#include <simdjson.h>

#include <string_view>

#include "core/error.h"
#include "core/yaml.h"
#include "model/value.h"

namespace csap {

// Typed by the YAML 1.2 core schema: plain true/false are booleans, plain numbers numbers,
// null/~ null; quoted scalars are strings.
Value from_yaml(const yaml::Node& n, Arena& arena);

// A simdjson DOM element as a value (strings and keys copied into the arena). The DOM parser
// bounds the depth, so the recursion is bounded too.
Value from_json_dom(simdjson::dom::element e, Arena& arena);

// Parses JSON text (small documents: test inputs, configuration fragments) into a value.
Result<Value> from_json(std::string_view json, Arena& arena, const std::string& file);

}  // namespace csap
