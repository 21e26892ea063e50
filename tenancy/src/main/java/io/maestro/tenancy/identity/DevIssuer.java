package io.maestro.tenancy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.maestro.core.Actor;
import io.maestro.core.config.Mode;
import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The built-in token issuer for dev mode, so an embedded server works without an identity provider.
 * It signs ES256 JWTs with a key kept in {@code <dataDir>/keys/dev-issuer.jwk}, created on first
 * use with owner-only permissions (0600); a key file others can read is refused, since anyone
 * holding it could mint tokens for any tenant and role.
 *
 * <p>It cannot be constructed unless the server runs in dev mode: a production server never trusts
 * or issues these tokens. Thread-safe.
 */
public final class DevIssuer {
  public static final String ISSUER = "urn:maestro:dev-issuer";
  public static final String AUDIENCE = "maestro";
  public static final String KEY_FILE = "dev-issuer.jwk";
  public static final Duration DEFAULT_TTL = Duration.ofHours(12);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final ECKey key;
  private final ECDSASigner signer;
  private final Clock clock;

  private DevIssuer(ECKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
    try {
      this.signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("the dev issuer key cannot sign", e);
    }
  }

  /**
   * Opens (creating on first use) the dev issuer of the installation in {@code dataDir}.
   *
   * @throws MaestroException {@code dev_issuer_disabled} unless {@code mode} is dev
   */
  public static DevIssuer open(Mode mode, Path dataDir, Clock clock) {
    if (mode != Mode.DEV) {
      throw MaestroException.of(
          TenancyErrors.DEV_ISSUER_DISABLED,
          "the dev token issuer only runs when the server is in dev mode; use your identity"
              + " provider's tokens");
    }
    Path file = dataDir.resolve("keys").resolve(KEY_FILE);
    try {
      return new DevIssuer(loadOrCreate(file), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the dev issuer key " + file, e);
    }
  }

  private static ECKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new IllegalStateException(
            "the dev issuer key "
                + file
                + " is readable by others ("
                + PosixFilePermissions.toString(perms)
                + "); run chmod 600 on it or delete it to make a new one");
      }
    }
    try {
      return ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IllegalStateException("the dev issuer key " + file + " is not a JWK", e);
    }
  }

  /** Writes a new key to a private temp file, then moves it into place (first writer wins). */
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    ECKey generated;
    try {
      generated =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyID("dev-" + UUID.randomUUID().toString().substring(0, 8))
              .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the dev issuer key", e);
    }
    boolean posix = Files.getFileStore(file.getParent()).supportsFileAttributeView("posix");
    Path tmp =
        posix
            ? Files.createTempFile(
                file.getParent(),
                ".dev-issuer",
                ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(file.getParent(), ".dev-issuer", ".tmp");
    try {
      Files.writeString(tmp, generated.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // Another process created it first; use theirs.
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The issuer the token verifier must trust for this dev issuer's tokens. */
  public TrustedIssuer trustedIssuer() {
    return new TrustedIssuer(ISSUER, AUDIENCE, new StaticKeys(publicKeys()), "dev");
  }

  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /**
   * Signs a token for {@code actor}: {@code sub}, {@code tenant_id} when the actor has a tenant,
   * {@code roles}, and the actor's ABAC attributes as claims of their own.
   */
  public String issue(Actor actor, Duration ttl) {
    Objects.requireNonNull(actor, "actor");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("a dev token lives between 1 second and 30 days");
    }
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(actor.subject())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim(Claims.ROLES, actor.roles());
    actor.tenant().ifPresent(t -> claims.claim(Claims.TENANT, t.value()));
    actor.attributes().forEach(claims::claim);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("the dev issuer could not sign", e);
    }
    return jwt.serialize();
  }
}
