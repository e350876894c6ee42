package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExtendedJsonTest {

  @Test
  @DisplayName("Dates are written exactly as vertx-mongo-client's codec writes them, for random and edge instants")
  void datesAsTheCodecWritesThem() {
    Random random = new Random(17);
    for (int i = 0; i < 50_000; i++) {
      long millis = i % 3 == 0 ? random.nextLong(-70_000_000_000_000L, 300_000_000_000_000L)
          : random.nextLong(0, 4_102_444_800_000L) / (i % 3 == 1 ? 1000 : 1) * (i % 3 == 1 ? 1000 : 1);
      assertEquals(codec(millis), ExtendedJson.isoDate(millis), Long.toString(millis));
    }
    for (long millis : List.of(0L, -1L, 1L, 10L, 100L, 120L, 999L, 1000L, 86_399_999L, 253_402_300_799_999L,
        253_402_300_800_000L, -62_167_219_200_000L, -62_167_219_200_001L)) {
      assertEquals(codec(millis), ExtendedJson.isoDate(millis), Long.toString(millis));
    }
  }

  @Test
  @DisplayName("Dates are read exactly as the formatter reads them: the services' UTC form, other offsets, bad text")
  void datesAsTheFormatterReadsThem() {
    Random random = new Random(23);
    for (int i = 0; i < 50_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
          i % 4 == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(9)));
      for (String text : List.of(instant.toString(), ExtendedJson.isoDate(instant.toEpochMilli()),
          OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(random.nextInt(-12, 13)))
              .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))) {
        assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), ExtendedJson.isoMillis(text), text);
      }
    }
    for (String text : List.of("2024-02-29T23:59:59.999999999Z", "2000-01-01T00:00:00.1Z", "0000-01-01T00:00:00Z",
        "2026-12-31T00:00Z", "9999-12-31T23:59:59.999Z")) {
      assertEquals(OffsetDateTime.parse(text).toInstant().toEpochMilli(), ExtendedJson.isoMillis(text), text);
    }
    for (String text : List.of("2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:0aZ",
        "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "-2026-01-01T00:00:00Z")) {
      Class<?> formatter = thrown(() -> OffsetDateTime.parse(text));
      assertEquals(formatter, thrown(() -> ExtendedJson.isoMillis(text)), text);
    }
  }

  private static Class<?> thrown(Runnable read) {
    try {
      read.run();
      return null;
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  private static String codec(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  @Test
  @DisplayName("ObjectIds are written as the library's own hex text")
  void objectIdsAsTheLibraryWritesThem() {
    for (int i = 0; i < 1_000; i++) {
      ObjectId id = new ObjectId();
      assertEquals(id.getHexData(), ExtendedJson.hex(id));
    }
    ObjectId high = new ObjectId("ffffffffffffffffffffffff");
    assertEquals(high.getHexData(), ExtendedJson.hex(high));
  }
}
