// GET /openapi.json: an OpenAPI 3.1 document of every route, generated from
// the route table, the command table (one POST per row, its body from the
// row's fields and rules) and the reference service's request models.
#pragma once

#include <string>

namespace invlog::http {

// The document as compact JSON (built once).
const std::string& openapi_document();

}  // namespace invlog::http
