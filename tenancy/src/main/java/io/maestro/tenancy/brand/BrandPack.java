package io.maestro.tenancy.brand;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A white-label brand pack: the product name a partner's users see, an optional logo (PNG or SVG,
 * as a {@code data:} URI, at most {@value #MAX_LOGO_BYTES} bytes), colours as design tokens ({@code
 * #rrggbb}) and typography as design tokens (font stacks and sizes, see {@link Typography}). Tokens
 * a pack leaves out keep the console's default theme. Validated when read ({@link #parse}): unknown
 * members, malformed colours, oversized logos and SVG that could run script or load anything are
 * refused with a stable code.
 */
public record BrandPack(
    String id,
    String name,
    String productName,
    Optional<Logo> logo,
    Map<String, String> colors,
    Map<String, String> typography) {

  /** The largest logo accepted, decoded. */
  public static final int MAX_LOGO_BYTES = 64 * 1024;

  /** The console's default theme: the colours a pack may override, with their default values. */
  public static final Map<String, String> DEFAULT_COLORS = defaults();

  /**
   * Pairs of (text, background) tokens the console draws text with; each must reach WCAG AA ({@link
   * Contrast#AA_TEXT}).
   */
  public static final List<List<String>> TEXT_PAIRS =
      List.of(
          List.of("fg", "bg"),
          List.of("muted", "bg"),
          List.of("accent", "bg"),
          List.of("accent_fg", "accent"),
          List.of("banner_fg", "banner_bg"),
          List.of("danger", "bg"));

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");
  private static final List<String> MEMBERS =
      List.of("name", "product_name", "logo", "colors", "typography");

  /** A logo: its media type and bytes. */
  public record Logo(String mediaType, byte[] bytes) {
    public String dataUri() {
      return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }
  }

  public BrandPack {
    colors = Map.copyOf(colors);
    typography = Map.copyOf(typography);
  }

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bg", "#ffffff");
    m.put("fg", "#1b1f24");
    m.put("muted", "#57606a");
    m.put("accent", "#0b5cad");
    m.put("accent_fg", "#ffffff");
    m.put("banner_bg", "#14213d");
    m.put("banner_fg", "#ffffff");
    m.put("danger", "#b3261e");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Whether {@code id} is a valid pack id (lower-case letters, digits, dashes; 1-63). */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Reads and validates a pack document; any defect is a {@link MaestroException}. */
  public static BrandPack parse(String id, JsonNode doc) {
    if (!validId(id)) {
      throw invalid("a brand pack id is 1-63 lower-case letters, digits and dashes");
    }
    if (doc == null || !doc.isObject()) {
      throw invalid("a brand pack is a JSON object");
    }
    doc.fieldNames()
        .forEachRemaining(
            f -> {
              if (!MEMBERS.contains(f)) {
                throw invalid("unknown member " + f + "; a brand pack has " + MEMBERS);
              }
            });
    String name = text(doc, "name", 100);
    String product = text(doc, "product_name", 60);
    Map<String, String> colors = new LinkedHashMap<>();
    JsonNode c = doc.path("colors");
    if (!c.isMissingNode()) {
      if (!c.isObject()) {
        throw invalid("colors is an object of design tokens");
      }
      c.properties()
          .forEach(
              e -> {
                if (!DEFAULT_COLORS.containsKey(e.getKey())) {
                  throw invalid(
                      "unknown colour token " + e.getKey() + "; use " + DEFAULT_COLORS.keySet());
                }
                String v = e.getValue().asText("");
                if (!e.getValue().isTextual() || !HEX.matcher(v).matches()) {
                  throw MaestroException.of(
                      TenancyErrors.BRAND_COLOR_INVALID,
                      "colour " + e.getKey() + " must be #rrggbb, not " + e.getValue());
                }
                colors.put(e.getKey(), v.toLowerCase(Locale.ROOT));
              });
    }
    Optional<Logo> logo =
        doc.hasNonNull("logo") ? Optional.of(logo(doc.path("logo"))) : Optional.empty();
    return new BrandPack(id, name, product, logo, colors, Typography.parse(doc.path("typography")));
  }

  private static String text(JsonNode doc, String member, int max) {
    JsonNode v = doc.path(member);
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
      throw invalid(member + " is required: text of 1-" + max + " characters");
    }
    return v.asText().strip();
  }

  private static Logo logo(JsonNode v) {
    String uri = v.asText("");
    int comma = uri.indexOf(',');
    if (!v.isTextual() || !uri.startsWith("data:") || comma < 0) {
      throw invalid("logo is a data: URI (data:image/png;base64,… or data:image/svg+xml;base64,…)");
    }
    String head = uri.substring(5, comma);
    String type =
        switch (head) {
          case "image/png;base64" -> "image/png";
          case "image/svg+xml;base64" -> "image/svg+xml";
          default -> throw invalid("logo must be image/png or image/svg+xml, base64-encoded");
        };
    String body = uri.substring(comma + 1);
    if (body.length() > (MAX_LOGO_BYTES / 3 + 1) * 4 + 4) {
      throw tooLarge();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw invalid("logo is not valid base64");
    }
    if (bytes.length > MAX_LOGO_BYTES) {
      throw tooLarge();
    }
    if (type.equals("image/png")) {
      byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
      if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 8, magic, 0, 8)) {
        throw invalid("logo is not a PNG image");
      }
    } else {
      SvgCheck.requireSafe(new String(bytes, StandardCharsets.UTF_8));
    }
    return new Logo(type, bytes);
  }

  private static MaestroException tooLarge() {
    return MaestroException.of(
        TenancyErrors.BRAND_LOGO_TOO_LARGE, "a logo may have at most " + MAX_LOGO_BYTES + " bytes");
  }

  private static MaestroException invalid(String detail) {
    return MaestroException.of(TenancyErrors.BRAND_PACK_INVALID, detail);
  }

  /** The pack's colour for {@code token}, or the default theme's. */
  public String color(String token) {
    return colors.getOrDefault(token, DEFAULT_COLORS.get(token));
  }

  /** One text/background pair and its contrast ratio (rounded down to two decimals). */
  public record Pair(String text, String background, double ratio) {}

  /** Every text pair with its contrast ratio under this pack's colours. */
  public List<Pair> contrast() {
    List<Pair> out = new ArrayList<>();
    for (List<String> p : TEXT_PAIRS) {
      double r = Contrast.ratio(color(p.get(0)), color(p.get(1)));
      out.add(new Pair(p.get(0), p.get(1), Math.floor(r * 100) / 100));
    }
    return List.copyOf(out);
  }

  /** The pack as stored and served (canonical member names, colours lower-case). */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", id);
    o.put("name", name);
    o.put("product_name", productName);
    logo.ifPresent(l -> o.put("logo", l.dataUri()));
    ObjectNode c = o.putObject("colors");
    new java.util.TreeMap<>(colors).forEach(c::put);
    if (!typography.isEmpty()) {
      ObjectNode t = o.putObject("typography");
      new java.util.TreeMap<>(typography).forEach(t::put);
    }
    return o;
  }

  /**
   * The console's stylesheet for this pack: the default theme's custom properties overridden by the
   * pack's colours and typography. Values are validated hex colours and canonical typography tokens
   * (quoted family names of letters, digits, spaces and dashes; sizes; a number), so nothing else
   * reaches the CSS.
   */
  public String css() {
    StringBuilder b = new StringBuilder(":root {\n");
    new java.util.TreeMap<>(colors)
        .forEach(
            (k, v) ->
                b.append("  --mc-")
                    .append(k.replace('_', '-'))
                    .append(": ")
                    .append(v)
                    .append(";\n"));
    Typography.TOKENS.forEach(
        (token, property) -> {
          if (typography.containsKey(token)) {
            b.append("  ")
                .append(property)
                .append(": ")
                .append(typography.get(token))
                .append(";\n");
          }
        });
    return b.append("}\n").toString();
  }
}
