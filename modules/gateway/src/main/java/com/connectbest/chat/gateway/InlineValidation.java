package com.connectbest.chat.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.Map;

/**
 * Request validation against the contract, on the event loop. vertx-openapi validates on an ordered worker queue,
 * which costs two thread hand-overs per request; with {@link ReusedValidators} a validation takes microseconds, less
 * than the hand-overs. Same checks, same outcome: the validated request under
 * {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}, or a 400 {@link HttpException} wrapping the
 * {@link ValidatorException}, exactly as the router's own validation handler does.
 */
final class InlineValidation extends RequestValidatorImpl {

  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final OpenAPIContract contract;

  InlineValidation(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    this.contract = contract;
  }

  /**
   * A parameter whose schema is a plain string is validated as the text it is. The library's transformer first tries
   * to read the text as JSON: {@code 1e5} or a numeric-looking file name became a number (and failed the string
   * schema), {@code "x"} lost its quotes, and text with control characters failed as "can't be decoded".
   */
  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) throws ValidatorException {
    if (value == null || value.isNull() || parameter.getSchemaType() != SchemaType.STRING || parameter.isExplode()
        && parameter.getIn() != io.vertx.openapi.contract.Location.QUERY && parameter.getIn() != Location.PATH) {
      return super.validateParameter(parameter, value);
    }
    String text = String.valueOf(value.get());
    OutputUnit result = contract.getSchemaRepository().validator(parameter.getSchema()).validate(text);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
    return new RequestParameterImpl(text);
  }

  Handler<RoutingContext> handler(Operation operation) {
    Operation withoutQuery = new WithoutPlainQuery(operation);
    return rc -> extract(rc, operation, withoutQuery)
        .compose(request -> validate(request, operation))
        .onSuccess(validated -> {
          rc.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          rc.next();
        })
        .onFailure(err -> rc.fail(err instanceof ValidatorException
            ? new HttpException(HttpResponseStatus.BAD_REQUEST.code(), err.getMessage(), err)
            : err));
  }

  /**
   * The request's parameters and body as the library extracts them, except plain (non-array, non-object) query and
   * header parameters, which are taken as vert.x gives them. The library URL-decodes query values a second time, so a
   * value with a percent sign ({@code q=100%25}) was refused as "can't decode", {@code q=a%252B} arrived as
   * {@code a+} and {@code q=C%2B%2B} as {@code "C  "}; and it URL-decodes header values, which are not URL-encoded
   * (an {@code Idempotency-Key} with a {@code +} lost it).
   */
  private Future<ValidatableRequest> extract(RoutingContext rc, Operation operation, Operation withoutQuery) {
    if (withoutQuery.getParameters().size() == operation.getParameters().size()) {
      return extractor.extractValidatableRequest(rc, operation);
    }
    return RequestUtils.extract(rc.request(), withoutQuery, () -> Future.succeededFuture(rc.body().buffer()))
        .map(extracted -> {
          Map<String, RequestParameter> query = new HashMap<>(extracted.getQuery());
          Map<String, RequestParameter> headers = new HashMap<>(extracted.getHeaders());
          for (Parameter parameter : operation.getParameters()) {
            if (WithoutPlainQuery.plain(parameter) && parameter.getIn() == Location.QUERY) {
              query.put(parameter.getName(), new RequestParameterImpl(rc.request().params().get(parameter.getName())));
            } else if (WithoutPlainQuery.plain(parameter)) {
              headers.put(parameter.getName(), new RequestParameterImpl(rc.request().getHeader(parameter.getName())));
            }
          }
          return new ValidatableRequestImpl(extracted.getCookies(), headers,
              extracted.getPathParameters(), query, extracted.getBody(), extracted.getContentType());
        });
  }

  /** The operation as the library's extraction should see it: without its plain query and header parameters. */
  private static final class WithoutPlainQuery implements Operation {

    private final Operation operation;
    /** Computed once: extraction runs per request. */
    private final java.util.List<Parameter> parameters;

    WithoutPlainQuery(Operation operation) {
      this.operation = operation;
      this.parameters = operation.getParameters().stream().filter(parameter -> !plain(parameter)).toList();
    }

    static boolean plain(Parameter parameter) {
      return (parameter.getIn() == Location.QUERY || parameter.getIn() == Location.HEADER)
          && parameter.getSchemaType() != SchemaType.ARRAY && parameter.getSchemaType() != SchemaType.OBJECT;
    }

    @Override
    public java.util.List<Parameter> getParameters() {
      return parameters;
    }

    @Override
    public String getOperationId() {
      return operation.getOperationId();
    }

    @Override
    public io.vertx.core.http.HttpMethod getHttpMethod() {
      return operation.getHttpMethod();
    }

    @Override
    public String getOpenAPIPath() {
      return operation.getOpenAPIPath();
    }

    @Override
    public String getAbsoluteOpenAPIPath() {
      return operation.getAbsoluteOpenAPIPath();
    }

    @Override
    public java.util.List<String> getTags() {
      return operation.getTags();
    }

    @Override
    public io.vertx.openapi.contract.RequestBody getRequestBody() {
      return operation.getRequestBody();
    }

    @Override
    public io.vertx.openapi.contract.Response getDefaultResponse() {
      return operation.getDefaultResponse();
    }

    @Override
    public io.vertx.openapi.contract.Response getResponse(int status) {
      return operation.getResponse(status);
    }

    @Override
    public java.util.List<io.vertx.openapi.contract.SecurityRequirement> getSecurityRequirements() {
      return operation.getSecurityRequirements();
    }

    @Override
    public io.vertx.core.json.JsonObject getOpenAPIModel() {
      return operation.getOpenAPIModel();
    }

    @Override
    public Map<String, Object> getExtensions() {
      return operation.getExtensions();
    }
  }

  Future<ValidatedRequest> validate(ValidatableRequest request, Operation operation) {
    try {
      Map<String, RequestParameter> cookies = new HashMap<>();
      Map<String, RequestParameter> headers = new HashMap<>();
      Map<String, RequestParameter> path = new HashMap<>();
      Map<String, RequestParameter> query = new HashMap<>();
      for (Parameter parameter : operation.getParameters()) {
        String name = parameter.getName();
        switch (parameter.getIn()) {
          case COOKIE -> cookies.put(name, validateParameter(parameter, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validateParameter(parameter, request.getHeaders().get(name)));
          case PATH -> path.put(name, validateParameter(parameter, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validateParameter(parameter, request.getQuery().get(name)));
          default -> { }
        }
      }
      RequestParameter body = validateBody(operation.getRequestBody(), request);
      return Future.succeededFuture(new ValidatedRequestImpl(cookies, headers, path, query, body));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
