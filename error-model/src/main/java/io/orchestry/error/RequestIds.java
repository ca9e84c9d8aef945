package io.orchestry.error;

import io.grpc.Metadata;

/** The request id that the gateway accepts or makes and passes to every service it calls. */
public final class RequestIds {
    /** The HTTP header and the gRPC metadata key that carry it. */
    public static final String HEADER = "X-Request-Id";
    public static final Metadata.Key<String> METADATA_KEY =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    private RequestIds() {
    }
}
