package io.execguard.sidecar.scan.image;

import java.io.IOException;

/** The input is not a readable container image (or directory): the message is one sentence for the user. */
public final class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
