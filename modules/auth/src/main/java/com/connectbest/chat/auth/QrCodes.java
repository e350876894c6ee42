package com.connectbest.chat.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.EncodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders QR codes as PNG data URIs with ZXing, on worker threads (image encoding is CPU work).
 *
 * <p>Every code served is first read back with ZXing's camera detector. About 4 in 1,000 random TOTP secrets give
 * a code that detector cannot find or misreads (data modules that happen to look like a finder pattern under the
 * mask chosen by penalty score); scanner apps built on it would fail the same way. Such a code is re-rendered
 * under the other seven masks, which move the data modules while keeping the content, until one reads back.
 */
final class QrCodes {

  static final int SIZE = 256;
  private static final Map<EncodeHintType, Object> HINTS = Map.of(
      EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
      EncodeHintType.CHARACTER_SET, "UTF-8",
      EncodeHintType.MARGIN, 4);

  private final Vertx vertx;

  QrCodes(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<String> pngDataUri(String text) {
    return vertx.executeBlocking(() -> render(text), false);
  }

  static String render(String text) {
    BitMatrix matrix = readableMatrix(text);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      MatrixToImageWriter.writeToStream(matrix, "PNG", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }

  /** The penalty-chosen mask's matrix when it reads back, else the first of the eight masks that does. */
  static BitMatrix readableMatrix(String text) {
    BitMatrix chosen = encode(text, null);
    if (readsBack(chosen, text)) {
      return chosen;
    }
    for (int mask = 0; mask < 8; mask++) {
      BitMatrix candidate = encode(text, mask);
      if (readsBack(candidate, text)) {
        return candidate;
      }
    }
    return chosen; // never seen; a code some readers find beats no code
  }

  static BitMatrix encode(String text, Integer mask) {
    Map<EncodeHintType, Object> hints = HINTS;
    if (mask != null) {
      hints = new HashMap<>(HINTS);
      hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
    }
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE, hints);
    } catch (WriterException e) {
      throw new IllegalStateException("QR encoding failed", e);
    }
  }

  /** Whether ZXing's general (camera) detector, not the pure-barcode shortcut, reads the matrix back as text. */
  static boolean readsBack(BitMatrix matrix, String text) {
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
        new BufferedImageLuminanceSource(MatrixToImageWriter.toBufferedImage(matrix))));
    try {
      return text.equals(new QRCodeReader().decode(bitmap).getText());
    } catch (ReaderException e) {
      return false;
    }
  }
}
