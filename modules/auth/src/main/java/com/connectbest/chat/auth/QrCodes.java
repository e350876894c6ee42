package com.connectbest.chat.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/** Renders QR codes as PNG data URIs with ZXing, on worker threads (image encoding is CPU work). */
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
    try {
      BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE, HINTS);
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", png);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    } catch (WriterException e) {
      throw new IllegalStateException("QR encoding failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
