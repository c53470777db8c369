package io.sfgateway.tokenexchange.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link SalesforceCheck} found, in plain words. It never holds a token, a secret, a
 * session id or a signature: only what Salesforce said about them.
 *
 * @param registration the registration's name
 * @param tokenEndpoint where the exchange was sent
 * @param findings in the order checked
 */
public record CheckReport(String registration, String tokenEndpoint, List<Finding> findings) {

    public CheckReport {
        findings = List.copyOf(findings);
    }

    /** How a finding reads: {@code OK} passes; {@code WARN} and {@code FAIL} are problems to fix. */
    public enum Verdict {
        OK, WARN, FAIL
    }

    /**
     * @param fix what to change, or {@code null} for a finding that passes
     */
    public record Finding(Verdict verdict, String text, String fix) {

        static Finding ok(String text) {
            return new Finding(Verdict.OK, text, null);
        }

        static Finding warn(String text, String fix) {
            return new Finding(Verdict.WARN, text, fix);
        }

        static Finding fail(String text, String fix) {
            return new Finding(Verdict.FAIL, text, fix);
        }
    }

    /** Whether every finding is {@link Verdict#OK}: a warning is a misconfiguration too. */
    public boolean passed() {
        return findings.stream().allMatch(finding -> finding.verdict() == Verdict.OK);
    }

    /** The report as lines of plain text, the verdict first, each fix on its own line, then the result. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Salesforce check of registration '" + registration + "' (token endpoint " + tokenEndpoint + ")");
        for (Finding finding : findings) {
            lines.add(String.format("%-5s %s", finding.verdict() == Verdict.OK ? "ok" : finding.verdict().name(),
                    finding.text()));
            if (finding.fix() != null) {
                lines.add("      fix: " + finding.fix());
            }
        }
        long problems = findings.stream().filter(finding -> finding.verdict() != Verdict.OK).count();
        lines.add(problems == 0 ? "PASSED" : "FAILED: " + problems + (problems == 1 ? " problem" : " problems"));
        return lines;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines());
    }
}
