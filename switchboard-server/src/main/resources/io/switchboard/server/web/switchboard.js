/*
 * Switchboard browser client — one small API over every transport the server offers.
 *
 *   const sb = Switchboard.connect("http://localhost:8080");   // or Switchboard.connect() for this page's server
 *   const sub = sb.subscribe("news", (data, pub) => console.log(pub.offset, data), { since: "7:abc" });
 *   sub.cursor;                          // "<offset>:<epoch>" of the last publication received
 *   sb.publish("news", { title: "hi" }); // Promise of { offset, epoch } (over WebSocket)
 *   sub.unsubscribe();  sb.close();
 *
 * With tokens: Switchboard.connect(url, { token: () => fetchConnectionToken() }) and, for a private
 * channel, sb.subscribe("private:plans", onPublication, { token: () => fetchSubscriptionToken("private:plans") });
 * each supplier returns a token or a Promise of one and is asked again on every (re)connect.
 *
 * It speaks the /ws protocol (docs/protocol.md). The browser does not reconnect a WebSocket on its
 * own, so this client does: exponential backoff with jitter, then every subscription is renewed
 * from its cursor, so nothing published while it was away is lost. Where WebSocket is missing or
 * never opens, it falls back to Server-Sent Events (GET /sse), then to long polling (GET /poll),
 * resuming each channel from the same cursor.
 */
