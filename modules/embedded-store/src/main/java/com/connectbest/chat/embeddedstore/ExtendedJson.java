package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vertx-mongo-client's extended JSON ({@code $oid}, {@code $date}, {@code $binary}, {@code $numberLong}) to
 * mongo-java-server's documents and back, value by value as vertx-mongo-client's {@code JsonObjectCodec} writes BSON and
 * the embedded server's {@code BsonDecoder} reads it (and the reverse), so that {@link InProcessMongoClient} hands the
 * backend exactly what the wire protocol would have. Dates are whole milliseconds, as BSON's are.
 */
final class ExtendedJson {

  /**
   * Which {@code _id} strings become ObjectIds (vertx-mongo-client's {@code useObjectId}): those under any {@code _id}
   * key of a query, only a document's own {@code _id} when it is written, or none (the update of a findAndModify).
   */
  enum Ids { ANY_DEPTH, TOP_LEVEL, NONE }

  static final String ID = "_id";
  private static final String OID = "$oid";
  private static final String DATE = "$date";
  private static final String BINARY = "$binary";
  private static final String TYPE = "$type";
  private static final String LONG = "$numberLong";

  private ExtendedJson() {
  }

  /** Whether vertx-mongo-client would write this {@code _id} string as an ObjectId. */
  static boolean isObjectId(Object value) {
    return value instanceof String text && org.bson.types.ObjectId.isValid(text);
  }

  static Document toDocument(JsonObject json, Ids ids) {
    return json == null ? null : toDocument(json.getMap(), ids, true);
  }

