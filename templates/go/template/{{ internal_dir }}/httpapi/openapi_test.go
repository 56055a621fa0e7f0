package httpapi

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIDocumentMatchesTheRoutes fails when a route is missing from openapi.json,
// or when the document names a method and path the API does not serve.
func TestOpenAPIDocumentMatchesTheRoutes(t *testing.T) {
	t.Parallel()
	var document struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &document); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(document.OpenAPI, "3.") {
		t.Errorf("openapi.json is OpenAPI %q, want 3.x", document.OpenAPI)
	}
	var documented []string
	for path, operations := range document.Paths {
		for method := range operations {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	served := make([]string, len(routes))
	for i, r := range routes {
		served[i] = r.pattern
	}
	slices.Sort(documented)
	slices.Sort(served)
	for _, op := range served {
		if !slices.Contains(documented, op) {
			t.Errorf("the API serves %s, which openapi.json does not describe", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(served, op) {
			t.Errorf("openapi.json describes %s, which the API does not serve", op)
		}
	}
}