(function (global) {
  "use strict";

  var TRANSPORTS = ["websocket", "sse", "poll"];

  /** Opens a client to the Switchboard server at url (http(s):// or ws(s)://; default: this page's server). */
  function connect(url, options) {
    return new Client(url, options || {});
  }

  function Client(url, options) {
    var base = new URL(url || global.location.href, global.location && global.location.href);
    var secure = base.protocol === "https:" || base.protocol === "wss:";
    this.httpBase = (secure ? "https://" : "http://") + base.host;
    this.wsUrl = (secure ? "wss://" : "ws://") + base.host + "/ws";
    this.options = {
      transports: options.transports || TRANSPORTS,   // in order of preference
      minDelay: options.minDelay || 500,               // first reconnect delay, ms
      maxDelay: options.maxDelay || 30000,             // cap of the exponential backoff, ms
      fallbackAfter: options.fallbackAfter || 2,       // failed opens before the next transport, while none has opened yet
      pollWait: options.pollWait || 30,                // seconds a long poll is held
      token: options.token || null                     // () => token or Promise of one: a connection JWT, asked for on every (re)connect and before expiry
    };
    this.subscriptions = new Map();                    // channel -> Subscription
    this.transport = null;                             // "websocket" | "sse" | "poll" once chosen
    this.state = "connecting";                         // "connecting" | "open" | "closed"
    this.listeners = {};
    this.closed = false;
    this.attempt = 0;                                  // reconnect attempts since the last open
    this.failedOpens = 0;                              // opens that failed on the current transport
    this.transportIndex = -1;
    var self = this;
    // Open once the caller's synchronous setup is done: its listeners and first subscriptions go in the first connection.
    Promise.resolve().then(function () { self.nextTransport(); });
  }

  /** Listens for "state" (open / connecting / closed) and "transport" (which one is in use) changes. */
  Client.prototype.on = function (event, listener) {
    (this.listeners[event] = this.listeners[event] || []).push(listener);
    return this;
  };

  Client.prototype.emit = function (event, value) {
    (this.listeners[event] || []).forEach(function (listener) { listener(value); });
  };

  Client.prototype.setState = function (state) {
    if (this.state !== state) {
      this.state = state;
      this.emit("state", state);
    }
  };

  /**
   * Subscribes to channel: onPublication(data, {channel, offset, epoch, data}) runs for each
   * publication, in offset order, never twice. options.since resumes after a cursor; options.onSubscribed
   * gets {recovered, offset, epoch} each time the subscription is (re)established over WebSocket, and
   * over SSE when the cursor could not be recovered (recovered: false). options.token is a supplier
   * (() => token, or a Promise of one) of subscription tokens for a private channel, asked for each
   * time the subscription is (re)established: on /ws it goes in the subscribe command, on SSE and
   * long polling as sub_token= in the URL.
   */
  Client.prototype.subscribe = function (channel, onPublication, options) {
    if (this.subscriptions.has(channel)) {
      throw new Error("already subscribed to " + channel);
    }
    var sub = new Subscription(this, channel, onPublication, options || {});
    this.subscriptions.set(channel, sub);
    if (this.link) {
      this.link.subscribe(sub);
    }
    return sub;
  };

  /** Publishes data (any JSON value) to channel over the WebSocket; resolves to {offset, epoch}. */
  Client.prototype.publish = function (channel, data) {
    if (this.transport !== "websocket" || !this.link) {
      return Promise.reject(new Error("publishing needs the WebSocket transport (now: " + this.transport + ")"));
    }
    return this.link.command({ publish: { channel: channel, data: data } });
  };

  /** Stops every subscription and closes the connection for good. */
  Client.prototype.close = function () {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.link) {
      this.link.close();
      this.link = null;
    }
    this.setState("closed");
  };

  /** Moves to the next transport in the list that this browser has; false when there is none. */
  Client.prototype.nextTransport = function () {
    var transports = this.options.transports;
    for (var i = this.transportIndex + 1; i < transports.length; i++) {
      if (available(transports[i])) {
        this.transportIndex = i;
        this.transport = transports[i];
        this.failedOpens = 0;
        this.emit("transport", this.transport);
        this.open();
        return true;
      }
    }
    if (!this.transport) {
      this.close(); // the browser has none of them
    }
    return false;
  };

  Client.prototype.open = function () {
    if (this.closed) {
      return;
    }
    this.setState("connecting");
    var Link = this.transport === "websocket" ? WebSocketLink : this.transport === "sse" ? EventSourceLink : PollLink;
    this.link = new Link(this);
  };

  /** Called by a link once it is open: backoff resets, subscriptions are renewed from their cursors. */
  Client.prototype.opened = function () {
    this.attempt = 0;
    this.failedOpens = 0;
    this.everOpened = true;
    this.setState("open");
  };

  /**
   * Called by a link that closed or failed: reconnect later, or move on to the next transport when
   * this one never opened. A transport that has worked is kept: failed reconnects mean the server is
   * out of reach for a while (a restart, its node killed), not that this browser cannot use it.
   */
  Client.prototype.lost = function (link, wasOpen) {
    if (this.link !== link || this.closed) {
      return;
    }
    this.link = null;
    this.setState("connecting");
    if (!wasOpen && !this.everOpened && ++this.failedOpens >= this.options.fallbackAfter && this.nextTransport()) {
      return;
    }
    var delay = Math.min(this.options.maxDelay, this.options.minDelay * Math.pow(2, this.attempt++));
    var self = this;
    this.retryTimer = setTimeout(function () { self.open(); }, delay * (0.5 + Math.random() / 2));
  };

  /** The channels and their cursors, as the server's since= and Last-Event-ID expect them. */
  Client.prototype.cursorText = function () {
    var subs = Array.from(this.subscriptions.values());
    if (subs.length === 1) {
      return subs[0].cursor || "";
    }
    return subs.filter(function (s) { return s.cursor; })
        .map(function (s) { return s.channel + "=" + s.cursor; }).join(" ");
  };

  /** A Promise of the sub_token= parameters of the subscriptions that have a token supplier ("" when none). */
  Client.prototype.subscriptionTokenQuery = function () {
    return Promise.all(Array.from(this.subscriptions.values()).map(function (sub) { return sub.currentToken(); }))
        .then(function (tokens) {
          return tokens.filter(function (t) { return t; })
              .map(function (t) { return "&sub_token=" + encodeURIComponent(t); }).join("");
        });
  };

  Client.prototype.channelQuery = function () {
    var query = Array.from(this.subscriptions.keys()).map(function (c) { return "channel=" + encodeURIComponent(c); });
    var cursor = this.cursorText();
    if (cursor) {
      query.push("since=" + encodeURIComponent(cursor));
    }
    return query.join("&");
  };

  /** Splits a cursor text (plain for one channel, "a=7:e b=2:e" for several) into channel -> cursor. */
  Client.prototype.splitCursorText = function (text) {
    var cursors = new Map();
    var channels = Array.from(this.subscriptions.keys());
    if (!text) {
      return cursors;
    }
    text.split(" ").forEach(function (token) {
      var best = null;
      channels.forEach(function (c) {
        if (token.lastIndexOf(c + "=", 0) === 0 && (best === null || c.length > best.length)) {
          best = c;
        }
      });
      if (best !== null) {
        cursors.set(best, token.substring(best.length + 1));
      } else if (channels.length === 1) {
        cursors.set(channels[0], token);
      }
    });
    return cursors;
  };

  /** Takes the cursors the server sent as the subscriptions' own. */
  Client.prototype.applyCursorText = function (text) {
    var subscriptions = this.subscriptions;
    this.splitCursorText(text).forEach(function (cursor, channel) {
      subscriptions.get(channel).cursor = cursor;
    });
  };

  /** One channel subscription; cursor is the position of the last publication it received. */
  function Subscription(client, channel, onPublication, options) {
    this.client = client;
    this.channel = channel;
    this.onPublication = onPublication;
    this.onSubscribed = options.onSubscribed;
    this.cursor = options.since || null;
    this.token = options.token || null;
  }

  /** The subscription's token supplier, as a Promise (null when none is configured). */
  Subscription.prototype.currentToken = function () {
    return Promise.resolve(this.token ? this.token() : null);
  };

  /** Stops receiving this channel's publications. */
  Subscription.prototype.unsubscribe = function () {
    if (this.client.subscriptions.get(this.channel) === this) {
      this.client.subscriptions.delete(this.channel);
      if (this.client.link) {
        this.client.link.unsubscribe(this);
      }
    }
  };

  /** Delivers pub unless this cursor already covers it (a seam between transports or reconnects). */
  Subscription.prototype.deliver = function (pub) {
    var current = parseCursor(this.cursor);
    if (current && current.epoch === pub.epoch && pub.offset <= current.offset) {
      return;
    }
    this.cursor = pub.offset + ":" + pub.epoch;
    this.onPublication(pub.data, pub);
  };

  Subscription.prototype.subscribed = function (info) {
    if (!info.recovered || !this.cursor) {
      this.cursor = info.offset + ":" + info.epoch;
    }
    if (this.onSubscribed) {
      this.onSubscribed(info);
    }
  };

  // ---- transports: each link opens, carries the subscriptions, and reports lost() once ----

  /** The /ws protocol: commands with ids, replies, pub pushes. */
  function WebSocketLink(client) {
    var self = this;
    this.client = client;
    this.nextId = 1;
    this.pending = new Map();
    this.open = false;
    this.socket = new WebSocket(client.wsUrl);
    this.socket.onmessage = function (event) { self.receive(JSON.parse(event.data)); };
    this.socket.onclose = function () { self.closed(); };
  }

  WebSocketLink.prototype.receive = function (message) {
    var client = this.client;
    var self = this;
    if (message.connect && !message.id) {
      if (!client.options.token) {
        this.ready();
        return;
      }
      // Browsers cannot send headers on a WebSocket: the token goes in the first command.
      this.open = true;
      this.authenticate("connect").then(function () { self.ready(); }, function (error) {
        client.emit("error", error);
        self.socket.close(4000, "authentication failed");
      });
    } else if (message.pub) {
      var sub = client.subscriptions.get(message.pub.channel);
      if (sub) {
        sub.deliver(message.pub);
      }
    } else if (message.id && this.pending.has(message.id)) {
      var waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) {
        waiter.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      } else {
        waiter.resolve(message[waiter.kind]);
      }
    }
  };

  /** The link is usable: subscriptions are (re)sent. */
  WebSocketLink.prototype.ready = function () {
    var self = this;
    this.open = true;
    this.client.opened();
    this.client.subscriptions.forEach(function (sub) { self.subscribe(sub); });
  };

  /** Sends a fresh token ("connect" or "refresh") and plans the next refresh a little before it expires. */
  WebSocketLink.prototype.authenticate = function (kind) {
    var self = this;
    return currentToken(this.client).then(function (token) {
      var body = {};
      body[kind] = { token: token };
      return self.command(body);
    }).then(function (info) {
      clearTimeout(self.refreshTimer);
      if (info && info.expires) {
        var left = info.expires * 1000 - Date.now();
        self.refreshTimer = setTimeout(function () {
          self.authenticate("refresh").catch(function (error) { self.client.emit("error", error); });
        }, Math.max(1000, Math.min(left - 10000, left * 0.8)));
      }
      return info;
    });
  };

  /** The client's token supplier, as a Promise (null when none is configured). */
  function currentToken(client) {
    return Promise.resolve(client.options.token ? client.options.token() : null);
  }

  WebSocketLink.prototype.command = function (body) {
    var self = this;
    var id = this.nextId++;
    body.id = id;
    return new Promise(function (resolve, reject) {
      if (!self.open) {
        reject(new Error("not connected"));
        return;
      }
      self.pending.set(id, { resolve: resolve, reject: reject, kind: Object.keys(body).filter(function (k) { return k !== "id"; })[0] });
      self.socket.send(JSON.stringify(body));
    });
  };

  WebSocketLink.prototype.subscribe = function (sub) {
    var self = this;
    if (!this.open) {
      return; // renewed on open
    }
    sub.currentToken().then(function (token) {
      if (self.client.subscriptions.get(sub.channel) !== sub) {
        return undefined; // unsubscribed while its token was on its way
      }
      var request = { channel: sub.channel };
      if (sub.cursor) {
        request.since = sub.cursor;
      }
      if (token) {
        request.token = token; // a private channel's subscription token
      }
      return self.command({ subscribe: request }).then(function (info) { sub.subscribed(info); });
    }).catch(function (error) {
      if (typeof console !== "undefined") console.warn("subscribe " + sub.channel + " failed: " + error.message);
    });
  };

  WebSocketLink.prototype.unsubscribe = function (sub) {
    if (this.open) {
      this.command({ unsubscribe: { channel: sub.channel } }).catch(function () { });
    }
  };

  WebSocketLink.prototype.closed = function () {
    clearTimeout(this.refreshTimer);
    var wasOpen = this.open;
    this.open = false;
    this.pending.forEach(function (waiter) { waiter.reject(new Error("connection lost")); });
    this.pending.clear();
    this.client.lost(this, wasOpen);
  };

  WebSocketLink.prototype.close = function () {
    this.socket.onclose = null;
    this.socket.close(1000, "client closed");
  };

  /** Server-Sent Events: GET /sse for every subscribed channel; the browser resumes with Last-Event-ID. */
  function EventSourceLink(client) {
    this.client = client;
    this.reopen();
  }

  EventSourceLink.prototype.reopen = function () {
    var self = this;
    var client = this.client;
    if (this.source) {
      this.source.close();
    }
    this.open = false;
    if (client.subscriptions.size === 0) {
      this.source = null;
      client.opened(); // nothing to stream yet: open as soon as there is
      return;
    }
    var generation = this.generation = (this.generation || 0) + 1;
    Promise.all([currentToken(client), client.subscriptionTokenQuery()]).then(function (tokens) {
      if (generation === self.generation && !client.closed) {
        self.stream(tokens[0], tokens[1]); // EventSource cannot send headers: the tokens ride in the URL
      }
    }, function (error) { client.emit("error", error); client.lost(self, false); });
  };

  EventSourceLink.prototype.stream = function (token, subscriptionTokens) {
    var self = this;
    var client = this.client;
    var source = this.source = new EventSource(client.httpBase + "/sse?" + client.channelQuery()
        + (token ? "&token=" + encodeURIComponent(token) : "") + subscriptionTokens);
    source.onopen = function () {
      self.open = true;
      client.opened();
    };
    client.subscriptions.forEach(function (sub, channel) {
      source.addEventListener(channel, function (event) {
        // The event's id is the stream's cursor: this channel's part is this publication's position.
        var position = parseCursor(client.splitCursorText(event.lastEventId).get(channel));
        if (position && client.subscriptions.get(channel) === sub) {
          sub.deliver({ channel: channel, offset: position.offset, epoch: position.epoch, data: JSON.parse(event.data) });
          client.applyCursorText(event.lastEventId);
        }
      });
    });
    // Unnamed events are the stream's notices: a channel whose cursor could not be recovered, or the
    // end of the stream at its token's expiry (come back at once with a fresh token, from the cursors).
    source.onmessage = function (event) {
      var info = JSON.parse(event.data);
      if (info.disconnect) {
        self.reopen();
        return;
      }
      var sub = client.subscriptions.get(info.channel);
      if (info.recovered === false && sub) {
        sub.subscribed(info);
      }
    };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error): reconnect with backoff from the cursors.
        source.close();
        client.lost(self, self.open);
      }
    };
  };

  EventSourceLink.prototype.subscribe = function () { this.reopen(); };
  EventSourceLink.prototype.unsubscribe = function () { this.reopen(); };
  EventSourceLink.prototype.close = function () {
    this.generation = (this.generation || 0) + 1; // a token still on its way opens nothing
    if (this.source) {
      this.source.close();
    }
  };

  /** Long polling: GET /poll?channel=...&since=...&wait=..., again and again. */
  function PollLink(client) {
    this.client = client;
    this.active = true;
    this.poll();
  }

  PollLink.prototype.poll = function () {
    var self = this;
    var client = this.client;
    if (!this.active) {
      return;
    }
    if (client.subscriptions.size === 0) {
      client.opened();
      return; // resumes on the next subscribe
    }
    var controller = this.controller = new AbortController();
    var url = client.httpBase + "/poll?" + client.channelQuery() + "&wait=" + client.options.pollWait;
    Promise.all([currentToken(client), client.subscriptionTokenQuery()]).then(function (tokens) {
      return fetch(url + tokens[1], { signal: controller.signal, cache: "no-store",
        headers: tokens[0] ? { Authorization: "Bearer " + tokens[0] } : {} });
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("poll answered " + response.status);
      }
      return response.json();
    }).then(function (answer) {
      if (controller !== self.controller) {
        return; // superseded by a new channel set
      }
      client.opened();
      answer.messages.forEach(function (pub) {
        var sub = client.subscriptions.get(pub.channel);
        if (sub) {
          sub.deliver(pub);
        }
      });
      client.applyCursorText(answer.cursor);
      self.poll();
    }).catch(function (error) {
      if (controller === self.controller && self.active) {
        self.active = false;
        client.lost(self, true);
      }
    });
  };

  PollLink.prototype.restart = function () {
    if (this.controller) {
      var old = this.controller;
      this.controller = null;
      old.abort();
    }
    this.poll();
  };

  PollLink.prototype.subscribe = function () { this.restart(); };
  PollLink.prototype.unsubscribe = function () { this.restart(); };
  PollLink.prototype.close = function () {
    this.active = false;
    if (this.controller) {
      this.controller.abort();
    }
  };

  function available(transport) {
    if (transport === "websocket") return typeof global.WebSocket === "function";
    if (transport === "sse") return typeof global.EventSource === "function";
    if (transport === "poll") return typeof global.fetch === "function" && typeof global.AbortController === "function";
    return false;
  }

  function parseCursor(text) {
    if (!text) return null;
    var colon = text.indexOf(":");
    return colon > 0 ? { offset: Number(text.substring(0, colon)), epoch: text.substring(colon + 1) } : null;
  }

  global.Switchboard = { connect: connect };
})(typeof window !== "undefined" ? window : globalThis);
