package io.maestro.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strict JSON Schemas (draft 2020-12) of the Kubernetes API objects the chart renders, derived from
 * the Kubernetes Java client's models ({@code io.kubernetes:client-java-api}, generated from the
 * Kubernetes OpenAPI document of its release): each model is an object schema with its properties
 * (the JSON names), the API's required properties and {@code additionalProperties: false}, as
 * {@code kubectl --validate=strict} and kubeconform's strict schemas treat unknown fields. Scalars
 * keep their API types; {@code IntOrString} is an integer or a string, a {@code Quantity} a number
 * or a string in the API's quantity syntax, a {@code byte[]} (Secret data) base64 text.
 *
 * <p>Validated with networknt's JSON Schema validator, so an unknown or misspelt field, a value of
 * the wrong type and a missing required field each fail with the path of the offending value.
 */
final class KubernetesSchemas {
  /** {@code apiVersion/kind} → the API model, for the kinds the chart renders. */
  static final Map<String, Class<?>> KINDS =
      Map.of(
          "v1/ConfigMap", V1ConfigMap.class,
          "v1/Secret", V1Secret.class,
          "v1/Service", V1Service.class,
          "apps/v1/Deployment", V1Deployment.class,
          "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
          "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

  /**
   * Custom resources the chart renders whose definitions are not part of the Kubernetes API: only
   * their envelope is checked (apiVersion, kind, metadata as the API's ObjectMeta, a spec object,
   * no other top-level field). The prometheus-operator's CRD schema is not in the artifacts these
   * machines reach as data, so a ServiceMonitor's spec is not validated field by field.
   */
  static final Set<String> ENVELOPE_ONLY = Set.of("monitoring.coreos.com/v1/ServiceMonitor");

  /** resource.Quantity's serialization syntax (k8s.io/apimachinery/pkg/api/resource). */
  static final String QUANTITY =
      "^[+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
          + "|([eE][+-]?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  static final String BASE64 = "^[A-Za-z0-9+/]*={0,2}$";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

  private KubernetesSchemas() {}

  /**
   * The problems of one rendered object, each as {@code location: message}; empty when it is valid.
   * A kind without a schema here is itself a problem, so a new template cannot go unchecked.
   */
  static List<String> problems(JsonNode object) {
    String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    if (!KINDS.containsKey(key) && !ENVELOPE_ONLY.contains(key)) {
      return List.of("no Kubernetes schema for " + key);
    }
    Schema schema = COMPILED.computeIfAbsent(key, k -> REGISTRY.getSchema(schemaOf(k)));
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(object)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  /** The root schema of {@code apiVersion/kind}: its model, with apiVersion and kind pinned. */
  static ObjectNode schemaOf(String key) {
    int slash = key.lastIndexOf('/');
    ObjectNode defs = F.objectNode();
    String root;
    if (ENVELOPE_ONLY.contains(key)) {
      root = "Envelope";
      ObjectNode env = defs.putObject(root).put("type", "object");
      ObjectNode props = env.putObject("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props.set("metadata", typeOf(V1ObjectMeta.class, defs, key));
      props.putObject("spec").put("type", "object");
      env.putArray("required").add("spec");
      env.put("additionalProperties", false);
    } else {
      root = define(KINDS.get(key), defs);
    }
    ObjectNode pinned = F.objectNode();
    pinned.putObject("apiVersion").put("const", key.substring(0, slash));
    pinned.putObject("kind").put("const", key.substring(slash + 1));
    ObjectNode schema = F.objectNode();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("$ref", "#/$defs/" + root);
    schema.set("properties", pinned);
    schema.putArray("required").add("apiVersion").add("kind").add("metadata");
    schema.set("$defs", defs);
    return schema;
  }

  /** Adds the object schema of {@code model} (and of every model it refers to) to {@code defs}. */
  private static String define(Class<?> model, ObjectNode defs) {
    String name = model.getSimpleName();
    if (defs.has(name)) {
      return name;
    }
    ObjectNode def = defs.putObject(name);
    def.put("type", "object");
    ObjectNode props = def.putObject("properties");
    for (Field f : model.getDeclaredFields()) {
      SerializedName json = f.getAnnotation(SerializedName.class);
      if (json == null || Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      props.set(
          json.value(), typeOf(f.getGenericType(), defs, model.getName() + "." + f.getName()));
    }
    Set<String> required = requiredOf(model);
    if (!required.isEmpty()) {
      ArrayNode r = def.putArray("required");
      required.forEach(r::add);
    }
    def.put("additionalProperties", false);
    return name;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> requiredOf(Class<?> model) {
    try {
      return new TreeSet<>((Set<String>) model.getField("openapiRequiredFields").get(null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model.getName() + " has no openapiRequiredFields", e);
    }
  }

  private static ObjectNode typeOf(Type t, ObjectNode defs, String where) {
    if (t instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class) {
        ObjectNode s = F.objectNode().put("type", "array");
        s.set("items", typeOf(args[0], defs, where));
        return s;
      }
      if (raw == Map.class && args[0] == String.class) {
        ObjectNode s = F.objectNode().put("type", "object");
        s.set("additionalProperties", typeOf(args[1], defs, where));
        return s;
      }
      throw new IllegalStateException(where + ": no schema for " + t);
    }
    Class<?> c = (Class<?>) t;
    if (c == String.class || c == OffsetDateTime.class) {
      return F.objectNode().put("type", "string");
    }
    if (c == Integer.class || c == Long.class) {
      return F.objectNode().put("type", "integer");
    }
    if (c == Double.class || c == Float.class) {
      return F.objectNode().put("type", "number");
    }
    if (c == Boolean.class) {
      return F.objectNode().put("type", "boolean");
    }
    if (c == byte[].class) {
      return F.objectNode().put("type", "string").put("pattern", BASE64);
    }
    if (c == IntOrString.class) {
      ObjectNode s = F.objectNode();
      s.putArray("type").add("integer").add("string");
      return s;
    }
    if (c == Quantity.class) {
      ObjectNode s = F.objectNode();
      s.putArray("type").add("number").add("string");
      s.put("pattern", QUANTITY); // applies to strings only
      return s;
    }
    if (c == Object.class) {
      return F.objectNode(); // any JSON value (the API's free-form fields)
    }
    if (c.getPackageName().equals("io.kubernetes.client.openapi.models")) {
      return F.objectNode().put("$ref", "#/$defs/" + define(c, defs));
    }
    throw new IllegalStateException(where + ": no schema for " + c.getName());
  }
}
