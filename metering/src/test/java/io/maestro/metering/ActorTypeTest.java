package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActorTypeTest {
  @Test
  void platformWork_isSystem_whateverItsSubject() {
    assertThat(ActorType.of("system:scheduler", "system")).isEqualTo(ActorType.SYSTEM);
    assertThat(ActorType.of("svc:deployer", "system")).isEqualTo(ActorType.SYSTEM);
  }

  @Test
  void serviceAccounts_areNamedBySubjectPrefix() {
    assertThat(ActorType.of("svc:deployer", "oidc")).isEqualTo(ActorType.SERVICE);
    assertThat(ActorType.of("service:billing", "oidc")).isEqualTo(ActorType.SERVICE);
  }

  @Test
  void everyoneElse_isAUser() {
    assertThat(ActorType.of("alice", "oidc")).isEqualTo(ActorType.USER);
    assertThat(ActorType.of("system:scheduler", "oidc")).isEqualTo(ActorType.USER);
    assertThat(ActorType.of("alice-svc:x", "oidc")).isEqualTo(ActorType.USER);
  }
}
