package io.orchestry.names;

import io.orchestry.error.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style equality selector: terms separated by commas, all of which must hold.
 * {@code k=v} (or {@code k==v}) the label is v; {@code k!=v} the label is absent or not v;
 * {@code k} the label is present; {@code !k} it is absent.
 */
public record LabelSelector(List<Term> terms) {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    private static final String KEY = "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
    private static final Pattern TERM = Pattern.compile(
            "^(?<not>!)?(?<key>" + KEY + ")(?:(?<op>==|=|!=)(?<value>" + VALUE + "))?$");

    public enum Operator { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

    public record Term(String key, Operator operator, String value) {
        public boolean matches(Map<String, String> labels) {
            String actual = labels.get(key);
            return switch (operator) {
                case EQUALS -> value.equals(actual);
                case NOT_EQUALS -> !value.equals(actual);
                case EXISTS -> actual != null;
                case NOT_EXISTS -> actual == null;
            };
        }
    }

    public LabelSelector {
        terms = List.copyOf(terms);
    }

    /** Parses a selector; an empty one selects everything. */
    public static LabelSelector parse(String selector, String field) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : selector.split(",", -1)) {
            Matcher m = TERM.matcher(raw.trim());
            if (!m.matches()) {
                throw new InvalidArgumentException(field, "'" + raw.trim() + "' is not a selector term: use k=v, k!=v, k or !k, separated by commas");
            }
            String key = m.group("key");
            String op = m.group("op");
            boolean negated = m.group("not") != null;
            if (negated && op != null) {
                throw new InvalidArgumentException(field, "'" + raw.trim() + "': '!' goes only before a bare key (!k)");
            }
            if (op == null) {
                terms.add(new Term(key, negated ? Operator.NOT_EXISTS : Operator.EXISTS, null));
            } else {
                terms.add(new Term(key, op.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS, m.group("value")));
            }
        }
        return new LabelSelector(terms);
    }

    public boolean matches(Map<String, String> labels) {
        return terms.stream().allMatch(term -> term.matches(labels));
    }
}
