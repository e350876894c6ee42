package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MongoDocsDatesTest {

  /** What MongoDocs.instant answered before it had a fast path. */
  private static Instant byFormatter(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  @DisplayName("Stored dates read without the formatter give exactly the formatter's instant, for random and edge values")
  void fastPathAgreesWithTheFormatter() {
    Random random = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(-5_000_000_000_000L, 250_000_000_000_000L);
      long nanos = random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : Math.floorMod(millis, 1000) * 1_000_000L;
      Instant instant = Instant.ofEpochSecond(Math.floorDiv(millis, 1000), nanos);
      // The forms the stores and the API write: vertx-mongo-client's codec, MongoDocs.date and Instant.toString.
      for (String text : List.of(
          OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
          instant.toString())) {
        assertEquals(byFormatter(text), MongoDocs.instant(text), text);
        assertEquals(byFormatter(text), MongoDocs.instant(new JsonObject().put("$date", text)), text);
      }
    }
    for (String text : List.of("2026-12-03T21:00:00Z", "2026-12-03T21:00:00.1Z", "2026-12-03T21:00:00.123456789Z",
        "2024-02-29T23:59:59.999Z", "2023-02-29T10:00:00Z", "2026-13-01T00:00:00Z", "2026-12-03T24:00:00Z",
        "2026-12-03T21:60:00Z", "2026-12-03T21:00:60Z", "2026-12-03T21:00:00.Z", "2026-12-03T21:00:00.1234567890Z",
        "2026-12-03T21:00Z", "2026-12-03T21:00:00+02:00", "2026-12-03T21:00:00.5+01:00", "2026-12-03 21:00:00Z",
        "2026-12-0xT21:00:00Z", "+12026-12-03T21:00:00Z", "2026-12-03T21:00:00z", "not a date at all, no no no")) {
      assertEquals(byFormatter(text), MongoDocs.instant(text), text);
    }
    assertNull(MongoDocs.instant("2026-02-30T00:00:00Z"));
  }

  @Test
  @DisplayName("A stored date already in Instant.toString's form is answered as it is, and every other one as before")
  void storedTextIsKeptOnlyWhenAlreadyCanonical() {
    Random random = new Random(23);
    List<String> texts = new java.util.ArrayList<>(List.of("2026-12-03T21:00:00.000Z", "2026-12-03T21:00:00.100Z",
        "2026-12-03T21:00:00.10Z", "2024-02-29T23:59:59.999Z", "2023-02-29T10:00:00.123Z", "2026-04-31T10:00:00Z",
        "2026-12-03T24:00:00.123Z", "2026-12-03T21:60:00Z", "2026-12-03T21:00:60.500Z", "2026-12-03T21:00:00,123Z",
        "2026-12-03T21:00:00.12aZ", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-12-03T21:00:00.123+01:00",
        "2026-12-03 21:00:00.123Z", "2026-12-03T21:00:00.123z"));
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(-5_000_000_000_000L, 250_000_000_000_000L);
      Instant instant = Instant.ofEpochMilli(millis);
      texts.add(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      texts.add(Instant.ofEpochSecond(instant.getEpochSecond(), random.nextInt(1_000_000_000)).toString());
      texts.add(instant.toString());
    }
    for (String text : texts) {
      Instant instant = byFormatter(text);
      String longWay = instant == null ? null : instant.toString();
      assertEquals(longWay, MongoDocs.iso(text), text);
      assertEquals(longWay, MongoDocs.iso(new JsonObject().put("$date", text)), text);
    }
    assertEquals("2026-12-03T21:00:00.120Z", MongoDocs.iso("2026-12-03T21:00:00.12Z"), "the store's short fractions");
  }

  @Test
  @DisplayName("Dates are written exactly as Instant.toString writes them, for random and edge instants")
  void isoTextAgreesWithInstantToString() {
    Random random = new Random(19);
    for (int i = 0; i < 50_000; i++) {
      long seconds = random.nextLong(-70_000_000_000L, 300_000_000_000L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(instant.toString(), MongoDocs.isoText(instant));
    }
    for (Instant instant : List.of(Instant.EPOCH, Instant.ofEpochMilli(-1), Instant.ofEpochSecond(253_402_300_799L,
        999_999_999), Instant.ofEpochSecond(253_402_300_800L), Instant.ofEpochSecond(-62_167_219_200L),
        Instant.ofEpochSecond(-62_167_219_201L), Instant.ofEpochSecond(0, 100_000_000), Instant.ofEpochSecond(0, 10))) {
      assertEquals(instant.toString(), MongoDocs.isoText(instant));
    }
  }
}
