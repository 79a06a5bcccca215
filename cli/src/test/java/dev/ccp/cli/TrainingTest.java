package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class TrainingTest {

    /** The class-data archive is made from this run: it must take the path a logged-in person's commands take. */
    @Test
    void everyTrainingCommandSucceeds() {
        assertThatCode(Training::run).doesNotThrowAnyException();
    }
}
