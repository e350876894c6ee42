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
