package com.connectbest.chat.app;

import com.connectbest.chat.gateway.ContractPatterns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Random values that satisfy a JSON schema of openapi.yaml, for property tests: every keyword the contract uses
 * (types and type lists, enum, const, oneOf/anyOf/allOf, properties and required, min/max lengths, items and
 * numbers' bounds) is honoured, boundaries are drawn often, and strings come from an alphabet that mixes scripts,
 * white space, control characters, punctuation and emoji. A string with a pattern or format is drawn from a set of
 * shapes (free text, hex ids, conversation ids, e-mails, URLs, digit runs, codes, file names, passwords, phone
 * numbers, the schema's examples) and kept only when the schema accepts it, so that no shape is trusted blindly.
 * Seeded: a failure reproduces.
 */
final class ContractValues {

  private static final String ALPHABET = "abcxyzABCXYZéßÆ李한Ωд0123456789    \t\n-'_.,@/:#?%+()!~😀\u0001\u00a0\u0301\u200b";
  private static final int[] CODE_POINTS = ALPHABET.codePoints().toArray();
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("app://");

  private final Random random;
  private final JsonObject components;
  private final Map<String, Validator> validators = new HashMap<>();
  private final List<Supplier<String>> shapes;
  /** Ids of real resources: drawn often for id-like strings, so that requests get past their 404s. */
  private final List<String> known = new ArrayList<>();

  ContractValues(long seed, JsonObject rawContract) {
    random = new Random(seed);
    // patterns with the meaning the gateway gives them (ECMA-262's final $), so "valid" here is valid there
    components = ContractPatterns.ecma(rawContract).getJsonObject("components").getJsonObject("schemas");
    shapes = List.of(this::known, this::known, this::known,
        () -> text(0, 24), () -> text(0, 24), () -> text(1, 8),
        this::objectId, () -> "dm_" + objectId() + "_" + objectId(), () -> "dm-" + objectId(),
        () -> pad(email()), this::email, () -> pad(url()), this::url, () -> "/api/files/messages/" + UUID.randomUUID() + ".png",
        () -> digits(6), () -> digits(10 + random.nextInt(6)), () -> phone(),
        () -> code4() + (random.nextBoolean() ? "-" : "") + code4(), () -> UUID.randomUUID().toString(),
        () -> UUID.randomUUID() + "." + pick("png", "jpg", "pdf", "txt", "webp"),
        () -> password(), () -> name(), () -> Instant.ofEpochSecond(1_600_000_000L + random.nextInt(400_000_000))
            .toString());
  }

  /** Adds ids (or other strings) of real resources to draw from. */
  void know(String... values) {
    known.addAll(List.of(values));
  }

  private String known() {
    return known.isEmpty() ? objectId() : known.get(random.nextInt(known.size()));
  }

  Random random() {
    return random;
  }

  /** The schema with every {@code $ref} to a component replaced by the component, recursively. */
  JsonObject inline(JsonObject schema) {
    return (JsonObject) inline((Object) ContractPatterns.ecma(schema), 0);
  }

  private Object inline(Object value, int depth) {
    if (depth > 30) {
      throw new IllegalStateException("schema nesting too deep (circular $ref?)");
    }
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      String ref = object.getString("$ref");
      if (ref != null && ref.startsWith("#/components/schemas/")) {
        JsonObject target = (JsonObject) inline(components.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1)),
            depth + 1);
        copy.mergeIn(target);
      }
      object.forEach(entry -> {
        if (!"$ref".equals(entry.getKey()) || !String.valueOf(entry.getValue()).startsWith("#/components/schemas/")) {
          copy.put(entry.getKey(), inline(entry.getValue(), depth + 1));
        }
      });
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(inline(item, depth + 1)));
      return copy;
    }
    return value;
  }

  /** Whether the (inlined) schema accepts the value. */
  boolean valid(JsonObject schema, Object value) {
    Validator validator = validators.computeIfAbsent(schema.encode(),
        key -> Validator.create(JsonSchema.of(schema.copy()), OPTIONS));
    return validator.validate(value).getValid();
  }

  /** A value the (inlined) schema accepts, or null when none was found in a few tries (then the caller skips). */
  Object valid(JsonObject schema) {
    for (int attempt = 0; attempt < 30; attempt++) {
      Object value = value(schema, 0);
      if (valid(schema, value)) {
        return value;
      }
    }
    Object sample = SchemaSamples.sample(schema);
    return valid(schema, sample) ? sample : Unsatisfied.VALUE;
  }

  /** Marks a schema this generator could not satisfy. */
  enum Unsatisfied { VALUE }

  Object value(JsonObject schema, int depth) {
    if (schema == null || schema.isEmpty()) {
      return any(depth);
    }
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    JsonArray values = schema.getJsonArray("enum");
    if (values != null && !values.isEmpty()) {
      return values.getValue(random.nextInt(values.size()));
    }
    for (String choice : new String[] {"oneOf", "anyOf"}) {
      JsonArray options = schema.getJsonArray(choice);
      if (options != null && !options.isEmpty()) {
        JsonObject merged = schema.copy();
        merged.remove(choice);
        return value(merged.mergeIn(options.getJsonObject(random.nextInt(options.size()))), depth);
      }
    }
    JsonArray all = schema.getJsonArray("allOf");
    if (all != null) {
      JsonObject merged = schema.copy();
      merged.remove("allOf");
      all.forEach(part -> merge(merged, (JsonObject) part));
      return value(merged, depth);
    }
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      List<String> options = new ArrayList<>();
      types.forEach(t -> options.add((String) t));
      if (options.contains("null") && (options.size() == 1 || random.nextInt(6) == 0)) {
        return null;
      }
      options.remove("null");
      type = options.get(random.nextInt(options.size()));
    }
    if (type == null) {
      type = schema.containsKey("properties") ? "object" : schema.containsKey("items") ? "array"
          : schema.containsKey("pattern") || schema.containsKey("format") || schema.containsKey("minLength")
              || schema.containsKey("maxLength") ? "string" : null;
    }
    if (type == null) {
      return any(depth);
    }
    return switch ((String) type) {
      case "object" -> object(schema, depth);
      case "array" -> array(schema, depth);
      case "integer" -> integer(schema);
      case "number" -> random.nextBoolean() ? integer(schema) : number(schema);
      case "boolean" -> random.nextBoolean();
      case "null" -> null;
      default -> string(schema);
    };
  }

  private static void merge(JsonObject into, JsonObject part) {
    part.forEach(entry -> {
      if ("properties".equals(entry.getKey()) && into.getJsonObject("properties") != null) {
        into.getJsonObject("properties").mergeIn((JsonObject) entry.getValue());
      } else if ("required".equals(entry.getKey()) && into.getJsonArray("required") != null) {
        into.getJsonArray("required").addAll((JsonArray) entry.getValue());
      } else {
        into.put(entry.getKey(), entry.getValue());
      }
    });
  }

  private Object any(int depth) {
    return switch (random.nextInt(depth > 2 ? 4 : 6)) {
      case 0 -> text(0, 12);
      case 1 -> random.nextInt(2000) - 1000;
      case 2 -> random.nextBoolean();
      case 3 -> null;
      case 4 -> new JsonObject().put(text(1, 6), any(depth + 1));
      default -> new JsonArray().add(any(depth + 1));
    };
  }

  private JsonObject object(JsonObject schema, int depth) {
    JsonObject object = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    JsonArray required = schema.getJsonArray("required", new JsonArray());
    for (String name : properties.fieldNames()) {
      if (required.contains(name) || random.nextInt(2) == 0) {
        object.put(name, value(properties.getJsonObject(name), depth + 1));
      }
    }
    required.forEach(name -> {
      if (!object.containsKey((String) name)) {
        object.put((String) name, value(properties.getJsonObject((String) name), depth + 1));
      }
    });
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties")) && random.nextInt(6) == 0) {
      // a property the schema does not name is still valid unless the schema forbids it
      object.put("x_extra_" + random.nextInt(100), any(depth + 1));
    }
    int min = schema.getInteger("minProperties", 0);
    List<String> optional = new ArrayList<>(properties.fieldNames());
    while (object.size() < min && !optional.isEmpty()) {
      String name = optional.remove(random.nextInt(optional.size()));
      object.put(name, value(properties.getJsonObject(name), depth + 1));
    }
    return object;
  }

  private JsonArray array(JsonObject schema, int depth) {
    int min = schema.getInteger("minItems", 0);
    int max = Math.min(schema.getInteger("maxItems", min + 3), min + 3);
    int size = min + random.nextInt(max - min + 1);
    JsonArray array = new JsonArray();
    JsonObject items = schema.getJsonObject("items");
    for (int i = 0; i < size * 3 && array.size() < size; i++) {
      Object item = value(items, depth + 1);
      if (!schema.getBoolean("uniqueItems", false) || !array.contains(item)) {
        array.add(item);
      }
    }
    return array;
  }

  private long integer(JsonObject schema) {
    long min = schema.containsKey("minimum") ? (long) Math.ceil(schema.getDouble("minimum"))
        : schema.containsKey("exclusiveMinimum") ? (long) Math.floor(schema.getDouble("exclusiveMinimum")) + 1 : -100;
    long max = schema.containsKey("maximum") ? (long) Math.floor(schema.getDouble("maximum"))
        : schema.containsKey("exclusiveMaximum") ? (long) Math.ceil(schema.getDouble("exclusiveMaximum")) - 1
            : Math.max(min, 0) + 1000;
    return switch (random.nextInt(5)) {
      case 0 -> min;
      case 1 -> max;
      default -> min + (long) (random.nextDouble() * (max - min + 1));
    };
  }

  private double number(JsonObject schema) {
    double min = schema.getDouble("minimum", -100.0);
    double max = schema.getDouble("maximum", Math.max(min, 0) + 1000);
    return min + random.nextDouble() * (max - min);
  }

  private String string(JsonObject schema) {
    boolean shaped = schema.containsKey("pattern") || schema.containsKey("format");
    if (!shaped) {
      int min = schema.getInteger("minLength", 0);
      int max = Math.min(schema.getInteger("maxLength", min + 40), 10_000);
      if (random.nextInt(8) == 0) {
        return text(max, max);
      }
      return random.nextInt(8) == 0 ? text(min, min) : text(min, Math.min(max, min + 40));
    }
    JsonObject own = new JsonObject().put("type", "string");
    for (String keyword : new String[] {"pattern", "format", "minLength", "maxLength"}) {
      if (schema.containsKey(keyword)) {
        own.put(keyword, schema.getValue(keyword));
      }
    }
    List<Object> examples = new ArrayList<>(schema.getJsonArray("examples", new JsonArray()).getList());
    if (schema.containsKey("example")) {
      examples.add(schema.getValue("example"));
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      String candidate = !examples.isEmpty() && random.nextInt(10) == 0
          ? String.valueOf(examples.get(random.nextInt(examples.size())))
          : shapes.get(random.nextInt(shapes.size())).get();
      if (valid(own, candidate)) {
        return candidate;
      }
    }
    return examples.isEmpty() ? text(0, 8) : String.valueOf(examples.get(0));
  }

  String text(int min, int max) {
    int length = min + random.nextInt(Math.max(1, max - min + 1));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
    }
    return text.toString();
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private String pad(String text) {
    return pick("", " ", "\t", "\n ") + text + pick("", " ", "\r\n");
  }

  String objectId() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    String hex = HexFormat.of().formatHex(bytes);
    return random.nextInt(4) == 0 ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
  }

  private String email() {
    return pick("a", "Bo", "c.d", "x_y+z", "N-1") + random.nextInt(1_000_000) + "@" + pick("example.com", "Ex.ORG",
        "mail.example.co.uk");
  }

  private String url() {
    return pick("http", "https", "HTTPS") + "://" + pick("example.com", "cdn.example.org:8443", "127.0.0.1")
        + pick("", "/", "/a.png", "/p?q=1#f", "/" + text(0, 3).replaceAll("\\s", ""));
  }

  private String digits(int count) {
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < count; i++) {
      digits.append(random.nextInt(10));
    }
    return digits.toString();
  }

  private String phone() {
    String number = digits(10 + random.nextInt(6));
    return pick("", "+", "(") + number.substring(0, 3) + pick("", " ", "-", ") ") + number.substring(3);
  }

  private String code4() {
    String chars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789abc";
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      code.append(chars.charAt(random.nextInt(chars.length())));
    }
    return code.toString();
  }

  private String password() {
    return text(0, 6) + pick("a", "é", "ß") + pick("A", "Z", "Ä") + digits(1) + text(5, 12);
  }

  private String name() {
    String letters = "abcdeÄéß李한Ωдxyz";
    StringBuilder name = new StringBuilder(pick("", " ", "\t"));
    int words = 1 + random.nextInt(3);
    for (int w = 0; w < words; w++) {
      for (int i = 0; i < 2 + random.nextInt(6); i++) {
        name.append(letters.charAt(random.nextInt(letters.length())));
      }
      name.append(w + 1 < words ? pick(" ", "-", "'", "  ") : "");
    }
    return name.append(pick("", " ", "\n")).toString();
  }
}
