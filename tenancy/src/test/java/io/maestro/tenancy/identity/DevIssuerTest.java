package io.maestro.tenancy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.Actor;
import io.maestro.core.TenantId;
import io.maestro.core.config.Mode;
import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevIssuerTest {
  @TempDir Path dataDir;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  static Actor operator() {
    return new Actor(
        "dev@acme",
        Optional.of(TenantId.of("acme")),
        List.of("operator"),
        Map.of("environment", "prod"),
        "dev");
  }

  @Test
  void open_refusesOutsideDevMode() {
    assertThatThrownBy(() -> DevIssuer.open(Mode.PROD, dataDir, clock))
        .isInstanceOf(MaestroException.class)
        .satisfies(
            e ->
                assertThat(((MaestroException) e).code())
                    .isEqualTo(TenancyErrors.DEV_ISSUER_DISABLED));
    assertThat(dataDir.resolve("keys")).doesNotExist();
  }

  @Test
  void open_createsAnOwnerOnlyKeyAndReusesIt() throws Exception {
    DevIssuer first = DevIssuer.open(Mode.DEV, dataDir, clock);
    Path key = dataDir.resolve("keys").resolve(DevIssuer.KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    DevIssuer second = DevIssuer.open(Mode.DEV, dataDir, clock);
    assertThat(second.publicKeys().toString()).isEqualTo(first.publicKeys().toString());
  }

  @Test
  void open_refusesAKeyOthersCanRead() throws Exception {
    DevIssuer.open(Mode.DEV, dataDir, clock);
    Path key = dataDir.resolve("keys").resolve(DevIssuer.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> DevIssuer.open(Mode.DEV, dataDir, clock))
        .hasMessageContaining("readable by others");
  }

  @Test
  void issue_roundTripsThroughTheVerifier() {
    DevIssuer issuer = DevIssuer.open(Mode.DEV, dataDir, clock);
    String token = issuer.issue(operator(), Duration.ofHours(1));
    TokenVerifier verifier = new TokenVerifier(List.of(issuer.trustedIssuer()), clock);
    Actor a = verifier.verify(token);
    assertThat(a.subject()).isEqualTo("dev@acme");
    assertThat(a.tenant()).contains(TenantId.of("acme"));
    assertThat(a.roles()).containsExactly("operator");
    assertThat(a.attributes()).containsEntry("environment", "prod");
    assertThat(a.via()).isEqualTo("dev");
  }

  @Test
  void issue_tokensOfAnotherInstallationDoNotVerify(@TempDir Path other) {
    String foreign = DevIssuer.open(Mode.DEV, other, clock).issue(operator(), Duration.ofHours(1));
    DevIssuer mine = DevIssuer.open(Mode.DEV, dataDir, clock);
    TokenVerifier verifier = new TokenVerifier(List.of(mine.trustedIssuer()), clock);
    assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(InvalidTokenException.class);
  }
}
