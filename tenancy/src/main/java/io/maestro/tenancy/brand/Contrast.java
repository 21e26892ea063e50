package io.maestro.tenancy.brand;

/**
 * WCAG 2.x contrast: the relative luminance of an sRGB colour and the ratio {@code (L1 + 0.05) /
 * (L2 + 0.05)} of two colours, from 1 (same) to 21 (black on white). Level AA asks 4.5 for text.
 */
public final class Contrast {
  /** WCAG 2.x level AA for normal text. */
  public static final double AA_TEXT = 4.5;

  private Contrast() {}

  /** The contrast ratio of two {@code #rrggbb} colours. */
  public static double ratio(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * channel((rgb >> 16) & 0xff)
        + 0.7152 * channel((rgb >> 8) & 0xff)
        + 0.0722 * channel(rgb & 0xff);
  }

  private static double channel(int v) {
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
