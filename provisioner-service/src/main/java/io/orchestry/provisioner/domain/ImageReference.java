package io.orchestry.provisioner.domain;

import java.util.regex.Pattern;

/**
 * Docker's image reference grammar (distribution/reference): {@code [registry[:port]/]path[:tag][@sha256:<64 hex>]},
 * path components lower-case alphanumerics joined by {@code .}, {@code _}, {@code __} or dashes.
 */
final class ImageReference {
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*";
    private static final Pattern REFERENCE = Pattern.compile("^(?:(?<domain>" + DOMAIN + ")/)?(?<path>" + PATH_COMPONENT
            + "(?:/" + PATH_COMPONENT + ")*)(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$");
    static final int MAX_NAME = 255;

    private ImageReference() {
    }

    /** Null when valid, else why not. */
    static String problem(String image) {
        if (image == null || image.isEmpty()) {
            return "required";
        }
        if (image.length() > 512) {
            return "must be at most 512 characters";
        }
        var m = REFERENCE.matcher(image);
        if (!m.matches()) {
            return "'" + image + "' is not an image reference: [registry[:port]/]path[:tag][@sha256:<64 hex>],"
                    + " the path in lower case";
        }
        String domain = m.group("domain");
        if (domain != null && !domain.contains(".") && !domain.contains(":") && !domain.equals("localhost")
                && !domain.equals(domain.toLowerCase(java.util.Locale.ROOT))) {
            return "'" + image + "': the repository path must be lower case";
        }
        String name = (domain == null ? "" : domain + "/") + m.group("path");
        if (name.length() > MAX_NAME) {
            return "the repository name must be at most " + MAX_NAME + " characters";
        }
        return null;
    }
}
