package io.maestro.rego.builtins.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.rego.builtins.text.BuiltinHarness;
import io.maestro.rego.value.NumberValue;
import io.maestro.rego.value.Value;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeBuiltinsTest {
  private static final Instant NOW = Instant.parse("2024-01-02T03:04:05.123456789Z");
  private final BuiltinHarness h = new BuiltinHarness(new TimeBuiltins(), NOW);

  private static Value v(Object o) {
    return Value.fromJava(o);
  }

  private static Value n(long x) {
    return NumberValue.of(x);
  }

  @Test
  void nowNs_comesFromTheInjectedClock() {
    assertThat(h.call("time.now_ns")).isEqualTo(n(1704164645123456789L));
  }

  @Test
  void parseRfc3339_coversTheWholeInt64Range() {
    assertThat(h.call("time.parse_rfc3339_ns", "1677-09-21T00:12:43.145224192-00:00"))
        .isEqualTo(n(Long.MIN_VALUE));
    assertThat(h.call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775807-00:00"))
        .isEqualTo(n(Long.MAX_VALUE));
    assertThat(h.call("time.parse_rfc3339_ns", "2017-06-02T19:00:00-07:00"))
        .isEqualTo(n(1496455200000000000L));
    assertThatThrownBy(() -> h.call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775808-00:00"))
        .hasMessageContaining("time outside of valid range");
    assertThatThrownBy(() -> h.call("time.parse_rfc3339_ns", "2017-13-02T19:00:00Z"))
        .hasMessage(
            "time.parse_rfc3339_ns: parsing time \"2017-13-02T19:00:00Z\": month out of range");
    assertThatThrownBy(() -> h.call("time.parse_rfc3339_ns", "2017-06-02 19:00:00Z"))
        .hasMessage(
            "time.parse_rfc3339_ns: parsing time \"2017-06-02 19:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 19:00:00Z\" as \"T\"");
  }

  @Test
  void parseNs_acceptsGoLayoutsAndNamedConstants() {
    assertThat(h.call("time.parse_ns", "2006-01-02", "2020-02-29"))
        .isEqualTo(n(1582934400000000000L));
    assertThat(h.call("time.parse_ns", "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"))
        .isEqualTo(n(1136239445000000000L));
    assertThat(h.call("time.parse_ns", "Jan _2 3:04PM 2006", "Feb  3 4:05PM 2021"))
        .isEqualTo(h.call("time.parse_rfc3339_ns", "2021-02-03T16:05:00Z"));
    // A fraction the layout does not mention is still accepted after the seconds.
    assertThat(h.call("time.parse_ns", "2006-01-02 15:04:05", "2021-02-03 10:00:00.5"))
        .isEqualTo(h.call("time.parse_rfc3339_ns", "2021-02-03T10:00:00.5Z"));
    assertThatThrownBy(() -> h.call("time.parse_ns", "15:04:05", "10:00:00"))
        .hasMessageContaining("time outside of valid range");
    assertThatThrownBy(() -> h.call("time.parse_ns", "2006-01-02", "2021-02-29"))
        .hasMessageContaining("day out of range");
    assertThatThrownBy(() -> h.call("time.parse_ns", "2006-01-02", "2021-02-01x"))
        .hasMessageContaining(": extra text: \"x\"");
  }

  @Test
  void format_usesZonesAndLayouts() {
    long ns = 1670006453141828752L;
    assertThat(h.call("time.format", ns)).isEqualTo(v("2022-12-02T18:40:53.141828752Z"));
    assertThat(h.call("time.format", List.of(ns, "Asia/Kolkata")))
        .isEqualTo(v("2022-12-03T00:10:53.141828752+05:30"));
    assertThat(h.call("time.format", List.of(ns, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006")))
        .isEqualTo(v("Sat Dec 03 00:10:53 +0530 2022"));
    assertThat(h.call("time.format", List.of(ns, "Asia/Kolkata", "RFC1123Z")))
        .isEqualTo(v("Sat, 03 Dec 2022 00:10:53 +0530"));
    assertThat(h.call("time.format", List.of(ns, "America/New_York", "RFC1123")))
        .isEqualTo(v("Fri, 02 Dec 2022 13:40:53 EST"));
    assertThat(h.call("time.format", List.of(ns, "UTC", "Monday January 2 3:04:05.000 PM MST")))
        .isEqualTo(v("Friday December 2 6:40:53.141 PM UTC"));
    assertThatThrownBy(() -> h.call("time.format", NumberValue.parse("1.5e28")))
        .hasMessageContaining("timestamp too big");
  }

  @Test
  void calendarFields_followTheZone() {
    long ns = 1517814000L * 1_000_000_000L;
    assertThat(h.call("time.date", ns)).isEqualTo(v(List.of(2018, 2, 5)));
    assertThat(h.call("time.date", List.of(ns, "America/Los_Angeles")))
        .isEqualTo(v(List.of(2018, 2, 4)));
    assertThat(h.call("time.clock", List.of(1517832000L * 1_000_000_000L, "America/New_York")))
        .isEqualTo(v(List.of(7, 0, 0)));
    assertThat(h.call("time.weekday", 1517918400000000000L)).isEqualTo(v("Tuesday"));
  }

  @Test
  void addDate_normalisesLikeGo() {
    assertThat(h.call("time.add_date", 1585852421593912000L, 3, 9, 12))
        .isEqualTo(n(1705257221593912000L));
    assertThat(h.call("time.add_date", 1585852421593912000L, -1, -1, -1))
        .isEqualTo(n(1551465221593912000L));
    long jan31 = 1612051200000000000L; // 2021-01-31
    assertThat(h.call("time.add_date", jan31, 0, 1, 0))
        .isEqualTo(h.call("time.parse_ns", "2006-01-02", "2021-03-03"));
    assertThatThrownBy(() -> h.call("time.add_date", Long.MIN_VALUE, 0, 0, -1))
        .hasMessageContaining("time outside of valid range");
  }

  @Test
  void diff_countsCalendarUnits() {
    Value a = h.call("time.parse_ns", "2006-01-02", "2004-02-29");
    Value b = h.call("time.parse_ns", "2006-01-02", "2005-03-01");
    assertThat(h.call("time.diff", a, b)).isEqualTo(v(List.of(1, 0, 1, 0, 0, 0)));
    Value c = h.call("time.parse_ns", "2006-01-02", "2021-02-02");
    Value d = h.call("time.parse_ns", "2006-01-02", "2021-03-01");
    assertThat(h.call("time.diff", c, d)).isEqualTo(v(List.of(0, 0, 27, 0, 0, 0)));
  }

  @Test
  void parseDuration_followsGo() {
    assertThat(h.call("time.parse_duration_ns", "1h30m")).isEqualTo(n(5_400_000_000_000L));
    assertThat(h.call("time.parse_duration_ns", "-1.5us")).isEqualTo(n(-1500));
    assertThat(h.call("time.parse_duration_ns", "1.5h")).isEqualTo(n(5_400_000_000_000L));
    assertThat(h.call("time.parse_duration_ns", "300ms")).isEqualTo(n(300_000_000L));
    assertThat(h.call("time.parse_duration_ns", "0")).isEqualTo(n(0));
    assertThatThrownBy(() -> h.call("time.parse_duration_ns", "1"))
        .hasMessage("time.parse_duration_ns: time: missing unit in duration \"1\"");
    assertThatThrownBy(() -> h.call("time.parse_duration_ns", "1x"))
        .hasMessage("time.parse_duration_ns: time: unknown unit \"x\" in duration \"1x\"");
    assertThatThrownBy(() -> h.call("time.parse_duration_ns", ""))
        .hasMessage("time.parse_duration_ns: time: invalid duration \"\"");
  }
}
