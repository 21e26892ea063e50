package io.maestro.engine.manifest;

/** How much harm a workflow can do; policy uses it to decide who may start it. */
public enum Risk {
  LOW,
  MEDIUM,
  HIGH
}
