package io.maestro.console.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Renders the precompiled templates (generated from src/main/jte at build time). */
public final class Views {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private Views() {}

  public static void render(
      ServerResponse res, Status status, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, params, out);
    SecurityHeaders.apply(res);
    SecurityHeaders.noStore(res);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.send(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static void redirect(ServerResponse res, String location) {
    SecurityHeaders.apply(res);
    res.status(Status.SEE_OTHER_303);
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }
}
