package io.maestro.cli.workflows;

import static io.maestro.cli.client.Paths.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maestro.cli.UserError;
import io.maestro.cli.client.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;

/** Saves and publishes a manifest's version unless it is already published. */
public final class Publisher {
  private Publisher() {}

  /** A manifest's identity, read without validating (the server validates). */
  public record Ref(String name, String version) {
    @Override
    public String toString() {
      return name + "@" + version;
    }
  }

  /** Reads metadata.name/version (or the minimal form's name/version) without validating. */
  public static Ref ref(String text) {
    JsonNode doc;
    try {
      doc = new YAMLMapper().readTree(text);
    } catch (IOException e) {
      throw new UserError(
          "the file is not YAML or JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (doc == null || !doc.isObject()) {
      throw new UserError("the manifest needs metadata.name and metadata.version");
    }
    JsonNode md = doc.has("metadata") ? doc.path("metadata") : doc;
    String name = md.path("name").asText("");
    String version = md.path("version").asText("");
    if (name.isEmpty() || version.isEmpty()) {
      throw new UserError("the manifest needs metadata.name and metadata.version");
    }
    return new Ref(name, version);
  }

  /**
   * Makes sure the manifest's version is published: nothing when it already is; otherwise saves it
   * and publishes it (which needs the right to publish), saying so on {@code err}.
   *
   * @return the published version as the server describes it
   */
  public static JsonNode ensurePublished(
      ApiClient api, Ref ref, String text, boolean json, PrintWriter err) {
    ApiClient.Reply wf = api.get("/api/workflows/" + enc(ref.name()));
    if (wf.ok()) {
      for (JsonNode v : wf.body().path("versions")) {
        if (v.path("version").asText().equals(ref.version())
            && "PUBLISHED".equals(v.path("status").asText())) {
          return v;
        }
      }
    }
    String path = "/api/workflows/" + enc(ref.name()) + "/versions/" + enc(ref.version());
    ApiClient.Reply put = api.putText(path, text, json ? "application/json" : "application/yaml");
    if (!put.ok()) {
      throw new UserError("cannot save " + ref + ": " + put.problem());
    }
    if ("PUBLISHED".equals(put.body().path("status").asText())) {
      return put.body();
    }
    ApiClient.Reply pub = api.post(path + "/publish", null);
    if (!pub.ok()) {
      throw new UserError(ref + " is not published and you may not publish it: " + pub.problem());
    }
    err.println("published " + ref + " (" + pub.body().path("digest").asText() + ")");
    err.flush();
    return pub.body();
  }
}
