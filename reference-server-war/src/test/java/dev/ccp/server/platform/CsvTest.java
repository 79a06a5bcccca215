package dev.ccp.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void plainFieldsStayAsTheyAre() {
        assertThat(Csv.field("glm-4.6")).isEqualTo("glm-4.6");
        assertThat(Csv.field("2026-11-26T09:00:00Z")).isEqualTo("2026-11-26T09:00:00Z");
        assertThat(Csv.field(null)).isEmpty();
    }

    @Test
    void commasQuotesAndLineBreaksAreQuoted() {
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void aSpreadsheetFormulaIsShownNotRun() {
        assertThat(Csv.field("=cmd")).isEqualTo("\"'=cmd\"");
        assertThat(Csv.field("+1")).isEqualTo("\"'+1\"");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(Csv.field("\t=x")).startsWith("\"'");
    }
}
