// The renderer of invlog diff: one row per SKU that changed, its state
// before and after, with the field names of list.
#pragma once

#include "invlog/app/queries.hpp"
#include "invlog/output/render.hpp"

namespace invlog::output {

// json/ndjson: {"sku", "before": state or null, "after": state}, the state
// objects of list. csv: sku, then before_ and after_ each of soh,
// available_quantity, reserved, version, updated_at (empty before_ cells for
// a SKU created in between). text: sku and "before -> after" for each
// quantity and the version, "-" for nothing.
class DiffRenderer : public ListRenderer {
public:
    DiffRenderer(Format format, Style style);
    std::string add(const app::DiffRow& row);
};

}  // namespace invlog::output
