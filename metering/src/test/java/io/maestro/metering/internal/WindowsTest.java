package io.maestro.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowsTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void split_thirtyDayWindowWithRaggedEdges_usesDaysInTheMiddle() {
    Instant from = T0.plus(Duration.ofHours(13)).plus(Duration.ofMinutes(7));
    Instant to = from.plus(Duration.ofDays(30));
    List<Windows.Segment> segments = Windows.split(from, to);
    assertThat(segments)
        .extracting(s -> s.level() + " " + s.from() + " " + s.to())
        .containsExactly(
            "MINUTE 2026-11-01T13:07:00Z 2026-11-01T14:00:00Z",
            "HOUR 2026-11-01T14:00:00Z 2026-11-02T00:00:00Z",
            "DAY 2026-11-02T00:00:00Z 2026-12-01T00:00:00Z",
            "HOUR 2026-12-01T00:00:00Z 2026-12-01T13:00:00Z",
            "MINUTE 2026-12-01T13:00:00Z 2026-12-01T13:07:00Z");
  }

  @Test
  void split_shortWindowAcrossMidnight_splitsAtMidnight() {
    Instant from = T0.plus(Duration.ofHours(22)).plus(Duration.ofMinutes(30));
    List<Windows.Segment> segments = Windows.split(from, from.plus(Duration.ofHours(4)));
    assertThat(segments)
        .extracting(s -> s.level() + " " + s.from() + " " + s.to())
        .containsExactly(
            "MINUTE 2026-11-01T22:30:00Z 2026-11-01T23:00:00Z",
            "HOUR 2026-11-01T23:00:00Z 2026-11-02T00:00:00Z",
            "HOUR 2026-11-02T00:00:00Z 2026-11-02T02:00:00Z",
            "MINUTE 2026-11-02T02:00:00Z 2026-11-02T02:30:00Z");
  }

  /**
   * For random windows, the segments are aligned to their level, tile the window exactly, and an
   * hour or minute segment stays within one day.
   */
  @Test
  void split_segmentsAreAlignedAndTileTheWindow() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      Instant from = T0.plus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
      Instant to = from.plus(Duration.ofMinutes(1 + random.nextInt(4 * 24 * 60)));
      List<Windows.Segment> segments = Windows.split(from, to);
      Instant cursor = from;
      for (Windows.Segment s : segments) {
        assertThat(s.from()).isEqualTo(cursor);
        assertThat(s.from()).isBefore(s.to());
        assertThat(s.level().floor(s.from())).isEqualTo(s.from());
        assertThat(s.level().floor(s.to())).isEqualTo(s.to());
        if (s.level() != Level.DAY) {
          Instant day = Windows.dayOf(s).orElseThrow();
          assertThat(Level.DAY.floor(s.from())).isEqualTo(day);
          assertThat(s.to()).as("within its day").isBeforeOrEqualTo(day.plus(Duration.ofDays(1)));
        }
        cursor = s.to();
      }
      assertThat(cursor).isEqualTo(to);
      assertThat(segments).hasSizeLessThanOrEqualTo(5);
    }
  }
}
