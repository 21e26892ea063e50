package io.maestro.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One case of OPA's conformance suite, as read from YAML. */
record ConformanceCase(
    String id,
    String area,
    String note,
    String query,
    List<String> modules,
    JsonNode data,
    JsonNode input,
    String inputTerm,
    JsonNode wantResult,
    String wantErrorCode,
    String wantError,
    boolean strictError,
    boolean sortBindings) {}
