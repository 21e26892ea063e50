package io.maestro.tenancy.brand;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A brand pack's typography as design tokens: font stacks and sizes, validated into a canonical
 * form that is safe to write into a stylesheet. A stack is one to six family names (letters,
 * digits, spaces and dashes) ending in a generic family, so text still shows where the named fonts
 * are not installed (the console's Content-Security-Policy loads no web font from elsewhere). Sizes
 * are bounded so that text stays readable: the base size 12-24 px (or 0.75-1.5 rem), the small size
 * 11-20 px and never larger than the base, the line height 1.2-2.
 */
public final class Typography {
  /** The tokens a pack may set, each with the CSS custom property the console reads. */
  public static final Map<String, String> TOKENS = tokens();

  private static final Set<String> GENERIC =
      Set.of(
          "serif",
          "sans-serif",
          "monospace",
          "system-ui",
          "ui-serif",
          "ui-sans-serif",
          "ui-monospace",
          "ui-rounded",
          "cursive",
          "fantasy",
          "math");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 -]{0,39}");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,2}(?:\\.\\d{1,4})?)(px|rem)");
  private static final BigDecimal PX_PER_REM = BigDecimal.valueOf(16);

  private Typography() {}

  private static Map<String, String> tokens() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("font_family", "--mc-font");
    m.put("heading_font_family", "--mc-font-heading");
    m.put("mono_font_family", "--mc-font-mono");
    m.put("font_size", "--mc-font-size");
    m.put("font_size_small", "--mc-font-size-small");
    m.put("line_height", "--mc-line-height");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Reads and validates the {@code typography} member; canonical values keyed by token. */
  public static Map<String, String> parse(JsonNode t) {
    if (t.isMissingNode() || t.isNull()) {
      return Map.of();
    }
    if (!t.isObject()) {
      throw invalid("typography is an object of design tokens " + TOKENS.keySet());
    }
    Map<String, String> out = new LinkedHashMap<>();
    t.properties()
        .forEach(
            e -> {
              String token = e.getKey();
              if (!TOKENS.containsKey(token)) {
                throw invalid("unknown typography token " + token + "; use " + TOKENS.keySet());
              }
              JsonNode v = e.getValue();
              String value =
                  switch (token) {
                    case "line_height" -> lineHeight(v);
                    case "font_size" -> size(token, v, 12, 24);
                    case "font_size_small" -> size(token, v, 11, 20);
                    default -> stack(token, v);
                  };
              out.put(token, value);
            });
    if (out.containsKey("font_size")
        && out.containsKey("font_size_small")
        && px(out.get("font_size_small")).compareTo(px(out.get("font_size"))) > 0) {
      throw invalid("font_size_small must not be larger than font_size");
    }
    return out;
  }

  /** {@code "Inter", system-ui, sans-serif}: names quoted, generic families bare. */
  static String stack(String token, JsonNode v) {
    if (!v.isTextual() || v.asText().length() > 300) {
      throw invalid(token + " is a font stack of at most 300 characters");
    }
    List<String> families = new ArrayList<>();
    for (String raw : v.asText().split(",", -1)) {
      String f = raw.strip();
      if (f.length() >= 2
          && (f.startsWith("\"") && f.endsWith("\"") || f.startsWith("'") && f.endsWith("'"))) {
        f = f.substring(1, f.length() - 1).strip();
      } else if (GENERIC.contains(f.toLowerCase(Locale.ROOT))) {
        families.add(f.toLowerCase(Locale.ROOT));
        continue;
      }
      if (!NAME.matcher(f).matches()) {
        throw invalid(
            token
                + ": font family names are 1-40 letters, digits, spaces and dashes, not "
                + raw.strip());
      }
      families.add("\"" + f + "\"");
    }
    if (families.size() > 6) {
      throw invalid(token + " names at most 6 families");
    }
    if (!GENERIC.contains(families.getLast())) {
      throw invalid(
          token + " must end with a generic family (e.g. sans-serif, serif, monospace, system-ui)");
    }
    return String.join(", ", families);
  }

  static String size(String token, JsonNode v, int minPx, int maxPx) {
    Matcher m = v.isTextual() ? SIZE.matcher(v.asText().strip()) : null;
    if (m == null || !m.matches()) {
      throw invalid(token + " is a size in px or rem, e.g. 16px or 1rem");
    }
    String value = new BigDecimal(m.group(1)).stripTrailingZeros().toPlainString() + m.group(2);
    BigDecimal px = px(value);
    if (px.compareTo(BigDecimal.valueOf(minPx)) < 0
        || px.compareTo(BigDecimal.valueOf(maxPx)) > 0) {
      throw invalid(token + " must be from " + minPx + "px to " + maxPx + "px (1rem = 16px)");
    }
    return value;
  }

  static String lineHeight(JsonNode v) {
    BigDecimal n;
    try {
      n = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText("x").strip());
    } catch (NumberFormatException e) {
      throw invalid("line_height is a number from 1.2 to 2");
    }
    if (n.compareTo(new BigDecimal("1.2")) < 0 || n.compareTo(BigDecimal.valueOf(2)) > 0) {
      throw invalid("line_height is a number from 1.2 to 2");
    }
    return n.stripTrailingZeros().toPlainString();
  }

  private static BigDecimal px(String size) {
    return size.endsWith("rem")
        ? new BigDecimal(size.substring(0, size.length() - 3)).multiply(PX_PER_REM)
        : new BigDecimal(size.substring(0, size.length() - 2));
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(TenancyErrors.BRAND_TYPOGRAPHY_INVALID, detail);
  }
}
