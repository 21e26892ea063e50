package io.maestro.rego.compiler;

import java.util.Map;

/** A compiled query: its body, frame size and the slots of its result variables. */
public record CompiledQuery(String text, Ir.Body body, int slots, Map<String, Integer> vars) {}
