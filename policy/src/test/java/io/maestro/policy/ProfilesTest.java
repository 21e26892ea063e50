package io.maestro.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.policy.build.CanonBundleBuild;
import io.maestro.policy.bundle.Bundle;
import io.maestro.policy.bundle.BundleIO;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The profile manifests under policies/ (no evaluation needed). */
class ProfilesTest {
  private final Bundle bundle = BundleIO.read(Canon.POLICIES, CanonBundleBuild.IGNORE);
  private final List<ProfileInfo> profiles = ProfileInfo.all(bundle);

  @Test
  void everyRequiredProfileExists() {
    assertThat(profiles)
        .extracting(ProfileInfo::id)
        .contains(
            "internal-default",
            "regulated",
            "partner-demo",
            "hosted-saas",
            "conductor-governance-internal",
            "conductor-governance-white-label",
            "conductor-governance-saas");
  }

  @Test
  void everyProfileIsValid() {
    Set<String> packs =
        Set.of("maestro.isolation", "maestro.rbac", "maestro.abac", "maestro.quota");
    for (ProfileInfo p : profiles) {
      assertThat(p.problems(packs)).as(p.id()).isEmpty();
      assertThat(p.file()).isEqualTo("maestro/profiles/" + p.id() + "/data.yaml");
      assertThat(p.sha256()).hasSize(71);
    }
  }

  @Test
  void governanceProfilesMatchTheirEdition() {
    for (String edition : List.of("internal", "white-label", "saas")) {
      ProfileInfo p =
          profiles.stream()
              .filter(x -> x.id().equals("conductor-governance-" + edition))
              .findFirst()
              .orElseThrow();
      assertThat(p.kind()).isEqualTo("GovernanceProfile");
      assertThat(p.edition()).isEqualTo(edition);
      assertThat(p.settings().path("cross_tenant").isObject()).isTrue();
    }
  }

  /**
   * policies/profiles.lock pins each released profile version to its content: editing a manifest
   * without a new version, or releasing a version without a lock line, fails here.
   */
  @Test
  void everyProfileVersionIsPinnedToItsContent() throws Exception {
    java.util.Map<String, String[]> lock = new java.util.HashMap<>();
    for (String line : java.nio.file.Files.readAllLines(Canon.POLICIES.resolve("profiles.lock"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.trim().split("\\s+");
        lock.put(f[0] + "@" + f[1], f);
      }
    }
    for (ProfileInfo p : profiles) {
      String[] pinned = lock.get(p.id() + "@" + p.version());
      String line = p.id() + " " + p.version() + " " + p.sha256();
      assertThat(pinned)
          .as(
              "profile %s version %d is not in policies/profiles.lock; add: %s",
              p.id(), p.version(), line)
          .isNotNull();
      assertThat(pinned[2])
          .as(
              "profile %s changed without a new version: bump its version and add: %s",
              p.id(), line)
          .isEqualTo(p.sha256());
    }
  }

  @Test
  void profileChecksum_changesWithContent() {
    ProfileInfo p = profiles.get(0);
    assertThat(ProfileInfo.sha256(bundle.file(p.file()).orElseThrow())).isEqualTo(p.sha256());
    assertThat(ProfileInfo.sha256("x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isNotEqualTo(p.sha256());
  }

  @Test
  void problems_reportUnknownPacksAndMissingMandatoryOnes() {
    ProfileInfo bad =
        new ProfileInfo(
            "x",
            "PolicyProfile",
            0,
            "x",
            "",
            "any",
            List.of("maestro.nope"),
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            "f.yaml",
            "sha256:0");
    assertThat(bad.problems(Set.of("maestro.rbac", "maestro.isolation")))
        .containsExactly(
            "f.yaml: version must be a positive integer",
            "f.yaml: unknown pack 'maestro.nope'",
            "f.yaml: every profile must enable maestro.isolation",
            "f.yaml: every profile must enable maestro.rbac");
  }
}
