package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.ErrorCode;
import io.switchboard.server.TestServer;
import io.switchboard.server.http.HttpResponses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.server.TestServer.config;
import static io.switchboard.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** One error vocabulary: the same fault gets the same error number and name on {@code /ws} and over HTTP. */
class ErrorVocabularyTest {

    private final TestServer http = new TestServer(config());

    @AfterEach
    void stop() {
        http.close();
    }

    @ParameterizedTest(name = "{0}: {3} {4}")
    @CsvSource(delimiter = '|', value = {
        "duplicate key   | {\"id\":1,\"publish\":{\"channel\":\"news\",\"data\":1,\"data\":2}} | POST | /api/publish | {\"channel\":\"news\",\"data\":1,\"data\":2} | 400 | invalid_json",
        "not JSON        | {\"id\":1,\"publish\":{\"channel\":                                | POST | /api/publish | {\"channel\":                               | 400 | invalid_json",
        "missing data    | {\"id\":1,\"publish\":{\"channel\":\"news\"}}                   | POST | /api/publish | {\"channel\":\"news\"}                     | 400 | bad_request",
        "unknown field   | {\"id\":1,\"publish\":{\"channel\":\"news\",\"data\":1,\"x\":1}} | POST | /api/publish | {\"channel\":\"news\",\"data\":1,\"x\":1}  | 400 | bad_request",
        "bad channel     | {\"id\":1,\"publish\":{\"channel\":\"no spaces\",\"data\":1}}   | POST | /api/publish | {\"channel\":\"no spaces\",\"data\":1}     | 400 | bad_channel",
        "bad cursor      | {\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"seven\"}} | GET | /poll?channel=news&since=seven |                             | 400 | bad_cursor",
    })
    void theSameFaultIsTheSameErrorOnWsAndOverHttp(String fault, String command, String method, String path, String body,
                                                    int status, String name) throws Exception {
        JsonNode wsError;
        try (WsClient client = WsClient.connect(http.server())) {
            wsError = client.request(command).path("error");
        }
        HttpResponse<String> response = method.equals("GET") ? http.get(path) : http.post(path, body);
        JsonNode httpError = json(response).path("error");

        assertThat(wsError.path("name").asText()).as("the /ws error's name for %s", fault).isEqualTo(name);
        assertThat(httpError.path("name").asText()).as("the HTTP error's name for %s", fault).isEqualTo(name);
        assertThat(httpError.path("code").asText()).as("the HTTP error's code (its name) for %s", fault).isEqualTo(name);
        assertThat(httpError.path("number").asInt()).as("the HTTP error's number for %s", fault)
                .isEqualTo(wsError.path("code").asInt()).isPositive();
        assertThat(response.statusCode()).as("the HTTP status for %s", fault).isEqualTo(status);
    }

    @Test
    void theProtocolDocListsEveryErrorWithItsNumberNameAndHttpStatus() throws Exception {
        Matcher row = Pattern.compile("(?m)^\\| (\\d{3}) \\| `([a-z_]+)` \\| (\\d{3}) \\|")
                .matcher(Files.readString(ProtocolDocTest.docs().resolve("protocol.md")));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2) + " " + row.group(3));
        }

        List<String> vocabulary = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            vocabulary.add(code.code() + " " + code.wireName() + " " + HttpResponses.status(code).code());
        }
        assertThat(documented).as("the error table of docs/protocol.md").containsExactlyElementsOf(vocabulary);
    }
}
