package io.sfgateway.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough SOQL for tests: {@code SELECT <fields> FROM <Type> [WHERE <Field> = '<value>'] [LIMIT n]}.
 * Other clauses are ignored; only {@code FROM} is required.
 *
 * @param fields     the selected fields, or empty for "every field"
 * @param type       the sObject type as written
 * @param whereField a field compared for equality, or {@code null}
 * @param whereValue the value it must equal, or {@code null}
 * @param limit      the row limit, or -1
 */
record SoqlQuery(List<String> fields, String type, String whereField, String whereValue, int limit) {

    private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern SELECT = Pattern.compile("(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s");
    private static final Pattern WHERE_EQUALS =
            Pattern.compile("(?i)\\bWHERE\\s+([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'");
    private static final Pattern LIMIT = Pattern.compile("(?i)\\bLIMIT\\s+(\\d{1,9})\\b");

    /** Parses a query; throws {@link IllegalArgumentException} when there is no {@code FROM <Type>}. */
    static SoqlQuery parse(String soql) {
        if (soql == null) {
            throw new IllegalArgumentException("no query");
        }
        Matcher from = FROM.matcher(soql);
        if (!from.find()) {
            throw new IllegalArgumentException("no FROM clause");
        }
        List<String> fields = new ArrayList<>();
        Matcher select = SELECT.matcher(soql);
        if (select.find()) {
            for (String field : select.group(1).split(",")) {
                if (!field.isBlank()) {
                    fields.add(field.trim());
                }
            }
        }
        Matcher where = WHERE_EQUALS.matcher(soql);
        String whereField = null;
        String whereValue = null;
        if (where.find()) {
            whereField = where.group(1);
            whereValue = where.group(2).replaceAll("\\\\(.)", "$1");
        }
        Matcher limit = LIMIT.matcher(soql);
        return new SoqlQuery(List.copyOf(fields), from.group(1), whereField, whereValue,
                limit.find() ? Integer.parseInt(limit.group(1)) : -1);
    }
}
