package io.maestro.evidence;

import java.nio.file.Path;

/**
 * A pack as stored in the tenant's partition.
 *
 * @param file the .tar.gz under the tenant's prefix of the pack storage
 * @param sha256 the hex SHA-256 of the file (equal for equal content: packs are reproducible)
 * @param exportId the id of this export (in its receipt and metered event, not in the pack)
 * @param receiptId the {@code evidence.exported} receipt
 */
public record DisclosurePack(
    Path file, String sha256, long size, String exportId, String receiptId, boolean empty) {}
