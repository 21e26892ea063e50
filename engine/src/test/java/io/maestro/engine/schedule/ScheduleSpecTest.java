package io.maestro.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
  static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  static final Duration MIN = Duration.ofSeconds(60);

  static ScheduleSpec spec(String cron, String zone, String overlap, long catchUp, long jitter) {
    return spec(cron, zone, overlap, catchUp, jitter, MIN);
  }

  static ScheduleSpec spec(
      String cron, String zone, String overlap, long catchUp, long jitter, Duration min) {
    return ScheduleSpec.of(
        "nightly",
        "report",
        Optional.empty(),
        cron,
        zone,
        overlap,
        catchUp,
        jitter,
        null,
        min,
        NOW);
  }

  static String code(Runnable r) {
    try {
      r.run();
    } catch (MaestroException e) {
      return e.code().code();
    }
    return "accepted";
  }

  @Test
  void valid_defaultsToUtcSkipAndNoCatchUp() {
    ScheduleSpec s = spec("0 2 * * *", null, null, 0, 0);
    assertThat(s.zone().getId()).isEqualTo("UTC");
    assertThat(s.overlap()).isEqualTo(Overlap.SKIP);
    assertThat(s.inputs().isObject()).isTrue();
  }

  @Test
  void refusals_haveStableCodes() {
    assertThat(code(() -> spec("0 0 30 2 *", "UTC", "skip", 0, 0))).isEqualTo("cron_never_fires");
    assertThat(code(() -> spec("* * * * *", "UTC", "skip", 0, 0, Duration.ofMinutes(5))))
        .isEqualTo("cron_too_frequent");
    assertThat(code(() -> spec("*/5 * * * *", "UTC", "skip", 0, 0))).isEqualTo("accepted");
    assertThat(code(() -> spec("* * * * * *", "UTC", "skip", 0, 0))).isEqualTo("cron_invalid");
    assertThat(code(() -> spec("0 2 * * *", "Mars/Olympus", "skip", 0, 0)))
        .isEqualTo("schedule_invalid");
    assertThat(code(() -> spec("0 2 * * *", "UTC", "sometimes", 0, 0)))
        .isEqualTo("schedule_invalid");
    assertThat(code(() -> spec("0 2 * * *", "UTC", "skip", -1, 0))).isEqualTo("schedule_invalid");
    assertThat(code(() -> spec("0 2 * * *", "UTC", "skip", 0, 86_400)))
        .isEqualTo("schedule_invalid");
    assertThat(code(() -> spec("*/5 * * * *", "UTC", "skip", 0, 299))).isEqualTo("accepted");
    assertThat(code(() -> spec("*/5 * * * *", "UTC", "skip", 0, 300)))
        .isEqualTo("schedule_invalid");
    assertThatThrownBy(
            () ->
                ScheduleSpec.of(
                    "Bad Id",
                    "report",
                    Optional.empty(),
                    "0 2 * * *",
                    "UTC",
                    "skip",
                    0,
                    0,
                    null,
                    MIN,
                    NOW))
        .hasMessageContaining("schedule id");
  }
}
