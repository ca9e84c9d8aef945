package io.orchestry.provisioner.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * When a database's scheduled backups run (pure): five cron fields (minute hour day-of-month month day-of-week, in
 * UTC) with {@code *}, lists, ranges, {@code *}{@code /n} and {@code a-b/n}, day-of-week 0–7 (0 and 7 are Sunday), and
 * cron's rule that a time matches either day field when both are restricted; or one of {@code @hourly},
 * {@code @daily}, {@code @midnight}, {@code @weekly}. An invalid expression is an {@link IllegalArgumentException}
 * whose message says what is wrong, fit to go back to the client as a 400.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0");
    private static final int[] DAYS_IN_MONTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** Enough years for any day that exists at all (29 February comes at least every 8 years). */
    private static final int SEARCH_YEARS = 9;

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronSchedule(String expression, String[] fields) {
        this.expression = expression;
        minutes = CronField.MINUTE.parse(fields[0]);
        hours = CronField.HOUR.parse(fields[1]);
        daysOfMonth = CronField.DAY_OF_MONTH.parse(fields[2]);
        months = CronField.MONTH.parse(fields[3]);
        BitSet dow = CronField.DAY_OF_WEEK.parse(fields[4]);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        daysOfWeek = dow;
        domRestricted = !fields[2].startsWith("*");
        dowRestricted = !fields[4].startsWith("*");
        if (domRestricted && !dowRestricted && !anyMonthHasADay()) {
            throw new IllegalArgumentException("day-of-month " + fields[2] + " never occurs in month " + fields[3]);
        }
    }

    /** Parses an expression; throws {@link IllegalArgumentException} naming what is wrong. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("schedule is empty");
        }
        String trimmed = expression.strip();
        String fields = trimmed.startsWith("@") ? MACROS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (fields == null) {
            throw new IllegalArgumentException("unknown schedule " + trimmed + " (known: @hourly, @daily, @midnight, @weekly)");
        }
        String[] parts = fields.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("schedule needs 5 fields (minute hour day-of-month month day-of-week), got "
                    + parts.length);
        }
        return new CronSchedule(trimmed, parts);
    }

    /** The first time strictly after {@code after} (whole minutes, UTC) at which the schedule fires. */
    public Instant next(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant(ZoneOffset.UTC);
            }
        }
        throw new IllegalStateException("schedule " + expression + " never fires");
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private boolean anyMonthHasADay() {
        for (int month = months.nextSetBit(1); month >= 0; month = months.nextSetBit(month + 1)) {
            int first = daysOfMonth.nextSetBit(1);
            if (first >= 0 && first <= DAYS_IN_MONTH[month]) {
                return true;
            }
        }
        return false;
    }

    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }
}
