package io.orchestry.proxy.metrics;

/** The class of an HTTP status as the metrics count it; {@link #OTHER} for what nginx logs outside 100-599 (e.g. 000). */
public enum StatusClass {
    INFORMATIONAL("1xx"),
    SUCCESS("2xx"),
    REDIRECTION("3xx"),
    CLIENT_ERROR("4xx"),
    SERVER_ERROR("5xx"),
    OTHER("other");

    private final String label;

    StatusClass(String label) {
        this.label = label;
    }

    public static StatusClass of(int status) {
        return switch (status / 100) {
            case 1 -> INFORMATIONAL;
            case 2 -> SUCCESS;
            case 3 -> REDIRECTION;
            case 4 -> CLIENT_ERROR;
            case 5 -> SERVER_ERROR;
            default -> OTHER;
        };
    }

    /** The {@code status_class} tag value: {@code 2xx}, ..., {@code other}. */
    public String label() {
        return label;
    }
}
