package io.maestro.tenancy.brand;

import io.maestro.core.problem.MaestroException;
import io.maestro.tenancy.TenancyErrors;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses SVG that could do more than draw: scripts, event handlers, embedded HTML, document type
 * declarations (entities) and references to anything outside the image. A logo is drawn from a
 * {@code data:} URI in an {@code img} element, where browsers run no script either; refusing keeps
 * the stored pack safe wherever else it is shown.
 */
final class SvgCheck {
  private static final Pattern ELEMENT = Pattern.compile("<\\s*([a-zA-Z][\\w:.-]*)");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("\\s([a-zA-Z_:][\\w:.-]*)\\s*=\\s*(\"[^\"]*\"|'[^']*')");
  private static final java.util.Set<String> FORBIDDEN_ELEMENTS =
      java.util.Set.of(
          "script",
          "foreignobject",
          "iframe",
          "object",
          "embed",
          "use",
          "image",
          "animate",
          "set",
          "handler",
          "listener");

  private SvgCheck() {}

  static void requireSafe(String svg) {
    String lower = svg.toLowerCase(Locale.ROOT);
    if (!lower.contains("<svg")) {
      throw unsafe("the logo is not an SVG document");
    }
    if (lower.contains("<!doctype") || lower.contains("<!entity")) {
      throw unsafe("SVG logos may not declare a document type or entities");
    }
    Matcher e = ELEMENT.matcher(svg);
    while (e.find()) {
      String name = e.group(1).toLowerCase(Locale.ROOT);
      String local = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
      if (FORBIDDEN_ELEMENTS.contains(local)) {
        throw unsafe("SVG logos may not contain <" + e.group(1) + ">");
      }
    }
    Matcher a = ATTRIBUTE.matcher(svg);
    while (a.find()) {
      String name = a.group(1).toLowerCase(Locale.ROOT);
      String value =
          a.group(2).substring(1, a.group(2).length() - 1).trim().toLowerCase(Locale.ROOT);
      if (name.startsWith("on")) {
        throw unsafe("SVG logos may not have event handlers (" + a.group(1) + ")");
      }
      if ((name.equals("href") || name.endsWith(":href")) && !value.startsWith("#")) {
        throw unsafe("SVG logos may only link inside themselves (" + a.group(1) + ")");
      }
      if (value.contains("javascript:") || value.contains("url(") && !value.contains("url(#")) {
        throw unsafe("SVG logos may not load anything (" + a.group(1) + ")");
      }
    }
    if (lower.contains("<style") || lower.contains("@import")) {
      throw unsafe("SVG logos may not carry style sheets; use presentation attributes");
    }
  }

  private static MaestroException unsafe(String detail) {
    return MaestroException.of(TenancyErrors.BRAND_LOGO_UNSAFE, detail);
  }
}
