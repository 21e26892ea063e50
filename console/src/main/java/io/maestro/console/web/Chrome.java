package io.maestro.console.web;

import io.maestro.console.api.ApiException;
import io.maestro.console.session.Me;
import java.util.List;

/**
 * What the layout around every page needs: the title, who is signed in (absent on the sign-in
 * page), the CSRF token for its forms, the navigation and which item is current, and a flash
 * message (the receipt an action produced, or the refusal).
 */
public record Chrome(
    String title,
    Me me,
    String csrf,
    List<Nav> nav,
    String active,
    Flash flash,
    String product,
    String logo) {

  /** A navigation item; only views whose API exists get one. */
  public record Nav(String key, String label, String href) {}

  /** A one-line outcome shown at the top of the page. */
  public record Flash(boolean ok, String text, String receipt) {
    /** The API's refusal as it gave it: message, stable code and the deciding decision. */
    public static Flash refused(ApiException e) {
      return new Flash(
          false,
          "Refused: " + e.getMessage() + " (" + e.code() + ")",
          e.decisionId().isEmpty() ? null : "decision " + e.decisionId());
    }
  }

  public boolean signedIn() {
    return me != null;
  }

  public boolean current(String key) {
    return key.equals(active);
  }

  public Chrome withFlash(Flash f) {
    return new Chrome(title, me, csrf, nav, active, f, product, logo);
  }
}
