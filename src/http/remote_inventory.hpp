// The module's factory of the CLI's server client (see module.hpp).
#pragma once

#include <memory>

#include "invlog/client/inventory.hpp"
#include "invlog/http/remote.hpp"

namespace invlog::http {

std::unique_ptr<client::Inventory> remote_inventory(const RemoteOptions& options);

}  // namespace invlog::http
