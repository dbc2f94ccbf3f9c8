package io.switchboard.bench.scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Prints results as an aligned text table: one row per variant and peer, one column per metric. */
public final class ResultTable {

    private ResultTable() {
    }

    /** Writes the table of {@code results} to {@code out}. */
    public static void print(List<Result> results, PrintStream out) {
        if (results.isEmpty()) {
            out.println("(no results)");
            return;
        }
        Set<String> metrics = new LinkedHashSet<>();
        results.forEach(r -> metrics.addAll(r.metrics().keySet()));
        List<String> header = new ArrayList<>(List.of("scenario", "variant", "peer"));
        header.addAll(metrics);
        List<List<String>> rows = new ArrayList<>();
        for (Result r : results) {
            List<String> row = new ArrayList<>(List.of(r.scenario(), r.variant(), r.peer()));
            for (String metric : metrics) {
                row.add(format(r.get(metric)));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(header, widths));
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(i < 3 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell)).append("  ");
        }
        return line.toString().stripTrailing();
    }

    /** A metric as a table shows it: thousands separated, two decimals below 100, "-" when missing. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
