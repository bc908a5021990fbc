// Data files (catalogs, rules, mappings) compiled into the binary. See cmake/EmbedData.cmake.
#pragma once
#include <string_view>
#include <vector>

namespace csap {

struct EmbeddedFile {
  std::string_view path;  // relative to data/, e.g. "catalogs/csap.yaml"
  std::string_view bytes;
};

std::vector<EmbeddedFile> embedded_files();

}  // namespace csap
