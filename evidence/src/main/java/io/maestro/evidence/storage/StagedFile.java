package io.maestro.evidence.storage;

/**
 * A file staged for a pack: its path inside the pack, its size and its hex SHA-256.
 *
 * @param region the region the artifact belongs to, empty for the pack's own metadata
 */
public record StagedFile(String path, long size, String sha256, String region) {}
