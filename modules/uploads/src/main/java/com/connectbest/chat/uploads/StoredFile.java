package com.connectbest.chat.uploads;

import com.connectbest.chat.common.Principal;

/**
 * A file whose bytes were checked and written to the bucket, handed to {@link UploadService#finish} to be recorded
 * and answered.
 */
record StoredFile(String operation, FileKind kind, String key, String extension, String contentType,
                  String originalName, long size, Principal owner, String requestId) {
}