  @SuppressWarnings("unchecked")
  private static Document toDocument(Map<String, Object> map, Ids ids, boolean top) {
    Document document = new Document();
    // JsonObjectCodec writes _id first whatever its place in the JSON, and the stored field order follows.
    if (map.containsKey(ID)) {
      document.put(ID, idValue(map.get(ID), ids, top));
    }
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      if (!ID.equals(entry.getKey())) {
        document.put(entry.getKey(), toValue(entry.getValue(), ids == Ids.ANY_DEPTH ? ids : Ids.NONE));
      }
    }
    return document;
  }

  private static Object idValue(Object value, Ids ids, boolean top) {
    boolean convert = ids == Ids.ANY_DEPTH || ids == Ids.TOP_LEVEL && top;
    if (convert && isObjectId(value)) {
      return objectId((String) value);
    }
    return toValue(value, ids == Ids.ANY_DEPTH ? ids : Ids.NONE);
  }

  @SuppressWarnings("unchecked")
  static Object toValue(Object value, Ids ids) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof JsonObject json) {
      return special(json.getMap(), ids);
    }
    if (value instanceof Map<?, ?> map) {
      return special((Map<String, Object>) map, ids);
    }
    if (value instanceof JsonArray array) {
      return toList(array.getList(), ids);
    }
    if (value instanceof List<?> list) {
      return toList(list, ids);
    }
    if (value instanceof Float number) {
      return number.doubleValue();
    }
    // JsonObjectCodec has no BSON type for anything else (Instant, byte[], Short...): it fails the call, and so do we.
    throw new IllegalStateException("Unknown BsonType for '" + value + "'");
  }

  private static Object special(Map<String, Object> map, Ids ids) {
    if (map.containsKey(DATE)) {
      Object date = map.get(DATE);
      long millis = date instanceof Number number ? number.longValue() : isoMillis((String) date);
      return Instant.ofEpochMilli(millis);
    }
    if (map.containsKey(OID)) {
      return objectId((String) map.get(OID));
    }
    if (map.containsKey(BINARY)) {
      Object type = map.get(TYPE);
      if (type != null && ((Number) type).intValue() != 0) {
        throw new IllegalArgumentException("Only generic binary data (subtype 0) is supported in process");
      }
      return new BinData(new JsonObject(map).getBinary(BINARY));
    }
    if (map.containsKey(LONG)) {
      Object number = map.get(LONG);
      return number instanceof Number n ? n.longValue() : Long.parseLong(number.toString());
    }
    return toDocument(map, ids, false);
  }

  private static List<Object> toList(List<?> list, Ids ids) {
    List<Object> values = new ArrayList<>(list.size());
    for (Object item : list) {
      values.add(toValue(item, ids));
    }
    return values;
  }

  private static ObjectId objectId(String hex) {
    // The driver's parser, so that an invalid $oid fails exactly as it does on the wire.
    return new ObjectId(new org.bson.types.ObjectId(hex).toByteArray());
  }

  /** A stored document as vertx-mongo-client returns it; {@code idAsHex}: an ObjectId {@code _id} as a plain string. */
  static JsonObject toJson(Document document, boolean idAsHex) {
    JsonObject json = new JsonObject(new LinkedHashMap<>(document.size() * 2));
    for (Map.Entry<String, Object> entry : document.entrySet()) {
      Object value = entry.getValue();
      if (idAsHex && ID.equals(entry.getKey()) && value instanceof ObjectId id) {
        json.put(ID, hex(id));
      } else {
        json.put(entry.getKey(), toJsonValue(value));
      }
    }
    return json;
  }

  /**
   * The library's {@code ObjectId.getHexData()} formats byte by byte with {@code String.format}: a tenth of the
   * server's CPU on a history page. Same text, from the JDK's hex formatter.
   */
  static String hex(ObjectId id) {
    return HEX.formatHex(id.toByteArray());
  }

  private static final HexFormat HEX = HexFormat.of();

  /**
   * What {@code JsonObjectCodec} writes for a BSON date, {@code ISO_OFFSET_DATE_TIME} at UTC (no fraction for whole
   * seconds, else the milliseconds without trailing zeros), built without the formatter for years 0–9999; any other
   * year goes to the formatter. {@code ExtendedJsonTest} compares both.
   */
  static String isoDate(long epochMilli) {
    long seconds = Math.floorDiv(epochMilli, 1000L);
    int millis = (int) Math.floorMod(epochMilli, 1000L);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMilli), ZoneOffset.UTC)
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    StringBuilder text = new StringBuilder(24);
    pad(text, date.getYear(), 4).append('-');
    pad(text, date.getMonthValue(), 2).append('-');
    pad(text, date.getDayOfMonth(), 2).append('T');
    pad(text, secondOfDay / 3600, 2).append(':');
    pad(text, secondOfDay / 60 % 60, 2).append(':');
    pad(text, secondOfDay % 60, 2);
    if (millis != 0) {
      int digits = 3;
      while (millis % 10 == 0) {
        millis /= 10;
        digits--;
      }
      pad(text.append('.'), millis, digits);
    }
    return text.append('Z').toString();
  }

  /**
   * The epoch milliseconds of a {@code $date} text, as {@code OffsetDateTime.parse} reads it. The services write
   * {@code Instant.toString()}'s UTC form, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, which is read here digit by digit:
   * the formatter's parse (and the BigDecimal it makes of a fraction) was 1 % of a send's CPU, for the three or four
   * dates each send writes. Any other text, or a field out of range, goes to the formatter, which answers or throws
   * as before. {@code ExtendedJsonTest} compares both.
   */
  static long isoMillis(String text) {
    int length = text.length();
    if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && text.charAt(4) == '-'
        && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
        && (length == 20 || text.charAt(19) == '.' && length > 21)) {
      int year = number(text, 0, 4);
      int month = number(text, 5, 7);
      int day = number(text, 8, 10);
      int hour = number(text, 11, 13);
      int minute = number(text, 14, 16);
      int second = number(text, 17, 19);
      int millis = 0;
      for (int i = 20, scale = 100; i < length - 1; i++, scale /= 10) {
        int digit = text.charAt(i) - '0';
        if (digit < 0 || digit > 9) {
          millis = -1;
          break;
        }
        millis += digit * scale; // digits after the third add 0: the formatter's instant is truncated to ms too
      }
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0
          && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0) {
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
      }
    }
    return OffsetDateTime.parse(text).toInstant().toEpochMilli();
  }

  /** How many days that month has. */
  private static int daysIn(int year, int month) {
    return java.time.Month.of(month).length(java.time.Year.isLeap(year));
  }

  /** The decimal number in text[from, to), or -1 if a character there is not a digit. */
  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }

  static Object toJsonValue(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof Document document) {
      return toJson(document, false);
    }
    if (value instanceof Collection<?> list) {
      List<Object> values = new ArrayList<>(list.size());
      for (Object item : list) {
        values.add(toJsonValue(item));
      }
      return new JsonArray(values);
    }
    if (value instanceof ObjectId id) {
      return new JsonObject().put(OID, hex(id));
    }
    if (value instanceof Instant instant) {
      // BSON keeps milliseconds; the backend's own timestamps ($currentDate) may carry more.
      return new JsonObject().put(DATE, isoDate(instant.toEpochMilli()));
    }
    if (value instanceof BinData data) {
      return new JsonObject().put(BINARY, data.getData()).put(TYPE, (byte) 0);
    }
    if (value instanceof Float number) {
      return number.doubleValue();
    }
    if (value instanceof Number number) {
      return number;
    }
    return value.toString();
  }
}
