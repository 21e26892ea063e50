package io.maestro.policy;

import io.maestro.core.background.BackgroundLoop;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hot reload: watches a bundle file (or directory) and activates it on the decision point when its
 * content changes. A bundle that fails to read, verify or compile is reported and skipped; the
 * active bundle keeps deciding. {@link #check} does one round on the caller's thread (tests, an
 * admin endpoint); {@link #start} polls on a virtual thread until {@link #close}.
 */
public final class BundleWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BundleWatcher.class.getName());

  /** What one check did. */
  public enum Outcome {
    UNCHANGED,
    ACTIVATED,
    REJECTED,
    MISSING
  }

  private final DecisionPoint pdp;
  private final Path path;
  private final AtomicReference<FileTime> seenTime = new AtomicReference<>();
  private final AtomicReference<String> seenDigest = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final AtomicLong rejected = new AtomicLong();
  private volatile BackgroundLoop poller;

  public BundleWatcher(DecisionPoint pdp, Path path) {
    this.pdp = Objects.requireNonNull(pdp);
    this.path = Objects.requireNonNull(path);
  }

  /** Checks the file once and activates it if its content changed. Never throws. */
  public synchronized Outcome check() {
    try {
      if (!Files.exists(path)) {
        return Outcome.MISSING;
      }
      FileTime t = Files.getLastModifiedTime(path);
      if (Files.isRegularFile(path) && t.equals(seenTime.get())) {
        return Outcome.UNCHANGED;
      }
      Bundle b = BundleIO.read(path);
      String digest = b.contentDigest() + "|" + b.signatures().map(Object::toString).orElse("");
      seenTime.set(t);
      if (digest.equals(seenDigest.get())) {
        return Outcome.UNCHANGED;
      }
      seenDigest.set(digest);
      pdp.activate(b);
      lastError.set(null);
      return Outcome.ACTIVATED;
    } catch (RuntimeException | java.io.IOException e) {
      rejected.incrementAndGet();
      lastError.set(e.getMessage());
      LOG.log(Level.WARNING, "policy bundle " + path + " not activated: " + e.getMessage());
      return Outcome.REJECTED;
    }
  }

  /** Polls every {@code interval} until closed. */
  public BundleWatcher start(Duration interval) {
    poller = BackgroundLoop.every("policy-bundle-watcher", interval, this::check);
    return this;
  }

  /** How many candidate bundles were rejected, and why the last one was. */
  public long rejected() {
    return rejected.get();
  }

  public Optional<String> lastError() {
    return Optional.ofNullable(lastError.get());
  }

  @Override
  public void close() {
    BackgroundLoop p = poller;
    if (p != null) {
      p.close();
    }
  }
}
