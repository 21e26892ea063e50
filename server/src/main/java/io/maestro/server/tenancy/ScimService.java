package io.maestro.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.server.auth.Governed;
import io.maestro.server.http.ApiService;
import io.maestro.server.http.HttpJson;
import io.maestro.server.http.Route;
import io.maestro.server.http.ScimErrors;
import io.maestro.tenancy.scim.ScimAccounts;
import io.maestro.tenancy.scim.ScimAccounts.Account;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SCIM 2.0 (RFC 7643/7644) for identity providers: {@code /scim/v2/Users} are the tenant's members
 * (create, read, list with an {@code eq} filter, replace, patch — {@code active: false} deactivates
 * — and delete), {@code /scim/v2/Groups} are the tenant roles, whose membership is a user's role.
 * The provider calls with a tenant administrator's token (a service token of the tenant); every
 * route passes the policy gate as {@code member.read}, {@code member.write} or {@code
 * member.remove}, and every membership change is a {@code member.changed} receipt.
 */
public final class ScimService implements ApiService {
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
  static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String BASE = "/scim/v2";

  private static final Pattern FILTER =
      Pattern.compile(
          "\\s*(userName|externalId|displayName|active)\\s+eq\\s+(\"((?:[^\"\\\\]|\\\\.)*)\"|true|false)\\s*",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MEMBER_PATH =
      Pattern.compile("members\\[value eq \"((?:[^\"\\\\]|\\\\.)*)\"]", Pattern.CASE_INSENSITIVE);

  private final ScimAccounts accounts;

  public ScimService(ScimAccounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(BASE + "/ServiceProviderConfig", "member.read", this::config),
        Route.get(BASE + "/Users", "member.read", this::listUsers),
        Route.post(BASE + "/Users", "member.write", this::createUser),
        Route.get(BASE + "/Users/{id}", "member.read", this::getUser),
        Route.put(BASE + "/Users/{id}", "member.write", this::replaceUser),
        Route.patch(BASE + "/Users/{id}", "member.write", this::patchUser),
        Route.delete(BASE + "/Users/{id}", "member.remove", this::deleteUser),
        Route.get(BASE + "/Groups", "member.read", this::listGroups),
        Route.get(BASE + "/Groups/{id}", "member.read", this::getGroup),
        Route.patch(BASE + "/Groups/{id}", "member.write", this::patchGroup));
  }

