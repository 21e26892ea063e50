package io.maestro.evidence.storage;

import io.maestro.core.TenantId;
import io.maestro.core.archive.DeterministicTar;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The evidence module's blob storage: one partition per tenant, {@code <root>/tenants/<tenant>/},
 * holding its stored packs ({@code packs/<sha256>.tar.gz}), the staging directories of packs being
 * built and the tenant's salt key for withheld members. Nothing of one tenant is ever written or
 * read under another tenant's prefix: every path is resolved from the tenant id, which {@link
 * TenantId} restricts to a safe path segment. Thread-safe.
 */
public final class PackStore {
  private final Path root;
  private final SecureRandom random;

  public PackStore(Path root, SecureRandom random) {
    this.root = root;
    this.random = random;
  }

  /** The tenant's partition. */
  public Path partition(TenantId tenant) {
    Path p = root.resolve("tenants").resolve(tenant.value()).normalize();
    if (!p.getParent().equals(root.resolve("tenants").normalize())) {
      throw new IllegalArgumentException("not a tenant partition: " + tenant.value());
    }
    return p;
  }

  /** A fresh staging directory in the tenant's partition. */
  public Staging staging(TenantId tenant) {
    Path dir = partition(tenant).resolve("staging").resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Staging(dir);
  }

  /** Attempts at one write before a throttled export fails. */
  public static final int MAX_ATTEMPTS = 6;

  private volatile StorageThrottle throttle = StorageThrottle.NONE;

  /** Puts {@code t} in front of every write (a chaos drill's throttled storage). */
  public void throttle(StorageThrottle t) {
    this.throttle = t;
  }

  /**
   * Waits until the storage takes the write: exponential backoff from 50 ms (at least the wait the
   * storage asked for) between attempts, failing after {@link #MAX_ATTEMPTS}.
   */
  private void admitted() {
    StorageThrottle t = throttle;
    for (int attempt = 1; ; attempt++) {
      var wait = t.admit(attempt);
      if (wait.isEmpty()) {
        return;
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new io.maestro.core.problem.MaestroException(
            io.maestro.evidence.EvidenceErrors.STORAGE_THROTTLED,
            "the evidence storage refused the pack " + attempt + " times (throttled); retry later",
            java.util.Map.of(),
            true,
            null);
      }
      long backoff = 50L << (attempt - 1);
      try {
        Thread.sleep(Math.max(backoff, wait.get().toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the storage was throttled", e);
      }
    }
  }

  /** What {@link #store} wrote. */
  public record Stored(Path file, String sha256, long size) {}

  /**
   * Assembles the staged files into a reproducible .tar.gz and keeps it in the tenant's partition,
   * named after its SHA-256 (the same content is stored once).
   */
  public Stored store(TenantId tenant, Staging staging, List<StagedFile> files) {
    admitted();
    Path packs = partition(tenant).resolve("packs");
    try {
      Files.createDirectories(packs);
      Path tmp = Files.createTempFile(packs, "pack-", ".part");
      MessageDigest sha = Staging.sha256();
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        DeterministicTar.write(
            files.stream()
                .map(
                    f ->
                        new DeterministicTar.Entry(
                            f.path(), f.size(), () -> Files.newInputStream(staging.file(f.path()))))
                .toList(),
            out);
      }
      String hex = HexFormat.of().formatHex(sha.digest());
      Path target = packs.resolve(hex + ".tar.gz");
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Stored(target, hex, Files.size(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The tenant's secret for salting withheld members, created on first use. Salts derive from it,
   * so a pack made twice withholds with the same digests and stays byte-for-byte the same.
   */
  public synchronized byte[] saltKey(TenantId tenant) {
    Path key = partition(tenant).resolve("salt.key");
    try {
      if (Files.exists(key)) {
        return Files.readAllBytes(key);
      }
      Files.createDirectories(key.getParent());
      byte[] fresh = new byte[32];
      random.nextBytes(fresh);
      Path tmp = Files.createTempFile(key.getParent(), "salt-", ".part");
      Files.write(tmp, fresh);
      Files.move(tmp, key, StandardCopyOption.ATOMIC_MOVE);
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a stored pack once nothing names it (after the transaction that deleted its last export
   * committed); a file already gone is fine, and a failure is logged, not thrown: the export rows
   * are gone either way, and an orphaned file is found by its absence from the table.
   */
  public void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      java.util.logging.Logger.getLogger(PackStore.class.getName())
          .warning("cannot delete the expired pack " + file + ": " + e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
