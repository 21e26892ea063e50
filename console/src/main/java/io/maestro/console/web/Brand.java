package io.maestro.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.console.api.ApiClient;
import io.maestro.console.api.ApiException;
import io.maestro.console.session.Me;

/**
 * The brand a signed-in user's console is drawn with: the tenant's brand pack ({@code GET
 * /api/tenants/{id}/brand}, read on every page load, so a change shows on the next one in every
 * server process), else Maestro's own. The stylesheet holds only the pack's validated {@code
 * #rrggbb} colours as the default theme's custom properties.
 */
public record Brand(String product, String logo, String css) {
  public static final Brand DEFAULT = new Brand(Page.PRODUCT, null, "");

  /** The brand of {@code me}'s tenant; Maestro's own for platform users or without a pack. */
  public static Brand of(ApiClient api, Me me) {
    if (!me.hasTenant()) {
      return DEFAULT;
    }
    try {
      // optional=true: a tenant without a pack is an answer, not a 404 — the API receipts every
      // "not found" as an attempt, which on every page load was a write per read.
      JsonNode b = api.get("/api/tenants/" + ApiClient.seg(me.tenant()) + "/brand?optional=true");
      if (!b.path("assigned").asBoolean(true)) {
        return DEFAULT;
      }
      return new Brand(
          b.path("product_name").asText(Page.PRODUCT),
          b.hasNonNull("logo") ? b.path("logo").asText() : null,
          b.path("css").asText(""));
    } catch (ApiException e) {
      return DEFAULT; // a role that may not read it
    }
  }
}