  private void config(ServerRequest req, ServerResponse res) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
    o.putObject("patch").put("supported", true);
    o.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
    o.putObject("filter").put("supported", true).put("maxResults", 1000);
    o.putObject("changePassword").put("supported", false);
    o.putObject("sort").put("supported", false);
    o.putObject("etag").put("supported", false);
    o.putArray("authenticationSchemes")
        .addObject()
        .put("type", "oauthbearertoken")
        .put("name", "Bearer token")
        .put("description", "A tenant administrator's token of the tenant provisioned");
    send(res, Status.OK_200, o);
  }

  private void listUsers(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Predicate<Account> filter = userFilter(filterParam(req));
    List<ObjectNode> users = new ArrayList<>();
    for (Account a : accounts.list(g.scope(), g.requireTenant())) {
      if (filter.test(a)) {
        users.add(user(a));
      }
    }
    send(res, Status.OK_200, page(req, users));
  }

  private void getUser(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    send(res, Status.OK_200, user(accounts.get(g.scope(), g.requireTenant(), id(req))));
  }

  private void createUser(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    String userName =
        text(body, "userName").orElseThrow(() -> invalid("userName is required", "invalidValue"));
    Account a =
        accounts.create(
            g.actor(),
            g.decision(),
            g.scope(),
            g.requireTenant(),
            userName,
            text(body, "externalId"),
            displayName(body),
            active(body));
    send(res, Status.CREATED_201, user(a));
  }

  private void replaceUser(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    JsonNode body = HttpJson.read(req);
    String id = id(req);
    Optional<String> userName = text(body, "userName");
    if (userName.isPresent() && !userName.get().equals(id)) {
      throw invalid("userName cannot change (it is the member's subject)", "mutability");
    }
    send(
        res,
        Status.OK_200,
        user(
            accounts.update(
                g.actor(),
                g.decision(),
                g.scope(),
                g.requireTenant(),
                id,
                text(body, "externalId"),
                displayName(body),
                Optional.of(active(body)))));
  }

  /**
   * {@code replace} or {@code add} of {@code active}, {@code externalId}, {@code displayName}, with
   * a path or as a value object (Okta sends {@code {"op":"replace","value":{"active":false}}},
   * Entra ID {@code {"op":"Replace","path":"active","value":"False"}}). Attributes this server does
   * not keep — {@code name.*}, {@code emails[…]}, phone numbers, the enterprise extension — are
   * accepted and ignored, since providers send them with every update; identity ({@code userName},
   * {@code id}) and read-only attributes ({@code groups}, {@code meta}) are refused as {@code
   * mutability}.
   */
  private void patchUser(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    Optional<Boolean> active = Optional.empty();
    Optional<String> externalId = Optional.empty();
    Optional<String> displayName = Optional.empty();
    String id = id(req);
    for (JsonNode op : operations(HttpJson.read(req))) {
      String verb = op.path("op").asText().toLowerCase(Locale.ROOT);
      if (verb.equals("remove") && op.hasNonNull("path") && !kept(op.path("path").asText())) {
        continue; // nothing kept, nothing to remove
      }
      if (!verb.equals("replace") && !verb.equals("add")) {
        throw invalid("users take replace or add operations, not " + verb, "invalidSyntax");
      }
      JsonNode value = op.path("value");
      JsonNode changes =
          op.hasNonNull("path")
              ? (JsonNode) HttpJson.MAPPER.createObjectNode().set(op.path("path").asText(), value)
              : value;
      if (!changes.isObject()) {
        throw invalid("a replace without a path needs an object value", "invalidValue");
      }
      for (var it = changes.properties().iterator(); it.hasNext(); ) {
        var e = it.next();
        switch (e.getKey()) {
          case "active" -> active = Optional.of(bool(e.getValue()));
          case "externalId" -> externalId = Optional.of(e.getValue().asText());
          case "displayName" -> displayName = Optional.of(e.getValue().asText());
          case "userName" -> {
            if (!e.getValue().asText().equalsIgnoreCase(id)) {
              throw invalid("userName cannot change (it is the member's subject)", "mutability");
            }
          }
          case "id", "groups", "meta", "schemas" ->
              throw invalid(e.getKey() + " of a user is read-only here", "mutability");
          default -> {
            // Not kept by this server (names, emails, phone numbers, extensions): ignored.
          }
        }
      }
    }
    send(
        res,
        Status.OK_200,
        user(
            accounts.update(
                g.actor(),
                g.decision(),
                g.scope(),
                g.requireTenant(),
                id,
                externalId,
                displayName,
                active)));
  }

  /** Whether a PATCH path names an attribute this server keeps for a user. */
  private static boolean kept(String path) {
    return switch (path) {
      case "active", "externalId", "displayName", "userName", "id", "groups" -> true;
      default -> false;
    };
  }

  /** {@code active} of a created or replaced user: true unless the body says otherwise. */
  private static boolean active(JsonNode body) {
    return !body.hasNonNull("active") || bool(body.path("active"));
  }

  private void deleteUser(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    accounts.delete(g.actor(), g.decision(), g.scope(), g.requireTenant(), id(req));
    res.status(Status.NO_CONTENT_204).send();
  }

  private void listGroups(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String f = filterParam(req);
    Optional<String> only = Optional.empty();
    if (!f.isBlank()) {
      Matcher m = FILTER.matcher(f);
      if (!m.matches() || !m.group(1).equalsIgnoreCase("displayName") || m.group(3) == null) {
        throw MaestroException.of(
            ScimAccounts.SCIM_INVALID_FILTER, "groups filter on displayName eq \"…\" only");
      }
      only = Optional.of(m.group(3));
    }
    List<Account> all = accounts.list(g.scope(), g.requireTenant());
    List<ObjectNode> groups = new ArrayList<>();
    boolean withMembers = !excludesMembers(req);
    for (String role : ScimAccounts.GROUPS) {
      if (only.isEmpty() || only.get().equals(role)) {
        ObjectNode group = group(role, all);
        if (!withMembers) {
          group.remove("members");
        }
        groups.add(group);
      }
    }
    send(res, Status.OK_200, page(req, groups));
  }

  private void getGroup(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    String role = id(req);
    ScimAccounts.requireGroup(role);
    ObjectNode group = group(role, accounts.list(g.scope(), g.requireTenant()));
    if (excludesMembers(req)) {
      group.remove("members");
    }
    send(res, Status.OK_200, group);
  }

  /**
   * Entra ID reads groups with {@code excludedAttributes=members} (RFC 7644 §3.9) so a large group
   * is not sent whole.
   */
  private static boolean excludesMembers(ServerRequest req) {
    for (String a : req.query().first("excludedAttributes").asOptional().orElse("").split(",")) {
      if (a.strip().equalsIgnoreCase("members")) {
        return true;
      }
    }
    return false;
  }

  /** {@code add}/{@code remove} of {@code members} ({@code members[value eq "…"]} too). */
  private void patchGroup(ServerRequest req, ServerResponse res) {
    Governed g = Governed.of(req);
    TenantId tenant = g.requireTenant();
    String role = id(req);
    ScimAccounts.requireGroup(role);
    for (JsonNode op : operations(HttpJson.read(req))) {
      String verb = op.path("op").asText().toLowerCase(Locale.ROOT);
      String path = op.path("path").asText("members");
      List<String> subjects = new ArrayList<>();
      Matcher one = MEMBER_PATH.matcher(path);
      if (one.matches()) {
        subjects.add(one.group(1));
      } else if (path.equals("members")) {
        op.path("value").forEach(v -> subjects.add(v.path("value").asText()));
      } else {
        throw invalid("groups change their members only", "invalidPath");
      }
      boolean remove =
          switch (verb) {
            case "add" -> false;
            case "remove" -> true;
            default -> throw invalid("groups take add or remove, not " + verb, "invalidSyntax");
          };
      for (String s : subjects) {
        accounts.group(g.actor(), g.decision(), g.scope(), tenant, role, s, remove);
      }
    }
    send(res, Status.OK_200, group(role, accounts.list(g.scope(), tenant)));
  }

  private static List<JsonNode> operations(JsonNode body) {
    if (!body.path("schemas").toString().contains(PATCH_SCHEMA)
        || !body.path("Operations").isArray()) {
      throw invalid("a PATCH body is a PatchOp with Operations", "invalidSyntax");
    }
    List<JsonNode> ops = new ArrayList<>();
    body.path("Operations").forEach(ops::add);
    return ops;
  }

  /**
   * The {@code filter} parameter, with a {@code +} outside quotes read as the space it stands for
   * in form encoding ({@code userName+eq+"x"}, as Entra ID sends it).
   */
  private static String filterParam(ServerRequest req) {
    String f = req.query().first("filter").asOptional().orElse("");
    StringBuilder out = new StringBuilder(f.length());
    boolean quoted = false;
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '"' && (i == 0 || f.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      }
      out.append(c == '+' && !quoted ? ' ' : c);
    }
    return out.toString();
  }

  private static Predicate<Account> userFilter(String f) {
    if (f.isBlank()) {
      return a -> true;
    }
    Matcher m = FILTER.matcher(f);
    if (!m.matches()) {
      throw MaestroException.of(
          ScimAccounts.SCIM_INVALID_FILTER,
          "supported: userName, externalId, displayName or active, eq, and a value");
    }
    String attr = m.group(1).toLowerCase(Locale.ROOT);
    String value = m.group(3) != null ? m.group(3).replace("\\\"", "\"") : m.group(2);
    return switch (attr) {
      // userName is case-insensitive in SCIM (RFC 7643 4.1.1).
      case "username" -> a -> a.subject().equalsIgnoreCase(value);
      case "externalid" -> a -> a.externalId().map(value::equals).orElse(false);
      case "displayname" -> a -> a.displayName().map(value::equals).orElse(false);
      default -> a -> Boolean.toString(a.active()).equals(value);
    };
  }

  private static ObjectNode page(ServerRequest req, List<ObjectNode> all) {
    int start = Math.max(1, intParam(req, "startIndex", 1));
    int count = Math.max(0, Math.min(1000, intParam(req, "count", 1000)));
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.putArray("schemas").add(LIST_SCHEMA);
    o.put("totalResults", all.size());
    o.put("startIndex", start);
    ArrayNode items = o.putArray("Resources");
    all.stream().skip(start - 1L).limit(count).forEach(items::add);
    o.put("itemsPerPage", items.size());
    return o;
  }

  private static int intParam(ServerRequest req, String name, int def) {
    String v = req.query().first(name).asOptional().orElse("");
    try {
      return v.isBlank() ? def : Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw invalid(name + " must be a whole number", "invalidValue");
    }
  }

  static ObjectNode user(Account a) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.putArray("schemas").add(USER_SCHEMA);
    o.put("id", a.subject());
    o.put("userName", a.subject());
    a.externalId().ifPresent(x -> o.put("externalId", x));
    a.displayName().ifPresent(x -> o.put("displayName", x));
    o.put("active", a.active());
    o.putArray("groups").addObject().put("value", a.role()).put("display", a.role());
    ObjectNode meta = o.putObject("meta");
    meta.put("resourceType", "User");
    meta.put("created", a.created().toString());
    meta.put("lastModified", a.updated().toString());
    meta.put("location", BASE + "/Users/" + enc(a.subject()));
    return o;
  }

  static ObjectNode group(String role, List<Account> all) {
    ObjectNode o = HttpJson.MAPPER.createObjectNode();
    o.putArray("schemas").add(GROUP_SCHEMA);
    o.put("id", role);
    o.put("displayName", role);
    ArrayNode members = o.putArray("members");
    all.stream()
        .filter(a -> a.role().equals(role))
        .forEach(
            a ->
                members
                    .addObject()
                    .put("value", a.subject())
                    .put("display", a.subject())
                    .put("$ref", BASE + "/Users/" + enc(a.subject())));
    o.putObject("meta").put("resourceType", "Group").put("location", BASE + "/Groups/" + role);
    return o;
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode v = body.path(field);
    return v.isTextual() && !v.asText().isBlank()
        ? Optional.of(v.asText().strip())
        : Optional.empty();
  }

  private static Optional<String> displayName(JsonNode body) {
    return text(body, "displayName").or(() -> text(body.path("name"), "formatted"));
  }

  /** SCIM providers send booleans, and some send them as strings ("False"). */
  private static boolean bool(JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String s = v.asText().strip().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s.equals("true");
    }
    throw invalid("active is true or false", "invalidValue");
  }

  private static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** SCIM's own media type (RFC 7644 §8.1) on every answer, as on its errors. */
  private static void send(ServerResponse res, Status status, ObjectNode body) {
    try {
      byte[] bytes = HttpJson.MAPPER.writeValueAsBytes(body);
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, ScimErrors.CONTENT_TYPE);
      res.send(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static MaestroException invalid(String detail, String scimType) {
    return new MaestroException(
        ScimAccounts.SCIM_INVALID, detail, java.util.Map.of("scimType", scimType), false, null);
  }
}
