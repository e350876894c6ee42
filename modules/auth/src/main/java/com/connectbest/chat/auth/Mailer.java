package com.connectbest.chat.auth;

import com.connectbest.chat.common.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends account e-mails over SMTP; with no MAIL_SERVER configured it logs the link it would have sent. */
final class Mailer {

  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

  private final MailClient client;
  private final String from;
  private final String verificationUrl;

  Mailer(Vertx vertx, Settings settings) {
    String server = settings.string("MAIL_SERVER", null);
    this.from = settings.string("MAIL_FROM", "ConnectBest Chat <no-reply@connectbest.local>");
    this.verificationUrl = settings.string("EMAIL_VERIFICATION_URL", "http://localhost:3000/verify-email?token={token}");
    if (server == null) {
      client = null;
      return;
    }
    String username = settings.string("MAIL_USERNAME", null);
    MailConfig config = new MailConfig()
        .setHostname(server)
        .setPort(settings.integer("MAIL_PORT", 587))
        .setStarttls(settings.bool("MAIL_USE_TLS", true) ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
        .setLogin(username == null ? LoginOption.DISABLED : LoginOption.REQUIRED)
        .setUsername(username)
        .setPassword(settings.string("MAIL_PASSWORD", null));
    client = MailClient.createShared(vertx, config, "connectbest-mail");
  }

  boolean configured() {
    return client != null;
  }

  /** Resolves to true when the mail was handed to the SMTP server, false when it was only logged. */
  Future<Boolean> sendVerification(String email, String name, String token) {
    String link = verificationUrl.replace("{token}", token);
    if (client == null) {
      LOG.info("No SMTP server configured (MAIL_SERVER); verification link for {}: {}", email, link);
      return Future.succeededFuture(false);
    }
    MailMessage message = new MailMessage()
        .setFrom(from)
        .setTo(email)
        .setSubject("Verify your ConnectBest Chat e-mail address")
        .setText("Hello " + name + ",\n\nPlease confirm your e-mail address by opening this link within 24 hours:\n\n"
            + link + "\n\nIf you did not create an account, ignore this message.\n");
    return client.sendMail(message).map(result -> true);
  }
}
