package io.orchestry.paging;

import io.orchestry.error.FieldViolation;
import io.orchestry.error.InvalidArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a page of one list starts and how long it is, read from what a caller sent. Every list in
 * Orchestry, gRPC and REST, reads its page here, so one rule holds everywhere:
 * <ul>
 *   <li>a size of 0 (or absent) means {@link #DEFAULT_SIZE}; above {@link #MAX_SIZE} is clipped to it
 *       (as Google's AIP-158 says); below 0 is invalid;</li>
 *   <li>a token is opaque: base64url of {@code <version>|<list>|<position>}. A token of another list,
 *       another version or none of ours is invalid, never silently the first page.</li>
 * </ul>
 * A store fetches {@link #fetchSize()} rows (one more than the page) after {@link #after()}, in the
 * list's order, and hands them to {@link Page#of}, which cuts the extra row off and makes the next
 * token: the page+1 trick lives there and nowhere else.
 *
 * @param list     which list the token belongs to (e.g. {@code "nodes"}); part of every token
 * @param after    the position of the last item of the previous page; "" for the first page
 * @param size     how many items the page holds, 1 to {@link #MAX_SIZE}
 */
public record PageRequest(String list, String after, int size) {
    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 1000;
    static final String VERSION = "1";
    private static final Pattern LIST_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

    public PageRequest {
        Objects.requireNonNull(list, "list");
        if (!LIST_NAME.matcher(list).matches()) {
            // a list name with the separator in it could accept another list's tokens
            throw new IllegalArgumentException("list name " + list + " is not [a-z][a-z0-9-]*");
        }
        Objects.requireNonNull(after, "after");
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size " + size + " is not 1 to " + MAX_SIZE);
        }
    }

    /** The first page of {@code list}, of the default size. */
    public static PageRequest first(String list) {
        return new PageRequest(list, "", DEFAULT_SIZE);
    }

    /**
     * Reads a caller's page size and token. Both problems, if any, are reported together, under the
     * field names the caller used ({@code page_size}/{@code page_token} for gRPC,
     * {@code limit}/{@code pageToken} for REST).
     */
    public static PageRequest of(String list, int requestedSize, String pageToken, String sizeField, String tokenField) {
        List<FieldViolation> violations = new ArrayList<>();
        if (requestedSize < 0) {
            violations.add(new FieldViolation(sizeField, "must not be negative (0 means " + DEFAULT_SIZE
                    + ", at most " + MAX_SIZE + ")"));
        }
        String after = decode(list, pageToken);
        if (after == null) {
            violations.add(new FieldViolation(tokenField, "not a token from a previous page of this list"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgumentException(violations);
        }
        int size = requestedSize == 0 ? DEFAULT_SIZE : Math.min(requestedSize, MAX_SIZE);
        return new PageRequest(list, after, size);
    }

    /** {@link #of(String, int, String, String, String)} with gRPC's field names. */
    public static PageRequest ofGrpc(String list, int pageSize, String pageToken) {
        return of(list, pageSize, pageToken, "page_size", "page_token");
    }

    /** How many rows a store fetches: one more than the page, so that {@link Page#of} knows whether another follows. */
    public int fetchSize() {
        return size + 1;
    }

    /** Whether this is the first page. */
    public boolean isFirst() {
        return after.isEmpty();
    }

    /**
     * The position as a number, for lists ordered by a numeric id. The token was made by
     * {@link Page#of} from a number, so anything else means it was tampered with.
     */
    public long afterAsLong(String tokenField) {
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(tokenField, "not a token from a previous page of this list");
        }
    }

    /** The token that starts the page after {@code position}. */
    String tokenAfter(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (VERSION + "|" + list + "|" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token names, "" for no token, or null when it is not a token of this list. */
    private static String decode(String list, String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        String decoded;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            // only the one spelling we hand out: no padding, no other alphabet, valid UTF-8
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
                return null;
            }
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException notOurs) {
            return null;
        }
        String prefix = VERSION + "|" + list + "|";
        if (!decoded.startsWith(prefix) || decoded.length() == prefix.length()) {
            return null;
        }
        return decoded.substring(prefix.length());
    }
}
