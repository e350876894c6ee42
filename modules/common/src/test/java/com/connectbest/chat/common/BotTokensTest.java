package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BotTokensTest {

  @Test
  @DisplayName("tokens are random, prefixed and recognised; their stored form is a stable SHA-256 that hides them")
  void tokens() {
    String hook = BotTokens.newToken(BotTokens.HOOK_PREFIX);
    String bot = BotTokens.newToken(BotTokens.BOT_PREFIX);
    assertNotEquals(hook, BotTokens.newToken(BotTokens.HOOK_PREFIX));
    assertTrue(BotTokens.looksLike(hook, BotTokens.HOOK_PREFIX));
    assertTrue(BotTokens.looksLike(bot, BotTokens.BOT_PREFIX));
    assertFalse(BotTokens.looksLike(hook, BotTokens.BOT_PREFIX), "a hook token is no bot token");
    assertFalse(BotTokens.looksLike(bot.substring(0, bot.length() - 1), BotTokens.BOT_PREFIX));
    assertFalse(BotTokens.looksLike(bot.substring(0, bot.length() - 1) + "/", BotTokens.BOT_PREFIX));
    assertFalse(BotTokens.looksLike(null, BotTokens.BOT_PREFIX));
    assertEquals(BotTokens.hash(bot), BotTokens.hash(bot));
    assertEquals(64, BotTokens.hash(bot).length());
    assertFalse(BotTokens.hash(bot).contains(bot.substring(4)));
    // a known vector: SHA-256("abc")
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BotTokens.hash("abc"));
  }
}
