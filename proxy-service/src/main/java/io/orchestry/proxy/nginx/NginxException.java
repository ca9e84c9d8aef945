package io.orchestry.proxy.nginx;

/** nginx refused a start or a reload; the message carries what nginx said. */
public class NginxException extends RuntimeException {
    public NginxException(String message) {
        super(message);
    }

    public NginxException(String message, Throwable cause) {
        super(message, cause);
    }
}
