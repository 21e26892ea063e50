package io.maestro.core.purge;

import java.util.Objects;

/**
 * One row a module deleted (or one receipt payload it erased) for a purge: the data class it
 * belongs to, its key inside the tenant, and the digest of its content as it was. A purge manifest
 * lists these and commits to them with a Merkle root, so anyone holding a copy of a row can prove
 * it was among what was deleted, while the manifest itself reveals no content.
 *
 * @param dataClass e.g. {@code runs}, {@code steps}, {@code run_logs}, {@code metering_events},
 *     {@code receipt_payloads}
 * @param key the row's key within the tenant (a run id, {@code run/step}, a sequence number)
 * @param digest {@code sha256:<hex>} of the row's canonical JSON ({@link RowDigest})
 */
public record PurgedItem(String dataClass, String key, String digest) {
  public PurgedItem {
    Objects.requireNonNull(dataClass, "dataClass");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(digest, "digest");
    if (!digest.startsWith("sha256:") || digest.length() != 71) {
      throw new IllegalArgumentException("a purged item's digest is sha256:<64 hex>: " + digest);
    }
  }
}
