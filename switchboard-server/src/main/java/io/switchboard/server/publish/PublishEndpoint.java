package io.switchboard.server.publish;

import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.Hub;
import io.switchboard.core.Message;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.protocol.CommandParser;
import io.switchboard.core.protocol.PublishRequest;
import io.switchboard.server.http.HttpEndpoint;
import io.switchboard.server.http.ApiKey;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Origins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static io.switchboard.server.http.HttpResponses.JSON;

/**
 * Publishing over HTTP. {@code POST /api/publish} takes {@code {"channel":"news","data":{...}}}
 * from a backend and answers {@code 200 {"offset":10,"epoch":"abc"}}; it is safe by default: with
 * no API key configured only callers on this machine (loopback) may publish (403 otherwise), with
 * a key {@code Authorization: Bearer <key>} is required (401 otherwise). {@code POST
 * /api/notifications} publishes its whole JSON body to one fixed channel.
 */
public final class PublishEndpoint implements HttpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(PublishEndpoint.class);

    private final Hub hub;
    private final CommandParser parser;
    /** The fixed channel; null: the body names it. */
    private final String channel;
    /** Required bearer key (UTF-8); null: loopback callers only. */
    private final ApiKey apiKey;
    /** Pages allowed to post; {@code pagesMayPost}: whether a page of an allowed origin needs no key. */
    private final Origins origins;
    private final boolean pagesMayPost;

    private PublishEndpoint(Hub hub, String channel, String apiKey, Origins origins, boolean pagesMayPost) {
        this.hub = hub;
        this.parser = new CommandParser(hub.config().maxChannelLength());
        this.channel = channel;
        this.apiKey = new ApiKey(apiKey, "--api-key");
        this.origins = origins;
        this.pagesMayPost = pagesMayPost;
    }

    /** {@code POST /api/publish}: any channel, for callers with {@code apiKey} (null: loopback callers). */
    public static PublishEndpoint api(Hub hub, String apiKey, Origins origins) {
        return new PublishEndpoint(hub, null, apiKey, origins, false);
    }

    /**
     * Publishes each request's JSON body to {@code channel} (the lesson's notifications): for pages of
     * an allowed origin (the demo page), and for callers that may use the publish API.
     */
    public static PublishEndpoint toChannel(Hub hub, String channel, String apiKey, Origins origins) {
        return new PublishEndpoint(hub, channel, apiKey, origins, true);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        // Browsers send Origin with every POST; a page of another site is refused whatever it sends.
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            HttpResponses.error(ctx, request, ErrorCode.CROSS_SITE_REQUEST,
                    "pages of origin " + origin + " may not publish here (see --allowed-origins)");
            return;
        }
        // A cross-site form can post text/plain or form data without asking first, never application/json.
        if (!isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            HttpResponses.error(ctx, request, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as Content-Type: application/json");
            return;
        }
        if (!(pagesMayPost && origin != null) && !apiKey.check(ctx, request)) {
            return;
        }
        PublishRequest publish;
        try {
            publish = read(request);
        } catch (ProtocolException e) {
            HttpResponses.error(ctx, request, e);
            return;
        }
        HttpRequest head = HttpResponses.headOf(request);
        hub.publish(publish.channel(), publish.data(), null).whenComplete((message, failure) -> ctx.executor().execute(() -> answer(ctx, head, message, failure)));
    }

    private static void answer(ChannelHandlerContext ctx, HttpRequest head, Message message, Throwable failure) {
        if (failure == null) {
            String body = JSON.createObjectNode().put("offset", message.offset()).put("epoch", message.epoch()).toString();
            HttpResponses.json(ctx, head, HttpResponseStatus.OK, body);
            return;
        }
        log.debug("publish failed", failure);
        HttpResponses.send(ctx, head, HttpResponses.failureResponse(ctx, failure, "message not published, try again"));
    }

    /** The publish the request's body asks for, read as strictly as {@code /ws} reads a publish; empty: a refusal. */
    private PublishRequest read(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "the body is empty; send JSON");
        }
        InputStream body = new ByteBufInputStream(request.content().duplicate());
        return channel != null ? parser.parsePublish(channel, body) : parser.parsePublish(body);
    }


    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
