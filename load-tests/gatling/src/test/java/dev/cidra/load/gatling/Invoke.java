package dev.cidra.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/** The synchronous call every HTTP simulation makes, and the protocol they share. */
final class Invoke {
    private Invoke() {}

    /**
     * The gateway at {@link Config#gateway()}, keep-alive connections per virtual user, no warm-up request (Gatling's
     * default one goes to an outside address).
     */
    static HttpProtocolBuilder protocol() {
        return http.baseUrl(Config.gateway())
                .header("Authorization", "Bearer " + Config.token())
                .disableWarmUp()
                .disableCaching();
    }

    /**
     * {@code POST /v1/functions/#{cid}/invoke} with empty stdin; succeeds on HTTP 200 with the guest's exit code 0.
     */
    static HttpRequestActionBuilder call() {
        return http("invoke")
                .post("/v1/functions/#{cid}/invoke")
                .header("Content-Type", "application/octet-stream")
                .body(ByteArrayBody(new byte[0]))
                .check(status().is(200), header("Cidra-Exit-Code").is("0"));
    }
}
