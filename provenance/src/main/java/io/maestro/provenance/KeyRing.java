package io.maestro.provenance;

import io.maestro.core.Actor;
import io.maestro.core.problem.MaestroException;
import io.maestro.provenance.ReceiptDraft.Subject;
import io.maestro.provenance.internal.Json;
import io.maestro.provenance.keys.Ed25519;
import io.maestro.provenance.keys.KeyStore;
import io.maestro.provenance.keys.KeyStore.StoredKey;
import io.maestro.provenance.keys.PublicKeyInfo;
import io.maestro.provenance.keys.PublicKeyInfo.KeyStatus;
import io.maestro.provenance.keys.Signer;
import io.maestro.provenance.keys.TrustedKeys;
import io.maestro.store.Tx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The signing keys: one active key that signs checkpoints and attestations, and retired keys kept
 * so that what they signed still verifies. Rotation is itself a receipt ({@code key.rotated}) in
 * the platform log.
 *
 * <p>When no usable signing key exists (key file missing, unreadable, or with unsafe permissions)
 * the ring reports a <em>signer outage</em>: checkpoints stop, {@link #requireSigner()} fails with
 * {@code signer_unavailable} for privileged operations, and ordinary receipts keep being appended
 * (the first checkpoint after the outage covers them). Thread-safe.
 */
public final class KeyRing {
  private final KeyStore store;
  private final String name;
  private final Clock clock;
  private final SecureRandom random;
  private volatile State state;
  private volatile String bootstrapProblem = "";
  private volatile Suspension suspension;

  /** A signer outage ordered by an operator's fault drill, until {@code until}. */
  private record Suspension(String why, Instant until) {}

  private record State(List<PublicKeyInfo> keys, Optional<Signer> signer, String problem) {}

  private KeyRing(KeyStore store, String name, Clock clock, SecureRandom random) {
    PublicKeyInfo.validateName(name);
    this.store = store;
    this.name = name;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Opens the ring. An empty store gets its first key, so a fresh installation can sign at once; a
   * store that holds keys but no usable active one is left alone (that is an outage to fix, not a
   * reason to mint a key nobody knows).
   *
   * @param name the signed-note key name, e.g. the installation's origin {@code maestro.local}
   */
  public static KeyRing open(KeyStore store, String name, Clock clock, SecureRandom random) {
    KeyRing ring = new KeyRing(store, name, clock, random);
    KeyStore.Loaded loaded = store.load();
    if (loaded.keys().isEmpty() && loaded.problems().isEmpty()) {
      try {
        store.save(ring.newKey(KeyStatus.ACTIVE));
      } catch (RuntimeException e) {
        // A read-only data directory is a signer outage, not a reason to refuse to start.
        ring.bootstrapProblem = "cannot create the first signing key: " + e.getMessage();
      }
    }
    ring.reload();
    return ring;
  }

  /** Re-reads the store, e.g. after an operator fixed a key file. */
  public synchronized void reload() {
    KeyStore.Loaded loaded = store.load();
    List<PublicKeyInfo> infos = new ArrayList<>();
    Optional<Signer> active = Optional.empty();
    for (StoredKey k : loaded.keys()) {
      if (k.info().status() == KeyStatus.PENDING) {
        continue; // a rotation that never committed: the key never signed anything
      }
      infos.add(k.info());
      if (k.info().status() == KeyStatus.ACTIVE) {
        // Should two keys claim to be active (a crash mid-rotation), the newest wins.
        active = Optional.of(Signer.of(k));
      }
    }
    String problem = "";
    if (active.isEmpty()) {
      problem =
          loaded.problems().isEmpty()
              ? bootstrapProblem.isEmpty()
                  ? "no active signing key in " + store.describe()
                  : bootstrapProblem
              : loaded.problems().stream()
                  .map(p -> p.where() + ": " + p.reason())
                  .collect(Collectors.joining("; "));
    }
    state = new State(List.copyOf(infos), active, problem);
  }

  /** Reloads only when signing is unavailable (cheap enough to call on every checkpoint tick). */
  public void reloadIfUnavailable() {
    if (state.signer().isEmpty()) {
      reload();
    }
  }

  public String keyName() {
    return name;
  }

  /** The active signer, or empty during a signer outage. */
  public Optional<Signer> signer() {
    return current().signer().map(s -> s);
  }

  /**
   * Makes signing unavailable until {@code until}, as a missing key would: checkpoints pause,
   * {@link #requireSigner()} fails with {@code signer_unavailable}, {@link #status()} reports the
   * outage. For chaos drills only (the server's fault injection, off unless configured); the keys
   * on disk are not touched, and signing resumes by itself at {@code until} or on {@link
   * #resume()}.
   */
  public void suspend(String why, Instant until) {
    suspension = new Suspension(why, until);
  }

  /** Ends a {@link #suspend} early. */
  public void resume() {
    suspension = null;
  }

  /** The state as signing sees it now: without a signer while a suspension lasts. */
  private State current() {
    State s = state;
    Suspension x = suspension;
    if (x != null && clock.instant().isBefore(x.until())) {
      return new State(s.keys(), Optional.empty(), x.why());
    }
    return s;
  }

  /**
   * The active signer, for privileged operations that must fail closed.
   *
   * @throws MaestroException {@code signer_unavailable} (503) during a signer outage
   */
  public Signer requireSigner() {
    State s = current();
    return s.signer()
        .orElseThrow(
            () ->
                new MaestroException(
                    ProvenanceErrors.SIGNER_UNAVAILABLE,
                    "signing is unavailable: " + s.problem(),
                    java.util.Map.of(),
                    true,
                    null));
  }

  public SignerStatus status() {
    State s = current();
    return new SignerStatus(
        s.signer().isPresent(), s.signer().map(a -> a.key().keyId()), s.problem());
  }

  /** Every active and retired public key (the JWKS served at /.well-known/maestro/keys). */
  public TrustedKeys publicKeys() {
    return TrustedKeys.of(state.keys());
  }

  /**
   * Replaces the active key. The new key is written as pending, the {@code key.rotated} receipt is
   * appended to the platform log in {@code tx}, and only when {@code tx} commits does the new key
   * become active and the old one retired. A privileged operation: it fails closed during a signer
   * outage.
   *
   * @param tx a platform-scoped transaction
   */
  public PublicKeyInfo rotate(Tx tx, Receipts receipts, Actor actor) {
    Signer old = requireSigner();
    StoredKey fresh = newKey(KeyStatus.PENDING);
    store.save(fresh);
    var payload = Json.object();
    payload.put("old_key", old.key().keyId());
    payload.put("new_key", fresh.info().keyId());
    payload.put(
        "public_key", java.util.Base64.getEncoder().encodeToString(fresh.info().publicKey()));
    receipts.append(
        tx,
        ReceiptDraft.of(
                LogId.platform(),
                ReceiptTypes.KEY_ROTATED,
                actor,
                "key.rotate",
                Subject.of("signing_key", fresh.info().keyId()))
            .withPayload(payload));
    tx.afterCommit(() -> activate(fresh, old.key()));
    return fresh.info().withStatus(KeyStatus.ACTIVE, Optional.empty());
  }

  private synchronized void activate(StoredKey fresh, PublicKeyInfo old) {
    Instant now = now();
    store.save(
        new StoredKey(fresh.info().withStatus(KeyStatus.ACTIVE, Optional.empty()), fresh.seed()));
    for (StoredKey k : store.load().keys()) {
      if (k.info().keyId().equals(old.keyId())) {
        store.save(
            new StoredKey(k.info().withStatus(KeyStatus.RETIRED, Optional.of(now)), k.seed()));
      }
    }
    reload();
  }

  private StoredKey newKey(KeyStatus status) {
    byte[] seed = Ed25519.generateSeed(random);
    PublicKeyInfo info =
        PublicKeyInfo.of(name, Ed25519.publicKey(seed), now(), status, Optional.empty());
    return new StoredKey(info, seed);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Whether signing works, the active key id, and otherwise why not (for {@code /readyz}). */
  public record SignerStatus(boolean available, Optional<String> activeKeyId, String problem) {}
}
