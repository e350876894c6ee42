package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The building blocks of 2FA, checked against published test vectors and against attempts to misuse them. */
class TwoFactorPrimitivesTest {

  /** RFC 6238's SHA-1 seed, "12345678901234567890", in base32. */
  private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  @ParameterizedTest
  @CsvSource({"'',''", "f,MY", "fo,MZXQ", "foo,MZXW6", "foob,MZXW6YQ", "fooba,MZXW6YTB", "foobar,MZXW6YTBOI"})
  @DisplayName("base32 encodes and decodes the RFC 4648 test vectors")
  void base32Vectors(String plain, String encoded) {
    assertEquals(encoded, Base32.encode(plain.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(plain, new String(Base32.decode(encoded), StandardCharsets.US_ASCII));
    assertEquals(plain, new String(Base32.decode(encoded.toLowerCase() + "======"), StandardCharsets.US_ASCII));
  }

  @Test
  @DisplayName("base32 round-trips every byte value and rejects characters outside the alphabet")
  void base32RoundTripAndRejects() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    assertArrayEquals(all, Base32.decode(Base32.encode(all)));
    assertEquals(RFC_SECRET, Base32.encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII)));
    for (String bad : List.of("MZXW1", "MZXW8", "MZ=XW", "MZXW!")) {
      assertThrows(IllegalArgumentException.class, () -> Base32.decode(bad), bad);
    }
  }

  @ParameterizedTest
  @CsvSource({"59,287082", "1111111109,081804", "1111111111,050471", "1234567890,005924", "2000000000,279037",
      "20000000000,353130"})
  @DisplayName("TOTP matches the RFC 6238 SHA-1 vectors (last six digits) at their own time step only")
  void rfc6238(long seconds, String code) {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(seconds));
    Totp totp = new Totp(clock);
    OptionalLong step = totp.match(RFC_SECRET, code, null);
    assertEquals(OptionalLong.of(seconds / 30), step);
    assertEquals(code, TwoFactorHarness.codeAt(RFC_SECRET, Instant.ofEpochSecond(seconds)));
    assertTrue(totp.match(RFC_SECRET, code, seconds / 30).isEmpty(), "a used step must not match again");
    clock.set(Instant.ofEpochSecond(seconds + 60));
    assertTrue(totp.match(RFC_SECRET, code, null).isEmpty(), "two steps later the code has expired");
  }

  @Test
  @DisplayName("TOTP refuses codes that are not exactly six ASCII digits")
  void totpShape() {
    Totp totp = new Totp(new MutableClock(Instant.ofEpochSecond(59)));
    for (String bad : List.of("28708", "2870820", "28708a", " 287082", "２８７０８２", "")) {
      assertTrue(totp.match(RFC_SECRET, bad, null).isEmpty(), bad);
    }
    assertFalse(Totp.isCode(null));
  }

  @Test
  @DisplayName("new secrets are 160 random bits, shown in groups of four")
  void secrets() {
    String secret = Totp.newSecret();
    assertEquals(32, secret.length());
    assertEquals(20, Base32.decode(secret).length);
    assertNotEquals(secret, Totp.newSecret());
    assertEquals("ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567", Totp.display("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
  }

  @Test
  @DisplayName("the provisioning URI names issuer and account, percent-encoding what a label must not contain")
  void provisioningUri() {
    assertEquals("otpauth://totp/ConnectBest:user@example.com?secret=ABCD&issuer=ConnectBest",
        Totp.provisioningUri("ABCD", "user@example.com"));
    assertEquals("otpauth://totp/ConnectBest:a%2Bb%25c@example.com?secret=ABCD&issuer=ConnectBest",
        Totp.provisioningUri("ABCD", "a+b%c@example.com"));
  }

  @Test
  @DisplayName("HKDF-SHA256 matches RFC 5869 test case 1")
  void hkdf() {
    HexFormat hex = HexFormat.of();
    byte[] okm = TwoFactorCrypto.hkdf(hex.parseHex("000102030405060708090a0b0c"),
        hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        hex.formatHex(okm));
  }

  @Test
  @DisplayName("secrets are sealed with AES-GCM under a fresh IV and open only for the same key and user")
  void sealing() {
    TwoFactorCrypto crypto = new TwoFactorCrypto("key one");
    String first = crypto.encrypt(RFC_SECRET, "user-a");
    String second = crypto.encrypt(RFC_SECRET, "user-a");
    assertTrue(first.startsWith("v1:"));
    assertNotEquals(first, second, "each encryption uses a new IV");
    assertFalse(first.contains(RFC_SECRET));
    assertEquals(RFC_SECRET, crypto.decrypt(first, "user-a"));
    assertEquals(RFC_SECRET, crypto.decrypt(second, "user-a"));
    assertThrows(IllegalStateException.class, () -> crypto.decrypt(first, "user-b"), "copied onto another account");
    assertThrows(IllegalStateException.class, () -> new TwoFactorCrypto("key two").decrypt(first, "user-a"));
    char[] tampered = first.toCharArray();
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    assertThrows(IllegalStateException.class, () -> crypto.decrypt(new String(tampered), "user-a"));
    assertThrows(IllegalStateException.class, () -> crypto.decrypt("v1:AAAA", "user-a"));
    assertThrows(IllegalStateException.class, () -> crypto.decrypt(RFC_SECRET, "user-a"));
    assertThrows(IllegalArgumentException.class, () -> new TwoFactorCrypto(""));
  }

  @Test
  @DisplayName("backup-code hashes are keyed and per user: same code, other user or other key gives another hash")
  void backupCodeHashes() {
    TwoFactorCrypto crypto = new TwoFactorCrypto("key one");
    String hash = crypto.hashBackupCode("user-a", "ABCD1234");
    assertEquals(64, hash.length());
    assertEquals(hash, crypto.hashBackupCode("user-a", "ABCD1234"));
    assertNotEquals(hash, crypto.hashBackupCode("user-b", "ABCD1234"));
    assertNotEquals(hash, new TwoFactorCrypto("key two").hashBackupCode("user-a", "ABCD1234"));
    assertNotEquals(hash, crypto.hashBackupCode("user-a", "ABCD1235"));
    assertTrue(TwoFactorCrypto.sameHash(hash, crypto.hashBackupCode("user-a", "ABCD1234")));
    assertFalse(TwoFactorCrypto.sameHash(hash, null));
  }

  @Test
  @DisplayName("backup codes come ten at a time, distinct, shaped XXXX-XXXX of A-Z and 0-9; input is normalised")
  void backupCodes() {
    List<String> codes = BackupCodes.generate();
    assertEquals(10, codes.size());
    assertEquals(10, new HashSet<>(codes).size());
    codes.forEach(code -> assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}"), code));
    assertNotEquals(codes, BackupCodes.generate());
    assertEquals("ABCD1234", BackupCodes.normalize("abcd-1234"));
    assertTrue(BackupCodes.looksLike("abcd1234"));
    assertFalse(BackupCodes.looksLike("ABCD--1234"));
    assertFalse(BackupCodes.looksLike("ABC-12345"));
    assertFalse(BackupCodes.looksLike(null));
  }

  @Test
  @DisplayName("a QR code renders to a PNG data URI")
  void qrCode() {
    String uri = QrCodes.render("otpauth://totp/ConnectBest:a@b.co?secret=ABCD&issuer=ConnectBest");
    assertTrue(uri.startsWith("data:image/png;base64,iVBORw0KGgo"), uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CXU4HZKRS2N5Q77BSM53JSTP4YWNNYJQ", "R3KYEHRLZVS7SED77V6TPXHGZ3M57LJI",
      "XYWJUMYJZXNGKA3KWWBOAEVNB37B2KFK"})
  @DisplayName("a secret whose penalty-chosen QR mask the camera detector cannot read is served under a mask it reads")
  void qrCodeUnreadableMaskReplaced(String secret) throws Exception {
    String text = "otpauth://totp/ConnectBest:ann@example.com?secret=" + secret + "&issuer=ConnectBest";
    assertFalse(QrCodes.readsBack(QrCodes.encode(text, null), text), "ZXing now reads this mask; pick another secret");
    String uri = QrCodes.render(text);
    byte[] png = Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(text, new QRCodeReader()
        .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText());
  }
}
