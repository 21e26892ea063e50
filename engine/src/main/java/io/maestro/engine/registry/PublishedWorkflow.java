package io.maestro.engine.registry;

import io.maestro.engine.manifest.Manifest;

/** A published version with its validated manifest, ready to run. */
public record PublishedWorkflow(String name, String version, String digest, Manifest manifest) {}
