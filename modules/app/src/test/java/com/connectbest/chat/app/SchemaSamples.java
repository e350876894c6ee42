package com.connectbest.chat.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the smallest value that satisfies a (resolved) JSON schema of the contract, for walking operations. */
final class SchemaSamples {

  private SchemaSamples() {
  }

  static Object sample(JsonObject schema) {
    if (schema == null) {
      return new JsonObject();
    }
    if (schema.containsKey("example")) {
      return schema.getValue("example");
    }
    for (String choice : new String[] {"oneOf", "anyOf", "allOf"}) {
      JsonArray options = schema.getJsonArray(choice);
      if (options != null && !options.isEmpty()) {
        return sample(options.getJsonObject(0));
      }
    }
    JsonArray values = schema.getJsonArray("enum");
    if (values != null && !values.isEmpty()) {
      return values.getValue(0);
    }
    Object type = schema.getValue("type");
    if (type instanceof JsonArray types) {
      type = types.stream().filter(t -> !"null".equals(t)).findFirst().orElse("null");
    }
    if ("object".equals(type) || schema.containsKey("properties")) {
      JsonObject object = new JsonObject();
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      schema.getJsonArray("required", new JsonArray()).forEach(name ->
          object.put((String) name, sample(properties.getJsonObject((String) name))));
      return object;
    }
    if ("array".equals(type)) {
      return new JsonArray();
    }
    if ("integer".equals(type) || "number".equals(type)) {
      return schema.getInteger("minimum", 1);
    }
    if ("boolean".equals(type)) {
      return true;
    }
    return string(schema);
  }

  private static String string(JsonObject schema) {
    String pattern = schema.getString("pattern", "");
    if ("email".equals(schema.getString("format"))) {
      return "walker@example.com";
    }
    if (pattern.startsWith("^dm_")) {
      return "dm_507f1f77bcf86cd799439011_507f1f77bcf86cd799439012";
    }
    if (pattern.contains("{24}")) {
      return "507f1f77bcf86cd799439099";
    }
    if (pattern.contains("[0-9]{6}") || pattern.contains("\\d{6}")) {
      return "123456";
    }
    int min = schema.getInteger("minLength", 1);
    return "Sample" + "x".repeat(Math.max(0, min - 6)) + "1";
  }
}
