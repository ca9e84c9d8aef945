package io.orchestry.provisioner.backup;

import java.util.BitSet;

/** One of the five fields of a {@link CronSchedule}: its name and range, and how a field's text becomes its values. */
enum CronField {
    MINUTE("minute", 0, 59),
    HOUR("hour", 0, 23),
    DAY_OF_MONTH("day-of-month", 1, 31),
    MONTH("month", 1, 12),
    DAY_OF_WEEK("day-of-week", 0, 7);

    private final String label;
    private final int min;
    private final int max;

    CronField(String label, int min, int max) {
        this.label = label;
        this.min = min;
        this.max = max;
    }

    /** The values the field's text selects: a comma list of {@code *}, {@code n}, {@code a-b}, each optionally {@code /step}. */
    BitSet parse(String text) {
        BitSet values = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            parseItem(item, values);
        }
        return values;
    }

    private void parseItem(String item, BitSet values) {
        if (item.isEmpty()) {
            throw invalid("has an empty list item in '" + item + "'");
        }
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = number(item.substring(slash + 1), "step");
            if (step < 1) {
                throw invalid("step " + step + " must be at least 1");
            }
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = min;
            to = max;
        } else {
            int dash = range.indexOf('-');
            from = inRange(number(dash >= 0 ? range.substring(0, dash) : range, "value"));
            to = dash >= 0 ? inRange(number(range.substring(dash + 1), "value")) : from;
            if (slash >= 0 && dash < 0) {
                throw invalid("step needs a range or * before it, got '" + item + "'");
            }
            if (from > to) {
                throw invalid("range " + range + " runs backwards");
            }
        }
        for (int v = from; v <= to; v += step) {
            values.set(v);
        }
    }

    private int number(String text, String what) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            throw invalid(what + " '" + text + "' is not a number");
        }
        return Integer.parseInt(text);
    }

    private int inRange(int value) {
        if (value < min || value > max) {
            throw invalid(value + " out of range " + min + "-" + max);
        }
        return value;
    }

    private IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(label + " " + what);
    }
}
