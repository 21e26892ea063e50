package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.maestro.core.TenantId;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageQueryTest {
  static final TenantId ACME = TenantId.of("acme");

  static ErrorCode codeOf(Runnable r) {
    try {
      r.run();
    } catch (MaestroException e) {
      return e.code();
    }
    throw new AssertionError("no problem raised");
  }

  @Test
  void parse_acceptsGroupsIntervalAndTruncatesToMinutes() {
    UsageQuery q =
        UsageQuery.parse(
            ACME, "2026-11-01T00:00:30Z", "2026-11-30T00:00:00Z", "env, workflow", "day");
    assertThat(q.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(q.groupBy())
        .containsExactlyInAnyOrder(UsageQuery.Dimension.WORKFLOW, UsageQuery.Dimension.ENV);
    assertThat(q.interval()).isEqualTo(UsageQuery.Interval.DAY);
  }

  @Test
  void parse_badInputHasStableCodes() {
    String from = "2026-11-01T00:00:00Z";
    String to = "2026-11-02T00:00:00Z";
    assertThat(codeOf(() -> UsageQuery.parse(ACME, from, to, "workflow,region", null)))
        .isEqualTo(MeteringErrors.BAD_GROUP_BY);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, to, from, null, null)))
        .isEqualTo(MeteringErrors.BAD_RANGE);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, from, from, null, null)))
        .isEqualTo(MeteringErrors.BAD_RANGE);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, "yesterday", to, null, null)))
        .isEqualTo(MeteringErrors.BAD_RANGE);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, null, to, null, null)))
        .isEqualTo(MeteringErrors.BAD_RANGE);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, "2025-01-01T00:00:00Z", to, null, null)))
        .isEqualTo(MeteringErrors.RANGE_TOO_LONG);
    assertThat(codeOf(() -> UsageQuery.parse(ACME, from, to, null, "week")))
        .isEqualTo(MeteringErrors.BAD_INTERVAL);
    assertThat(codeOf(() -> EventType.ofWire("run_finished")))
        .isEqualTo(MeteringErrors.UNKNOWN_EVENT_TYPE);
  }

  @Test
  void parse_exactly400DaysIsAllowed() {
    UsageQuery q = UsageQuery.parse(ACME, "2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z", "", "");
    assertThat(java.time.Duration.between(q.from(), q.to()).toDays()).isEqualTo(400);
  }
}
