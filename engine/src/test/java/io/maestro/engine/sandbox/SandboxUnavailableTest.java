package io.maestro.engine.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the sandbox says it cannot run, and what it tells about AppArmor. Needs no bubblewrap. */
class SandboxUnavailableTest {

  @Test
  void missingBwrap_isUnavailableWithTheRemedy(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-bwrap");
    assertThatThrownBy(() -> Sandbox.create(SandboxConfig.defaults().withBwrap(missing)))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> {
              assertThat(e.code()).isEqualTo(SandboxErrors.UNAVAILABLE);
              assertThat(e.detail())
                  .isEqualTo(
                      "bubblewrap not found at "
                          + missing
                          + " (sandbox.bwrap) — apt-get install bubblewrap or point sandbox.bwrap"
                          + " at it");
            });
  }

  @Test
  void appArmor_notUsedWhenDisabledOrProfileMissing_usedWhenLoaded(@TempDir Path sys)
      throws Exception {
    Optional<String> wanted = Optional.of("maestro-sandbox");
    assertThat(AppArmor.detect(wanted, sys))
        .isEqualTo(
            new AppArmor(
                Optional.empty(),
                "AppArmor not available on this host (the kernel has it disabled)"));

    Path enabled = sys.resolve("module/apparmor/parameters/enabled");
    Files.createDirectories(enabled.getParent());
    Files.writeString(enabled, "Y\n");
    Path profiles = sys.resolve("kernel/security/apparmor/profiles");
    Files.createDirectories(profiles.getParent());
    Files.writeString(profiles, "/usr/bin/man (enforce)\nmaestro-sandbox-old (enforce)\n");
    AppArmor notLoaded = AppArmor.detect(wanted, sys);
    assertThat(notLoaded.profile()).isEmpty();
    assertThat(notLoaded.status()).contains("profile maestro-sandbox is not loaded");

    Files.writeString(profiles, "maestro-sandbox (enforce)\n");
    assertThat(AppArmor.detect(wanted, sys))
        .isEqualTo(new AppArmor(wanted, "AppArmor profile maestro-sandbox"));
    assertThat(AppArmor.detect(Optional.empty(), sys).profile()).isEmpty();
  }
}
