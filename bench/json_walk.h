// simdjson baselines: parse a document and visit every value, with On-Demand and with the DOM.
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <string>

namespace csap::bench {

// What a full traversal saw; the two parsers must agree.
struct WalkCounts {
  std::uint64_t nodes = 0;         // every value, keys not counted
  std::uint64_t string_bytes = 0;  // bytes of keys and string values (unescaped)
  std::uint64_t numbers = 0;
  std::uint64_t trues = 0;
  double number_sum = 0;  // read so that numbers are really parsed
  bool operator==(const WalkCounts& o) const {
    return nodes == o.nodes && string_bytes == o.string_bytes && numbers == o.numbers &&
           trues == o.trues;
  }
};

// On-Demand: iterate the padded buffer and visit every value in document order.
bool ondemand_walk(const simdjson::padded_string& buf, WalkCounts& out, std::string* error);

// DOM: parse the padded buffer into a tape (parser owned by the caller, reused across calls) and
// visit every element.
bool dom_walk(simdjson::dom::parser& parser, const simdjson::padded_string& buf, WalkCounts& out,
              std::string* error);

}  // namespace csap::bench
