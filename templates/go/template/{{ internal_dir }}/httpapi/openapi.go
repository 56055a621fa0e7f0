package httpapi

import _ "embed"

// openAPIDocument is the OpenAPI 3 document served at /openapi.json. It is written by
// hand: a test checks that it names every route of the API and no other.
//
//go:embed openapi.json
var openAPIDocument []byte
