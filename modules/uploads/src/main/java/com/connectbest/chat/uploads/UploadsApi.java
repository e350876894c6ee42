package com.connectbest.chat.uploads;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;

/**
 * The uploads service's event-bus API. Files themselves never arrive in an operation's request: the gateway
 * streams them through {@code beginUpload} and an upload session (see docs/event-bus.md). The upload operations
 * reaching this address directly therefore carry no file.
 */
final class UploadsApi {

  static final String UPLOAD_AVATAR = "uploadAvatar";
  static final String UPLOAD_MESSAGE_FILE = "uploadMessageFile";
  static final String SET_MY_AVATAR = "setMyAvatar";
  static final String GET_FILE = "getFile";

  private UploadsApi() {
  }

  static void register(ServiceDispatcher dispatcher, UploadService uploads, FileAccess access, FileStore files) {
    dispatcher
        .on(InternalActions.STORAGE_USAGE, request -> files.usage().map(ServiceReply::ok))
        .on(InternalActions.BEGIN_UPLOAD, request ->
            uploads.begin(request.requirePrincipal(), request.bodyObject(), request.requestId()).map(ServiceReply::ok))
        .on(UPLOAD_AVATAR, request -> noFile(request))
        .on(UPLOAD_MESSAGE_FILE, request -> noFile(request))
        .on(SET_MY_AVATAR, request ->
            uploads.setAvatarUrl(request.requirePrincipal(), request.bodyObject(), request.requestId())
                .map(ServiceReply::ok))
        .on(GET_FILE, request -> access.get(request.principal(), request.pathParam("folder"),
            request.pathParam("fileName"), request.query()));
  }

  private static Future<ServiceReply> noFile(ServiceRequest request) {
    request.requirePrincipal();
    return Future.failedFuture(ApiException.badRequest("No file provided"));
  }
}
