#include "model/deployment.h"

namespace csap {

long Deployment::find(std::string_view address) const {
  auto it = by_address_.find(address);
  return it == by_address_.end() ? -1 : static_cast<long>(it->second);
}

void Deployment::reindex() {
  by_address_.clear();
  by_address_.reserve(resources.size());
  for (std::uint32_t i = 0; i < resources.size(); ++i) by_address_.emplace(resources[i].address, i);
}

}  // namespace csap
