package io.maestro.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.problem.MaestroException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronTest {
  static final ZoneId UTC = ZoneOffset.UTC;
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Instant next(String cron, String after, ZoneId zone) {
    return Cron.parse(cron).next(Instant.parse(after), zone).orElseThrow();
  }

  @Test
  void next_isStrictlyAfterAndOnTheMinute() {
    assertThat(next("*/15 * * * *", "2026-12-04T10:00:00Z", UTC)).isEqualTo("2026-12-04T10:15:00Z");
    assertThat(next("*/15 * * * *", "2026-12-04T10:14:59.5Z", UTC))
        .isEqualTo("2026-12-04T10:15:00Z");
    assertThat(next("0 9 * * MON-FRI", "2026-12-04T09:00:00Z", UTC)) // a Friday
        .isEqualTo("2026-12-07T09:00:00Z");
    assertThat(next("@monthly", "2026-12-04T00:00:00Z", UTC)).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("0 0 29 2 *", "2026-12-04T00:00:00Z", UTC)).isEqualTo("2028-02-29T00:00:00Z");
  }

  @Test
  void dayFields_eitherMatchesWhenBothAreRestricted() {
    // The 1st of the month or any Sunday: Sunday 6 December comes before 1 January.
    assertThat(next("0 0 1 * SUN", "2026-12-04T00:00:00Z", UTC)).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("0 0 1 * 7", "2026-12-04T00:00:00Z", UTC)).isEqualTo("2026-12-06T00:00:00Z");
  }

  @Test
  void timeZone_ticksOnTheZonesWallClock() {
    // 09:30 in Berlin is 08:30 UTC in winter and 07:30 UTC in summer.
    assertThat(next("30 9 * * *", "2026-12-04T12:00:00Z", BERLIN))
        .isEqualTo("2026-12-05T08:30:00Z");
    assertThat(next("30 9 * * *", "2026-07-01T12:00:00Z", BERLIN))
        .isEqualTo("2026-07-02T07:30:00Z");
  }

  @Test
  void dst_skippedLocalTimeFiresAfterTheGap_repeatedOneFiresOnce() {
    // 29 March 2026: Berlin skips 02:00-03:00; 02:30 fires at 03:30 local (01:30 UTC).
    assertThat(next("30 2 * * *", "2026-03-28T12:00:00Z", BERLIN))
        .isEqualTo("2026-03-29T01:30:00Z");
    // 25 October 2026: 02:30 happens twice; it fires at the first (00:30 UTC), then next day.
    Instant first = next("30 2 * * *", "2026-10-24T12:00:00Z", BERLIN);
    assertThat(first).isEqualTo("2026-10-25T00:30:00Z");
    assertThat(Cron.parse("30 2 * * *").next(first, BERLIN))
        .contains(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void neverFiring_hasNoNextTick() {
    assertThat(Cron.parse("0 0 30 2 *").next(Instant.parse("2026-12-04T00:00:00Z"), UTC)).isEmpty();
  }

  @Test
  void shortestInterval_seesTheDensestSpacing() {
    Instant from = Instant.parse("2026-12-04T00:00:00Z");
    assertThat(Cron.parse("* * * * *").shortestInterval(from, UTC, 2000))
        .contains(Duration.ofMinutes(1));
    assertThat(Cron.parse("0,5 3 * * *").shortestInterval(from, UTC, 2000))
        .contains(Duration.ofMinutes(5));
    assertThat(Cron.parse("0 */6 * * *").shortestInterval(from, UTC, 2000))
        .contains(Duration.ofHours(6));
    assertThat(Cron.parse("0 0 30 2 *").shortestInterval(from, UTC, 2000))
        .isEqualTo(Optional.empty());
  }

  @Test
  void malformed_isCronInvalidNamingTheField() {
    for (String bad :
        new String[] {
          "",
          "* * * *",
          "* * * * * *",
          "60 * * * *",
          "* 24 * * *",
          "* * 0 * *",
          "* * * 13 *",
          "* * * * 8",
          "*/0 * * * *",
          "5-1 * * * *",
          "a * * * *",
          "1,,2 * * * *",
          "@every_5m"
        }) {
      assertThatThrownBy(() -> Cron.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              MaestroException.class, e -> assertThat(e.code().code()).isEqualTo("cron_invalid"));
    }
    assertThatThrownBy(() -> Cron.parse("*/5 * * * * *"))
        .hasMessageContaining("seconds are not supported");
    assertThatThrownBy(() -> Cron.parse("* 25 * * *")).hasMessageContaining("hour");
  }
}
