package com.connectbest.chat.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;

/** Checks real responses against the response schemas of openapi.yaml. */
final class ContractResponses {

  final OpenAPIContract contract;
  private final ResponseValidator validator;

  ContractResponses(Vertx vertx) {
    contract = OpenAPIContract.from(vertx, "openapi.yaml").await();
    validator = ResponseValidator.create(vertx, contract);
  }

  /** Fails the test when the response does not match what the contract says this operation answers. */
  HttpResponse<Buffer> assertConforms(String operationId, HttpResponse<Buffer> response) {
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    String contentType = response.getHeader("Content-Type");
    ValidatableResponse validatable = response.body() == null
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, response.body(),
            contentType == null ? null : contentType.split(";")[0]);
    try {
      validator.validate(validatable, operationId).await();
    } catch (RuntimeException e) {
      throw new AssertionError(operationId + " " + response.statusCode() + " does not match the contract: "
          + e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause()) + "\nbody: " + response.bodyAsString(), e);
    }
    return response;
  }
}
