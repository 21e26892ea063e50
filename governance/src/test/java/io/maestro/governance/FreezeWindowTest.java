package io.maestro.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreezeWindowTest {
  static FreezeWindow weekly(String from, String to, String zone) {
    return new FreezeWindow(
        "fz-1",
        "acme",
        FreezeWindow.Kind.WEEKLY,
        Optional.empty(),
        Optional.empty(),
        from,
        to,
        ZoneId.of(zone),
        "",
        "ada",
        Instant.EPOCH);
  }

  static FreezeWindow once(String from, String to) {
    return new FreezeWindow(
        "fz-2",
        "acme",
        FreezeWindow.Kind.ONCE,
        Optional.of(Instant.parse(from)),
        Optional.of(Instant.parse(to)),
        "",
        "",
        ZoneId.of("UTC"),
        "",
        "ada",
        Instant.EPOCH);
  }

  @Test
  void weeklyWindow_spansTheWeekendInItsZone() {
    FreezeWindow w = weekly("FRI 16:00", "MON 08:00", "America/Denver");
    // Friday 2026-12-04 16:30 in Denver (MST, UTC-7) is 23:30 UTC.
    assertThat(w.activeAt(Instant.parse("2026-12-04T23:30:00Z"))).isPresent();
    assertThat(w.activeAt(Instant.parse("2026-12-04T23:30:00Z")).get().end())
        .isEqualTo(Instant.parse("2026-12-07T15:00:00Z"));
    // Friday 15:30 Denver is before the window; Monday 08:30 after.
    assertThat(w.activeAt(Instant.parse("2026-12-04T22:30:00Z"))).isEmpty();
    assertThat(w.activeAt(Instant.parse("2026-12-07T15:30:00Z"))).isEmpty();
    // Sunday is inside.
    assertThat(w.activeAt(Instant.parse("2026-12-06T12:00:00Z"))).isPresent();
  }

  @Test
  void weeklyWindow_followsDaylightSavingTime() {
    FreezeWindow w = weekly("FRI 16:00", "MON 08:00", "America/Denver");
    // In July Denver is on MDT (UTC-6): Friday 16:00 is 22:00 UTC.
    assertThat(w.activeAt(Instant.parse("2026-07-10T22:30:00Z"))).isPresent();
    assertThat(w.activeAt(Instant.parse("2026-07-10T21:30:00Z"))).isEmpty();
  }

  @Test
  void onceWindow_isActiveOnlyInItsSpan() {
    FreezeWindow w = once("2026-12-24T00:00:00Z", "2026-12-27T00:00:00Z");
    assertThat(w.activeAt(Instant.parse("2026-12-25T00:00:00Z"))).isPresent();
    assertThat(w.activeAt(Instant.parse("2026-12-27T00:00:00Z"))).isEmpty();
  }

  @Test
  void overlap_betweenWeeklyAndOnceWindows() {
    Instant now = Instant.parse("2026-12-03T18:00:00Z");
    FreezeWindow weekend = weekly("FRI 16:00", "MON 08:00", "America/Denver");
    assertThat(Freezes.overlaps(weekend, once("2026-12-05T00:00:00Z", "2026-12-05T01:00:00Z"), now))
        .isTrue();
    assertThat(Freezes.overlaps(weekend, once("2026-12-08T00:00:00Z", "2026-12-08T01:00:00Z"), now))
        .isFalse();
    assertThat(Freezes.overlaps(weekend, weekly("TUE 10:00", "WED 10:00", "UTC"), now)).isFalse();
    assertThat(Freezes.overlaps(weekend, weekly("SUN 10:00", "SUN 11:00", "Europe/Berlin"), now))
        .isTrue();
  }

  @Test
  void weeklyTime_rejectsNonsense() {
    assertThatThrownBy(() -> FreezeWindow.WeeklyTime.parse("FUNDAY 16:00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FreezeWindow.WeeklyTime.parse("FRI 25:00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FreezeWindow.WeeklyTime.parse("fri 16:00").toString()).isEqualTo("FRI 16:00");
  }
}
