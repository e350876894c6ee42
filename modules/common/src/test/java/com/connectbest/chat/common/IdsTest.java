package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IdsTest {

  /** The rules as regular expressions: what Ids checked before it checked by hand. */
  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
  private static final Pattern DM_CHANNEL = Pattern.compile("dm_[0-9a-f]{24}_[0-9a-f]{24}");
  private static final String ALPHABET = "0123456789abcdefABCDEFgG_dmx -\u00e9\u0660";

  @Test
  @DisplayName("Ids and direct-message ids are accepted exactly as the regular expressions accept them, for random "
      + "near-misses and the edges")
  void agreesWithTheRegularExpressions() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      String id = randomText(random, 22 + random.nextInt(5));
      String dm = "dm_" + randomText(random, 24) + (random.nextInt(10) == 0 ? "-" : "_") + randomText(random, 24);
      String mutated = random.nextBoolean() ? dm : dm.substring(0, random.nextInt(dm.length()));
      assertEquals(OBJECT_ID.matcher(id).matches(), Ids.isObjectId(id), id);
      assertEquals(DM_CHANNEL.matcher(mutated).matches(), Ids.isDmChannel(mutated), mutated);
    }
    String hex = "0123456789abcdef01234567";
    for (String text : List.of("", hex, hex.toUpperCase(), hex + "0", hex.substring(1), "dm_" + hex + "_" + hex,
        "dm_" + hex.toUpperCase() + "_" + hex, "DM_" + hex + "_" + hex, "dm_" + hex + "_" + hex + "_",
        "dm_" + hex + hex)) {
      assertEquals(OBJECT_ID.matcher(text).matches(), Ids.isObjectId(text), text);
      assertEquals(DM_CHANNEL.matcher(text).matches(), Ids.isDmChannel(text), text);
    }
    assertEquals(false, Ids.isObjectId(null));
    assertEquals(false, Ids.isDmChannel(42));
  }

  /** Mostly hex digits, so that most strings get far before they differ. */
  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(40) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
          : "0123456789abcdef".charAt(random.nextInt(16)));
    }
    return text.toString();
  }
}
