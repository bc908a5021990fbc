// Writing YAML: the one quoter for every scalar csapcheck writes into a YAML file (lock files,
// attestation skeletons, imported catalogs), so that whatever text goes in reads back unchanged.
#pragma once
#include <string>
#include <string_view>

namespace csap {

// A YAML double-quoted scalar for any UTF-8 text: quotes, backslashes, line breaks, tabs and every
// other control character are escaped, so the result is one line and reads back as `s` exactly.
std::string yaml_quote(std::string_view s);

}  // namespace csap
