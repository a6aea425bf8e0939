// SKU syntax.
#include "invlog/domain/limits.hpp"

namespace invlog::domain {

bool valid_sku(std::string_view sku) {
    if (sku.empty() || sku.size() > max_sku_length) return false;
    for (unsigned char c : sku) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == ':' || c == '/' || c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace invlog::domain
