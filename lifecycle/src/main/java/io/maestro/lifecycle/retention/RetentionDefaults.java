package io.maestro.lifecycle.retention;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a tenant's policy profile says about retention, per data class: the rule the tenant gets
 * when it sets none ({@code default_days}) and the shortest rule it may set ({@code min_days}). The
 * profile's manifest carries them under {@code settings.retention.<class>}, so the {@code
 * regulated} profile can keep receipt payloads and evidence for years while a demonstration profile
 * keeps a month; the policy refuses a tenant rule below the minimum ({@code
 * retention_below_profile_minimum}). A class the profile says nothing about is kept for good unless
 * the tenant sets a rule. The platform's {@link RetentionBounds} still apply: a default outside
 * them is moved inside.
 *
 * @param source where the defaults come from, {@code profile:<id>} (shown with each rule)
 * @param days the default rule per class, in days
 * @param minDays the profile's minimum per class, in days
 */
public record RetentionDefaults(
    String source, Map<DataClass, Integer> days, Map<DataClass, Integer> minDays) {
  public RetentionDefaults {
    days = Map.copyOf(days);
    minDays = Map.copyOf(minDays);
  }

  /** No defaults and no minimums: every class is kept for good unless the tenant says otherwise. */
  public static RetentionDefaults none(String source) {
    return new RetentionDefaults(source, Map.of(), Map.of());
  }

  /**
   * The defaults of profile {@code profile} from its {@code settings.retention} object ({@code
   * {"runs": {"default_days": 400, "min_days": 30}, …}}), within {@code bounds}. Unknown classes
   * and values that are not positive whole numbers are ignored (the profile tests refuse them
   * before a bundle is released).
   */
  public static RetentionDefaults fromProfile(
      String profile, JsonNode retention, RetentionBounds bounds) {
    Map<DataClass, Integer> d = new EnumMap<>(DataClass.class);
    Map<DataClass, Integer> min = new EnumMap<>(DataClass.class);
    for (DataClass c : DataClass.values()) {
      JsonNode rule = retention == null ? null : retention.path(c.wire());
      if (rule == null || !rule.isObject()) {
        continue;
      }
      days(rule.path("default_days")).ifPresent(v -> d.put(c, v));
      days(rule.path("min_days")).ifPresent(v -> min.put(c, v));
    }
    // A default is never below the profile's own minimum, nor outside the platform's bounds.
    d.replaceAll((c, v) -> bounded(Math.max(v, min.getOrDefault(c, 1)), bounds));
    return new RetentionDefaults("profile:" + profile, d, min);
  }

  private static int bounded(int days, RetentionBounds bounds) {
    return Math.max(bounds.minDays(), Math.min(days, bounds.maxDays().orElse(Integer.MAX_VALUE)));
  }

  private static Optional<Integer> days(JsonNode v) {
    return v.isIntegralNumber() && v.asLong() >= 1 && v.asLong() <= 36_500
        ? Optional.of(v.asInt())
        : Optional.empty();
  }

  public Optional<Integer> of(DataClass c) {
    return Optional.ofNullable(days.get(c));
  }

  /** The shortest rule the profile allows for {@code c}, if it sets one. */
  public Optional<Integer> minimum(DataClass c) {
    return Optional.ofNullable(minDays.get(c));
  }
}
