package dev.ccp.spi.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTest {

    static Recipe parse(String json) {
        return Recipe.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecipeReadsItsFourKindsOfStepInOrder() {
        Recipe recipe = parse("{\"title\":\"Format and test\",\"steps\":[{\"run\":[\"./mvnw\",\"verify\"],\"cwd\":\"server\"},"
                + "{\"write\":\"CHANGELOG.md\",\"content\":\"## 1.0\\n\"},{\"patch\":\"fix.diff\"},{\"note\":\"done\"}]}");

        assertThat(recipe.title()).isEqualTo("Format and test");
        assertThat(recipe.steps()).containsExactly(new Recipe.Run(List.of("./mvnw", "verify"), "server"),
                new Recipe.Write("CHANGELOG.md", "## 1.0\n"), new Recipe.Patch("fix.diff"), new Recipe.Say("done"));
        assertThat(parse("{\"title\":\"t\",\"steps\":[{\"run\":[\"ls\"]}]}").steps().get(0)).isEqualTo(new Recipe.Run(List.of("ls"), "."));
    }

    @Test
    void aMistakeIsNamedWithTheStepItIsIn() {
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"run\":[\"ls\"]},{\"rum\":[\"rm\"]}]}"))
                .hasMessage("step 2 must have one of \"run\", \"write\", \"patch\" or \"note\"");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"run\":[\"ls\"],\"write\":\"x\"}]}"))
                .hasMessage("step 1 has \"write\", which is not one of [\"cwd\", \"run\"]");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"run\":\"make all\"}]}"))
                .hasMessage("step 1: \"run\" must be a list: the program, then its arguments");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"write\":\"a.txt\"}]}"))
                .hasMessage("step 1: \"write\" needs \"content\", the file's new text");
        assertThatThrownBy(() -> parse("{\"steps\":[{\"note\":\"x\"}]}")).hasMessage("\"title\" must be a non-empty string");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[]}")).hasMessage("\"steps\" must be a list of at least one step");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"note\":\"x\"}],\"extra\":1}"))
                .hasMessageStartingWith("the recipe has \"extra\"");
        assertThatThrownBy(() -> parse("[1]")).hasMessageStartingWith("a recipe is a JSON object");
        assertThatThrownBy(() -> parse("{nope")).hasMessageStartingWith("the recipe is not JSON");
    }

    @Test
    void sizesAreBounded() {
        String many = "{\"title\":\"t\",\"steps\":[" + String.join(",", java.util.Collections.nCopies(Recipe.MAX_STEPS + 1, "{\"note\":\"x\"}")) + "]}";
        assertThatThrownBy(() -> parse(many)).hasMessageContaining("at most 200 steps");
        String big = "{\"title\":\"t\",\"steps\":[{\"write\":\"a\",\"content\":\"" + "x".repeat(Recipe.MAX_CONTENT + 1) + "\"}]}";
        assertThatThrownBy(() -> parse(big)).hasMessageContaining("is over 1048576 characters");
        assertThatThrownBy(() -> parse("{\"title\":\"t\",\"steps\":[{\"note\":\"a\\u0000b\"}]}")).hasMessageContaining("without NUL");
    }
}
