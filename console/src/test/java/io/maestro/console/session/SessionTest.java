package io.maestro.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {
  @Test
  void theCsrfTokenBelongsToOneSessionToken() {
    String csrf = Session.csrf("token-a");
    assertThat(Session.csrfMatches("token-a", csrf)).isTrue();
    assertThat(Session.csrfMatches("token-b", csrf)).isFalse();
    assertThat(Session.csrfMatches("token-a", "")).isFalse();
    assertThat(Session.csrfMatches("token-a", null)).isFalse();
    assertThat(csrf).doesNotContain("token-a");
  }

  @Test
  void controlsAreDrawnOnlyForRolesThePolicyGrants() {
    Me reader = new Me("r@acme", "acme", List.of("read_only"), "internal-default");
    Me reviewer = new Me("v@acme", "acme", List.of("workflow_reviewer"), "internal-default");
    Me admin = new Me("root", "", List.of("conductor_admin"), "");
    assertThat(List.of("run.cancel", "workflow.approve", "tenant.create", "tenant.quota"))
        .noneMatch(reader::may);
    assertThat(reviewer.may("workflow.approve")).isTrue();
    assertThat(reviewer.may("run.cancel")).isFalse();
    assertThat(admin.may("tenant.create")).isTrue();
    assertThat(admin.platform()).isTrue();
    assertThat(admin.hasTenant()).isFalse();
  }
}
