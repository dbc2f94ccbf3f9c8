package io.switchboard.websocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which permessage-deflate offers the server accepts, and how it answers them. */
class DeflateParametersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate | permessage-deflate",
        "permessage-deflate; client_max_window_bits | permessage-deflate",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate; server_max_window_bits=10",
        "permessage-deflate; client_max_window_bits; server_max_window_bits=8 | permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; client_max_window_bits=9 | permessage-deflate",
        "x-webkit-deflate-frame, permessage-deflate; client_no_context_takeover | permessage-deflate; client_no_context_takeover",
    })
    void acceptsTheFirstOfferItCanHonour(String offer, String answer) {
        DeflateParameters deflate = DeflateParameters.negotiate(offer, 0);
        assertThat(deflate).isNotNull();
        assertThat(deflate.responseHeader()).isEqualTo(answer);
    }

    @ParameterizedTest(name = "declines {0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; unknown_param",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "x-webkit-deflate-frame",
    })
    void declinesOffersItCannotHonour(String offer) {
        assertThat(DeflateParameters.negotiate(offer, 0)).isNull();
    }
}
