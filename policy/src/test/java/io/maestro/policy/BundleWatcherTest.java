package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWatcherTest {
  @TempDir Path dir;

  static final String ALLOW_ALL =
      "package maestro.authz\n\ndecision := {\"allow\": true, \"reasons\": [], \"obligations\": []}\n";

  private DecisionPoint pdp() {
    return DecisionPoint.start(
        PdpSettings.defaults().withTrust(DecisionPointTest.trust()),
        DecisionPointTest.bundle("r1", Map.of("authz.rego", DecisionPointTest.AUTHZ)),
        DecisionPointTest.trust(),
        Clock.systemUTC(),
        new SplittableRandom(1),
        DecisionLog.NONE);
  }

  @Test
  void check_activatesANewSignedBundleOnceAndSkipsUnchangedOnes() {
    DecisionPoint pdp = pdp();
    Path file = dir.resolve("bundle.tar.gz");
    BundleIO.writeTarGz(DecisionPointTest.bundle("r2", Map.of("authz.rego", ALLOW_ALL)), file);
    BundleWatcher w = new BundleWatcher(pdp, file);

    assertThat(w.check()).isEqualTo(BundleWatcher.Outcome.ACTIVATED);
    assertThat(pdp.active().revision()).isEqualTo("r2");
    assertThat(w.check()).isEqualTo(BundleWatcher.Outcome.UNCHANGED);
  }

  @Test
  void check_rejectsATamperedBundleAndKeepsThePreviousOne() throws Exception {
    DecisionPoint pdp = pdp();
    Bundle good = DecisionPointTest.bundle("r3", Map.of("authz.rego", ALLOW_ALL));
    Path d = dir.resolve("b");
    BundleIO.writeDirectory(good, d);
    Files.writeString(
        d.resolve("authz.rego"), ALLOW_ALL.replace("true", "false"), StandardCharsets.UTF_8);
    BundleWatcher w = new BundleWatcher(pdp, d);

    assertThat(w.check()).isEqualTo(BundleWatcher.Outcome.REJECTED);
    assertThat(w.lastError()).hasValueSatisfying(m -> assertThat(m).contains("digest mismatch"));
    assertThat(pdp.active().revision()).isEqualTo("r1");
  }

  @Test
  void check_reportsAMissingFile() {
    assertThat(new BundleWatcher(pdp(), dir.resolve("none.tar.gz")).check())
        .isEqualTo(BundleWatcher.Outcome.MISSING);
  }
}
